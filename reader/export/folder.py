"""A folder export that merges: reader's part of each file updated, the user's kept.

For each article: find its file (the manifest's name; if that is gone, a file the user
renamed or moved inside the folder, by `reader_id` or by its block ids), then

- no file: write the fresh render;
- the file as reader rendered it, with no line of the user's: rewrite it;
- edited since (or holding the user's lines from an earlier merge): read the notes
  the user changed back into reader (`reader.export.notesync`), then merge the fresh
  render into it (`reader.export.merge`);
- a file reader did not write there (or a symlink), or one edited before block ids
  existed, or in another preset: a conflict that stops the export before any change,
  unless `force` (the file is then replaced whole).

`force` also makes reader's notes win over the file's (the user's own lines are still
kept). `pull` stops after reading notes back: no file is written. With pictures
(reader.export.pictures), they are written into `assets/` before the first file, each
file linking them relative to where it is (a file moved into a subfolder: `../`). Every write is a
temporary file renamed into place; nothing is written outside the folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.export.blocks import (
    LAYOUTS,
    HeadError,
    Layout,
    Parsed,
    id_names,
    note_of,
    parse_file,
)
from reader.export.files import (
    ExportError,
    Manifest,
    atomic_write,
    prepare_folder,
    read_existing,
    safe_target,
    sha256_hex,
)
from reader.export.gather import ExportItem
from reader.export.merge import merge_text
from reader.export.names import MAX_STEM_BYTES, article_filename, fold
from reader.export.notesync import decide, text_hash
from reader.export.pictures import PictureSet
from reader.export.presets import render_preset
from reader.export.render import article_fields
from reader.export.templating import ExportTemplate, render_with

if TYPE_CHECKING:
    from reader.archive import Archive

MAX_SCAN_FILES = 20_000
MAX_SCAN_BYTES = 4 * 1024 * 1024
MAX_MERGE_BYTES = 16 * 1024 * 1024  # a note is not this long; a file this long is not ours
MARKDOWN_SUFFIXES = (".md", ".markdown")
_READER_ID = re.compile(r"^reader[_-]id::?[ \t]*'?(\d+)'?[ \t]*$", re.MULTILINE)
_ANY_ID = re.compile(r"\^((?:hl|note)-\d+)|<!--[ \t]*((?:hl|note)-\d+)|id::[ \t]*([0-9a-f-]{36})")


@dataclass(frozen=True)
class BlockEvent:
    """Something a merge did to one block that the user should hear of."""

    path: Path
    block: str  # "hl-12", "note-5"


@dataclass
class FolderResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    merged: list[Path] = field(default_factory=list)  # edited files merged into
    pulled: list[BlockEvent] = field(default_factory=list)  # notes reader took
    conflicts: list[BlockEvent] = field(default_factory=list)  # both changed: both kept
    restored: list[BlockEvent] = field(default_factory=list)  # deleted in the file only


@dataclass
class _Plan:
    item: ExportItem
    name: str  # relative to the folder, `/` between parts
    target: Path
    action: str  # new, clean, merge, replace
    current: str = ""
    old_name: str | None = None  # the manifest's name, when the file moved


def export_folder(
    archive: Archive,
    items: list[ExportItem],
    folder: Path,
    *,
    preset: str,
    callouts: bool = False,
    template: ExportTemplate | None = None,
    force: bool = False,
    pull: bool = False,
    today: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    pictures: PictureSet | None = None,
) -> FolderResult:
    """Export `items` into `folder` as the module docstring says; with `pictures`, their
    pictures go into `folder/assets/` first (checked with the files, before any write)."""
    prepare_folder(folder)
    manifest = Manifest.load(folder)
    style = "template" if template is not None else preset
    layout = LAYOUTS[style]
    day = today or datetime.now(UTC).date().isoformat()
    plans = _plan(folder, manifest, items, style, layout, force or pull)
    plans = [plan for plan in plans if not (pull and plan.action == "replace")]
    result = FolderResult()
    if pictures is not None and not pull:
        pictures.plan(force=force)
        pictures.write()

    def render(item: ExportItem, name: str) -> str:
        fields = article_fields(item.article, item.annotations, item.tags)
        if pictures is not None:
            fields = pictures.fields(fields, name)
        if template is not None:
            return render_with(template, fields)
        return render_preset(preset, fields, callouts=callouts)

    try:
        for done, plan in enumerate(plans, 1):
            _export_one(archive, plan, manifest, layout, style, render, result, force, pull, day)
            if progress is not None:
                progress(done, len(plans))
    finally:
        # What was written is recorded even when a later file fails: the next run then
        # knows those files as reader's.
        if not pull:
            try:
                manifest.save()
            except OSError as error:
                raise ExportError(f"{manifest.path}: cannot write: {error.strerror}") from error
    return result


def _export_one(
    archive: Archive,
    plan: _Plan,
    manifest: Manifest,
    layout: Layout,
    style: str,
    render: Callable[[ExportItem, str], str],
    result: FolderResult,
    force: bool,
    pull: bool,
    today: str,
) -> None:
    """One article: notes read back (a merge), then its file written (unless `pull`)."""
    entry = manifest.files.get(plan.old_name or plan.name, {})
    if plan.action == "merge":
        plan.item = _sync_notes(
            archive, plan, entry, layout, render, result, force=force, today=today
        )
    if pull:
        return
    fresh = render(plan.item, plan.name)
    text = fresh
    if plan.action == "merge":
        text = merge_text(
            plan.current,
            fresh,
            layout,
            _names(plan.item, entry),
            _first_lines(entry),
            [key for key in entry.get("keys", []) if isinstance(key, str)],
        )
    data = text.encode()
    if read_existing(plan.target) == data:
        result.unchanged.append(plan.target)
    else:
        atomic_write(plan.target, data)
        result.written.append(plan.target)
        if plan.action == "merge":
            result.merged.append(plan.target)
    if plan.old_name is not None:
        manifest.files.pop(plan.old_name, None)
    manifest.files[plan.name] = _entry(plan.item, data, fresh, style, layout)
    manifest.files[plan.name]["pure"] = text == fresh


def _first_lines(entry: dict[str, Any]) -> dict[str, list[str]]:
    """Each block's first line as reader last wrote it (a manifest is user-writable)."""
    return {
        key: [block["first"]]
        for key, block in _blocks(entry).items()
        if isinstance(block.get("first"), str)
    }


