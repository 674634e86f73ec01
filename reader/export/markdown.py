"""`reader export`: annotations as Markdown files, one file, or standard output."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.export.files import (
    ExportError,
    Manifest,
    PlannedFile,
    WriteResult,
    prepare_folder,
    write_files,
)
from reader.export.folder import BlockEvent, export_folder
from reader.export.gather import gather
from reader.export.pictures import PictureSet, PictureWrites
from reader.export.presets import DEFAULT_PRESET
from reader.export.render import article_fields, render_collection
from reader.export.templating import load_template, render_with

if TYPE_CHECKING:  # the archive comes from the caller
    from reader.archive import Archive
    from reader.query import HighlightFilter

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".txt")
Progress = Callable[[int, int], None]

_RELATIVE = re.compile(r"(\d+)\s*([hdw])", re.IGNORECASE)


@dataclass
class ExportReport:
    """What an export did. `files` holds every file it wrote or found already up to date."""

    articles: int = 0
    highlights: int = 0
    notes: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    output: Path | None = None  # the folder or file; None for standard output
    merged: list[Path] = field(default_factory=list)  # edited files merged into
    pulled: list[BlockEvent] = field(default_factory=list)  # notes taken from files
    conflicts: list[BlockEvent] = field(default_factory=list)  # both changed: both kept
    restored: list[BlockEvent] = field(default_factory=list)  # deleted in a file only
    pull: bool = False  # read notes back only, wrote nothing
    pictures: PictureWrites | None = None  # with --pictures: the files in assets/

    @property
    def files(self) -> list[Path]:
        return self.written + self.unchanged

    def summary(self, where: str | None = None) -> str:
        """One line for the user (the CLI prints it, the TUI notifies it); `where` names
        the output as the caller shows paths (default: as given)."""
        if where is None:
            where = "standard output" if self.output is None else str(self.output)
        line = (
            f"Exported {_plural(self.highlights, 'highlight')} and {_plural(self.notes, 'note')}"
            f" from {_plural(self.articles, 'article')} to {where}"
        )
        if self.pull:
            return (
                f"Read the files of {_plural(self.articles, 'article')} in {where}:"
                f" {_plural(len(self.pulled), 'note')} taken into reader,"
                f" {_plural(len(self.conflicts), 'conflict')}; no file written"
            )
        if self.output is not None:
            line += f": {len(self.written)} written, {len(self.unchanged)} unchanged"
            if self.merged:
                line += f" ({len(self.merged)} merged into your edits)"
            if self.pulled:
                line += f"; {_plural(len(self.pulled), 'note')} taken from the files"
            if self.conflicts:
                line += f"; {_plural(len(self.conflicts), 'conflict')}, both texts kept"
            if self.pictures is not None:
                line += (
                    f"; {_plural(self.pictures.count, 'picture')} in assets"
                    f" ({len(self.pictures.written)} written)"
                )
        return line

    def events(self) -> list[str]:
        """One line per conflict, and per block deleted in a file but kept in reader."""
        lines = [
            f"Conflict: {event.path} {event.block}: changed in reader and in the file;"
            " both texts kept (the file's marked 'edited in')"
            for event in self.conflicts
        ]
        again = "will be put back by the next export" if self.pull else "put back"
        lines += [
            f"{event.path} {event.block}: deleted in the file, still in reader ({again})"
            for event in self.restored
        ]
        return lines


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# --- Options ----------------------------------------------------------------------


def parse_since(text: str, *, now: datetime | None = None) -> str:
    """A --since value as the archive's timestamp format (UTC ISO 8601, seconds).

    Takes `2024-05-01`, `2024-05-01T12:30`, an ISO time with an offset (one without is
    taken as UTC), `today`, `yesterday`, or an age such as `12h`, `7d`, `2w`.
    Raises ValueError with a one-line reason.
    """
    value = text.strip()
    current = now or datetime.now(UTC)
    lowered = value.lower()
    if lowered in ("today", "yesterday"):
        day = current.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        moment = day - timedelta(days=1 if lowered == "yesterday" else 0)
    elif match := _RELATIVE.fullmatch(value):
        amount, unit = int(match.group(1)), match.group(2).lower()
        hours = {"h": 1, "d": 24, "w": 24 * 7}[unit] * amount
        try:
            moment = current - timedelta(hours=hours)
        except OverflowError as error:
            raise ValueError(f"--since {text!r}: too far back") from error
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"--since {text!r}: not a date (use 2024-05-01, 2024-05-01T12:30, 7d or 12h)"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


# --- Export -----------------------------------------------------------------------


def output_kind(out: Path | str) -> str:
    """'stdout' for `-`, 'file' for a Markdown file name, 'folder' otherwise."""
    if str(out) == "-":
        return "stdout"
    path = Path(out)
    if path.is_dir():
        return "folder"
    return "file" if path.suffix.lower() in MARKDOWN_SUFFIXES else "folder"


def export_markdown(
    archive: Archive,
    article_ids: Sequence[int] | None,
    out: Path | str,
    *,
    since: str | None = None,
    template: Path | None = None,
    include_all: bool = False,
    force: bool = False,
    preset: str = DEFAULT_PRESET,
    callouts: bool = False,
    pull: bool = False,
    progress: Progress | None = None,
    stdout: TextIO | None = None,
    highlights: HighlightFilter | None = None,
    pictures: bool = False,
) -> ExportReport:
    """Export the annotations of `article_ids` (None: every article) as Markdown.

    `out` is a folder (one file per article in `preset`'s layout, named from its title,
    kept in a manifest and merged into when the user edited it: see
    `reader.export.folder`), a `.md` file (all articles in one), or `-` (standard
    output). `since` is an archive timestamp (see `parse_since`): in a folder it picks
    the articles to rewrite, each file still complete; in a file or on standard output
    only the annotations changed after it appear. `pull` (a folder only) reads the notes
    the user changed in the files back into reader and writes nothing. `pictures`
    writes the articles' kept pictures into `assets/` beside the files and shows them
    (see `reader.export.pictures`). Raises ExportError with a one-line message.
    """
    kind = output_kind(out)
    if pull and kind != "folder":
        raise ExportError(f"{out}: --pull reads a folder of exported files, not a file")
    if pictures and kind == "stdout":
        raise ExportError("--pictures writes pictures beside the notes: give a folder or a FILE.md")
    loaded = load_template(template) if template is not None else None
    items = gather(
        archive,
        article_ids,
        since=since,
        include_all=include_all,
        complete=kind == "folder",
        highlights=highlights,
    )
    report = ExportReport()
    for item in items:
        report.articles += 1
        notes = sum(1 for a in item.annotations if a.is_article_note)
        report.notes += notes
        report.highlights += len(item.annotations) - notes

    kept: PictureSet | None = None
    if pictures:
        where = (
            Path(out)
            if kind == "folder"
            else (Path(out).parent if str(Path(out).parent) else Path("."))
        )
        kept = PictureSet(archive, where, [item.article.id for item in items])
    if kind == "folder":
        folder = Path(out)
        result = export_folder(
            archive,
            items,
            folder,
            preset=preset,
            callouts=callouts,
            template=loaded,
            force=force,
            pull=pull,
            progress=progress,
            pictures=kept,
        )
        report.output = folder
        report.written, report.unchanged = result.written, result.unchanged
        report.merged = result.merged
        report.pulled, report.conflicts = result.pulled, result.conflicts
        report.restored = result.restored
        report.pull = pull
        if kept is not None and not pull:
            report.pictures = kept.result
        return report
    rendered: list[tuple[dict[str, Any], str | None]] = []
    for done, item in enumerate(items, 1):
        fields = article_fields(item.article, item.annotations, item.tags)
        if kept is not None:
            fields = kept.fields(fields)
        rendered.append((fields, render_with(loaded, fields) if loaded is not None else None))
        if progress is not None:
            progress(done, len(items))
    if loaded is not None:
        text = "\n".join(t for _, t in rendered if t is not None)
    else:
        text = render_collection([fields for fields, _ in rendered])
    if kind == "stdout":
        stream = stdout if stdout is not None else sys.stdout
        stream.write(text)
        stream.flush()
        return report
    before: Callable[[], object] | None = None
    if kept is not None:
        prepare_folder(kept.folder)
        kept.plan(force=force)
        before = kept.write
    single = write_single(Path(out), text.encode(), force=force, before_writing=before)
    report.output = Path(out)
    report.written, report.unchanged = single.written, single.unchanged
    if kept is not None:
        report.pictures = kept.result
    return report


def write_single(
    path: Path,
    data: bytes,
    *,
    force: bool = False,
    key: str = "",
    before_writing: Callable[[], object] | None = None,
) -> WriteResult:
    """One file, under the same manifest rules as a folder (the manifest sits beside it);
    `before_writing` runs once it is known the file may be written."""
    folder = path.parent if str(path.parent) else Path(".")
    prepare_folder(folder)
    manifest = Manifest.load(folder)
    return write_files(
        folder,
        manifest,
        [PlannedFile(path.name, data, key)],
        force=force,
        before_writing=before_writing,
    )
