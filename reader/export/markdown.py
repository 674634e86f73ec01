"""`reader export`: annotations as Markdown files, one file, or standard output."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
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
from reader.export.names import article_filename, fold
from reader.export.render import (
    article_fields,
    blockquote,
    escape_text,
    inline_text,
    markdown_paragraphs,
    render_collection,
    render_fields,
    yaml_value,
)
from reader.models import Annotation, ArticleSummary

if TYPE_CHECKING:  # jinja2 is imported when a template is used; the archive by the caller
    from jinja2 import Template

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
        if self.output is not None:
            line += f": {len(self.written)} written, {len(self.unchanged)} unchanged"
        return line


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


@dataclass(frozen=True)
class ExportTemplate:
    """A user's --template, compiled, and where it came from (for error messages)."""

    template: Template
    path: Path


def load_template(path: Path) -> ExportTemplate:
    """A Jinja2 template from `path` in a sandbox (no attribute tricks, no file access).

    Autoescaping is off: the output is Markdown, and the fields that need escaping come
    escaped (`*_md`) or through the `md`, `md_paragraphs`, `blockquote` and `yaml` filters.
    """
    from jinja2 import StrictUndefined, TemplateSyntaxError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ExportError(f"{path}: cannot read the template: {reason}") from error
    env = ImmutableSandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=escape_text,
        md_line=inline_text,
        md_paragraphs=markdown_paragraphs,
        blockquote=blockquote,
        yaml=yaml_value,
    )
    try:
        template = env.from_string(source)
    except TemplateSyntaxError as error:
        raise ExportError(f"{path}:{error.lineno}: {error.message}") from error
    return ExportTemplate(template, path)


def render_with(template: ExportTemplate, fields: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    try:
        text = template.template.render(**fields)
    except TemplateError as error:
        message = " ".join(str(error).split()) or type(error).__name__
        raise ExportError(f"{template.path}: {message}") from error
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        raise ExportError(f"{template.path}: {type(error).__name__}: {error}") from error
    return text if text.endswith("\n") else text + "\n"


# --- Gathering --------------------------------------------------------------------


@dataclass(frozen=True)
class ExportItem:
    """One article to export with the annotations to show and its identity across runs."""

    article: ArticleSummary
    annotations: list[Annotation]
    tags: tuple[str, ...]
    key: str


def gather(
    archive: Archive,
    article_ids: Sequence[int] | None,
    *,
    since: str | None = None,
    include_all: bool = False,
    complete: bool = False,
    highlights: HighlightFilter | None = None,
) -> list[ExportItem]:
    """The articles to export with their annotations, in the order given (else by id).

    `since` keeps the annotations changed after it; with `complete`, an article with
    any such change comes with all its annotations (a folder's files stay whole).
    """
    selected = list(article_ids) if article_ids is not None else None
    groups: dict[int, list[Annotation]] = {}
    for annotation in archive.iter_annotations(selected, since):
        groups.setdefault(annotation.article_id, []).append(annotation)
    if since and complete:
        groups = {article_id: list(archive.annotations_for(article_id)) for article_id in groups}
    if highlights is not None and not highlights.is_empty:  # color:/htag: keep those only
        kept = {key: [a for a in group if highlights.keeps(a)] for key, group in groups.items()}
        groups = {key: group for key, group in kept.items() if group}
    if include_all:
        order = selected if selected is not None else sorted(archive.article_ids(""))
    elif selected is not None:
        order = [article_id for article_id in selected if article_id in groups]
    else:
        order = sorted(groups)
    items: list[ExportItem] = []
    keys: set[str] = set()
    for article_id in dict.fromkeys(order):
        article = archive.get_summary(article_id)
        if article is None:  # deleted while we were exporting
            continue
        key = f"url:{article.url}" if article.url else f"id:{article.id}"
        if key in keys:
            key = f"id:{article.id}"
        keys.add(key)
        tags = tuple(archive.tags_of(article_id))
        items.append(ExportItem(article, groups.get(article_id, []), tags, key))
    return items


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
    progress: Progress | None = None,
    stdout: TextIO | None = None,
    highlights: HighlightFilter | None = None,
) -> ExportReport:
    """Export the annotations of `article_ids` (None: every article) as Markdown.

    `out` is a folder (one file per article, named from its title, kept in a manifest),
    a `.md` file (all articles in one), or `-` (standard output). `since` is an archive
    timestamp (see `parse_since`): in a folder it picks the articles to rewrite, each
    file still complete; in a file or on standard output only the annotations changed
    after it appear. Raises ExportError with a one-line message.
    """
    kind = output_kind(out)
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
    rendered: list[tuple[ExportItem, dict[str, Any], str | None]] = []
    for done, item in enumerate(items, 1):
        fields = article_fields(item.article, item.annotations, item.tags)
        text = render_with(loaded, fields) if loaded is not None else None
        rendered.append((item, fields, text))
        report.articles += 1
        report.highlights += len(fields["highlights"])
        report.notes += len(fields["notes"])
        if progress is not None:
            progress(done, len(items))

    if kind == "folder":
        folder = Path(out)
        prepare_folder(folder)
        manifest = Manifest.load(folder)
        planned = _plan_folder(manifest, rendered)
        result = write_files(folder, manifest, planned, force=force)
        report.output = folder
    else:
        if loaded is not None:
            text = "\n".join(t for _, _, t in rendered if t is not None)
        else:
            text = render_collection([fields for _, fields, _ in rendered])
        if kind == "stdout":
            stream = stdout if stdout is not None else sys.stdout
            stream.write(text)
            stream.flush()
            return report
        result = write_single(Path(out), text.encode(), force=force)
        report.output = Path(out)
    report.written, report.unchanged = result.written, result.unchanged
    return report


def write_single(path: Path, data: bytes, *, force: bool = False, key: str = "") -> WriteResult:
    """One file, under the same manifest rules as a folder (the manifest sits beside it)."""
    folder = path.parent if str(path.parent) else Path(".")
    prepare_folder(folder)
    manifest = Manifest.load(folder)
    return write_files(folder, manifest, [PlannedFile(path.name, data, key)], force=force)


def _plan_folder(
    manifest: Manifest, rendered: Iterable[tuple[ExportItem, dict[str, Any], str | None]]
) -> list[PlannedFile]:
    """A file name per article: the one it had in this folder before, else a new one."""
    by_key = {entry.get("article"): name for name, entry in manifest.files.items()}
    taken = {fold(name) for name in manifest.files}
    used: set[str] = set()
    planned: list[PlannedFile] = []
    for item, fields, text in rendered:
        name = by_key.get(item.key)
        if name is None or fold(name) in used:
            name = article_filename(fields["title"], item.key, taken)
        taken.add(fold(name))
        used.add(fold(name))
        data = (text if text is not None else render_fields(fields)).encode()
        planned.append(PlannedFile(name, data, item.key))
    return planned