def _blocks(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    blocks = entry.get("blocks")
    if not isinstance(blocks, dict):
        return {}
    return {k: v for k, v in blocks.items() if isinstance(k, str) and isinstance(v, dict)}


def _names(item: ExportItem, entry: dict[str, Any]) -> dict[str, str]:
    """The id spellings of every block this file has held or holds now."""
    keys = set(_blocks(entry))
    for annotation in item.annotations:
        keys.add(_key(annotation.id, annotation.is_article_note))
    return id_names(keys)


def _key(annotation_id: int, is_note: bool) -> str:
    return f"{'note' if is_note else 'hl'}-{annotation_id}"


def _entry(item: ExportItem, data: bytes, fresh: str, style: str, layout: Layout) -> dict[str, Any]:
    """The manifest's record of a file: the base of the next run's decisions."""
    parsed = parse_file(fresh, layout, _names(item, {}))
    notes = {_key(a.id, a.is_article_note): a.note for a in item.annotations}
    blocks: dict[str, dict[str, Any]] = {}
    for block in parsed.blocks:
        lines = parsed.block_lines(block)
        file_note = note_of(layout, block.key, lines)
        blocks[block.key] = {
            "first": lines[0].rstrip("\r\n"),
            "file": None if file_note is None else text_hash(file_note),
            "note": text_hash(notes.get(block.key, "")),
        }
    return {
        "article": item.key,
        "sha256": sha256_hex(data),
        "preset": style,
        "keys": parsed.head.keys() if parsed.head is not None else [],
        "blocks": blocks,
    }


# --- Finding each article's file ---------------------------------------------------


def _plan(
    folder: Path,
    manifest: Manifest,
    items: list[ExportItem],
    style: str,
    layout: Layout,
    force: bool,
) -> list[_Plan]:
    """Where each article goes and what to do there; every conflict raised before any
    change is made."""
    plans: list[_Plan] = []
    for item, (name, old_name) in zip(items, plan_names(folder, manifest, items), strict=True):
        target = safe_target(folder, name)
        plans.append(_classify(item, name, target, old_name, manifest, style, layout, force))
    return plans


def plan_names(
    folder: Path, manifest: Manifest, items: list[ExportItem]
) -> list[tuple[str, str | None]]:
    """Each article's file name in `folder`, and the manifest's old name if it moved:
    the one it had before, where the user may have moved it, else a new one."""
    # Only Markdown files: the folder may hold an article's EPUB book under the same key.
    by_key = {
        entry.get("article"): name
        for name, entry in manifest.files.items()
        if name.lower().endswith(MARKDOWN_SUFFIXES)
    }
    taken = {fold(name) for name in manifest.files}
    used: set[str] = set()
    finder = _Finder(folder, manifest)
    names: list[tuple[str, str | None]] = []
    for item in items:
        name = by_key.get(item.key)
        old_name: str | None = None
        if name is not None and not os.path.lexists(folder / name):
            moved = finder.find(item, manifest.files.get(name, {}))
            if moved is not None:
                name, old_name = moved, name
        if name is None or fold(name) in used:
            name = article_filename(item.article.title, item.key, taken)
            old_name = None
        taken.add(fold(name))
        used.add(fold(name))
        names.append((name, old_name))
    return names


def _classify(
    item: ExportItem,
    name: str,
    target: Path,
    old_name: str | None,
    manifest: Manifest,
    style: str,
    layout: Layout,
    force: bool,
) -> _Plan:
    current = read_existing(target)
    plan = _Plan(item, name, target, "new", old_name=old_name)
    if current is None:
        return plan
    entry = manifest.files.get(old_name or name)
    if entry is None or entry.get("article") != item.key or target.is_symlink():
        if not force:
            raise ExportError(f"{target}: exists and was not written by reader; use --force")
        plan.action = "replace"
        return plan
    if entry.get("sha256") == sha256_hex(current) and entry.get("pure", True):
        plan.action = "clean"  # as reader rendered it, nobody's lines in it: rewrite it
        return plan
    why = ""
    text = ""
    try:
        text = current.decode("utf-8")
    except UnicodeDecodeError:
        why = "is not UTF-8 text"
    if len(current) > MAX_MERGE_BYTES:
        why = f"is over {MAX_MERGE_BYTES // (1024 * 1024)} MB"
    if not why and (entry.get("preset") != style or "blocks" not in entry):
        why = "was edited since reader wrote it in another layout"
    if not why and style == "template" and not entry.get("blocks"):
        # nothing in it says which part is reader's: merging would freeze the file
        why = "was edited and its template writes no block ids"
    if not why:
        try:
            parse_file(text, layout, {})
        except HeadError as error:
            why = f"was edited and its {error}"
    if why:
        if not force:
            raise ExportError(f"{target}: exists and {why}; use --force to overwrite it")
        plan.action = "replace"
        return plan
    plan.action, plan.current = "merge", text
    return plan


class _Finder:
    """Files in the folder (subfolders too, hidden ones and symlinks skipped) that may
    be an article's file renamed: by its `reader_id`, else by its block ids."""

    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder = folder
        self.manifest = manifest
        self._index: list[tuple[str, int | None, set[str]]] | None = None

    def find(self, item: ExportItem, entry: dict[str, Any]) -> str | None:
        if self._index is None:
            self._index = list(self._scan())
        names = id_names(_blocks(entry))
        known = {n for n in self.manifest.files if os.path.lexists(self.folder / n)}
        by_blocks: str | None = None
        for name, reader_id, ids in self._index:
            if name in known:
                continue
            if reader_id == item.article.id:
                return name
            if by_blocks is None and any(i in names for i in ids):
                by_blocks = name
        return by_blocks

    def _scan(self) -> Iterator[tuple[str, int | None, set[str]]]:
        seen = 0
        for root, dirs, files in os.walk(self.folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file_name in sorted(files):
                path = Path(root) / file_name
                if not file_name.lower().endswith(MARKDOWN_SUFFIXES) or path.is_symlink():
                    continue
                seen += 1
                if seen > MAX_SCAN_FILES:
                    return
                name = path.relative_to(self.folder).as_posix()
                if len(name.encode()) > 8 * MAX_STEM_BYTES:
                    continue
                try:
                    if path.stat().st_size > MAX_SCAN_BYTES:
                        continue
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                match = _READER_ID.search(text[:65536])
                ids = {next(g for g in m.groups() if g).lower() for m in _ANY_ID.finditer(text)}
                yield name, int(match.group(1)) if match else None, ids


# --- Notes flowing back ------------------------------------------------------------


def _sync_notes(
    archive: Archive,
    plan: _Plan,
    entry: dict[str, Any],
    layout: Layout,
    render: Callable[[ExportItem, str], str],
    result: FolderResult,
    *,
    force: bool,
    today: str,
) -> ExportItem:
    """Read the notes the user changed in the file into reader; the item as it is now."""
    item = plan.item
    names = _names(item, entry)
    base = _blocks(entry)
    existing: Parsed = parse_file(plan.current, layout, names, _first_lines(entry))
    fresh = parse_file(render(item, plan.name), layout, names)
    fresh_notes = {b.key: note_of(layout, b.key, fresh.block_lines(b)) for b in fresh.blocks}
    exported = {_key(a.id, a.is_article_note) for a in item.annotations}
    in_file = {block.key for block in existing.blocks}
    for key in base:
        if key in exported and key not in in_file:
            result.restored.append(BlockEvent(plan.target, key))
    if force:
        return item
    # Every annotation of the article, not only those a color:/htag: filter exports: a
    # note the user changed in a block this export drops is still taken first.
    annotations = {
        _key(a.id, a.is_article_note): a for a in archive.annotations_for(item.article.id)
    }
    changed: dict[int, str] = {}
    for block in existing.blocks:
        annotation = annotations.get(block.key)
        if annotation is None:
            continue
        decision = decide(
            annotation.note,
            note_of(layout, block.key, existing.block_lines(block)),
            base.get(block.key),
            fresh_note=fresh_notes.get(block.key),
            where=plan.name,
            today=today,
        )
        if decision.note is None:
            continue
        archive.update_annotation(annotation.id, note=decision.note)
        changed[annotation.id] = decision.note
        events = result.pulled if decision.action == "pull" else result.conflicts
        events.append(BlockEvent(plan.target, block.key))
    if not changed:
        return item
    stored = {a.id: a for a in archive.annotations_for(item.article.id)}
    now = [stored.get(a.id, replace(a, note=changed.get(a.id, a.note))) for a in item.annotations]
    return replace(item, annotations=now)
