"""`reader export` and `reader import-annotations`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.cli.app import err_console, main, open_archive, settings_from
from reader.cli.sizes import SizeParam
from reader.textrules import one_line, plural

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.query import HighlightFilter


def _article_ids(archive: Archive, words: tuple[str, ...]) -> list[int] | None:
    """The ids a query selects, in its order; None (every article) for no query."""
    from reader.query import QueryError, parse_query

    text = " ".join(words).strip()
    if not text:
        return None
    try:
        query = parse_query(text)
    except QueryError as error:
        raise click.ClickException(f"query: {error}") from error
    return list(archive.article_ids(query.listing_highlights()))


def _highlight_filter(words: tuple[str, ...]) -> HighlightFilter:
    """The highlights a query's color:/htag: words keep, as `reader annotations` reads
    them (a query that does not parse stops the export in `_article_ids` first)."""
    from reader.query import QueryError, parse_query

    try:
        return parse_query(" ".join(words)).highlights
    except QueryError as error:
        raise click.ClickException(f"query: {error}") from error


def _say(text: str) -> None:
    """One line to standard error, never read as Rich markup or emoji codes."""
    err_console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


@main.command("export")
@click.argument("query", nargs=-1)
@click.option(
    "--out",
    "-o",
    "out",
    help="A folder (one file per article), a FILE.md (all in one), or - (standard output);"
    " with --format epub a FILE.epub (one book) or a folder (a book per article);"
    " default: export_folder in the config file.",
)
@click.option("--since", help="Only annotations changed after this (2024-05-01, 7d, 12h).")
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Jinja2 template for each article (see README for its fields).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "epub"]),
    default="markdown",
    show_default=True,
    help="json: all your data (tags, states, annotations) for `reader import-annotations`;"
    " epub: the articles themselves as e-books, highlights and notes included.",
)
@click.option("--all", "include_all", is_flag=True, help="Also articles without annotations.")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files reader did not write; in files it did, reader's highlights and notes"
    " win over the file's (your own lines are still kept).",
)
@click.option(
    "--preset",
    type=click.Choice(["obsidian", "logseq", "readwise", "plain"]),
    default=None,
    help="The layout of a folder's files (default: obsidian). See README.",
)
@click.option(
    "--callouts", is_flag=True, help="obsidian: highlights as > [!quote] callouts, not quotes."
)
@click.option(
    "--pictures/--no-pictures",
    default=None,
    help="Markdown: also write the articles' kept pictures into assets/ beside the files and"
    " show each with the highlight next to its figure (default: export_pictures in the"
    " config file, else off).",
)
@click.option(
    "--pull",
    is_flag=True,
    help="Only read the notes you changed in a folder's files back into reader; write nothing.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    query: tuple[str, ...],
    out: str | None,
    since: str | None,
    template: Path | None,
    fmt: str,
    include_all: bool,
    force: bool,
    preset: str | None,
    callouts: bool,
    pictures: bool | None,
    pull: bool,
) -> None:
    """Export annotations of the articles QUERY selects (default: all) as Markdown or JSON,
    or the articles as EPUB books (--format epub).

    QUERY's color:C and htag:T words also choose the highlights a Markdown export holds,
    as in `reader annotations` (JSON, a backup, keeps the articles it selects whole).

    Into a folder, each annotated article gets its own file named from its title; a second
    export updates reader's highlights and notes in those files and keeps what you wrote
    in them; a note you changed in a file comes back into reader (--pull: only that).
    Files reader did not write are left alone (--force to overwrite them).
    """
    from reader.export import ExportError, export_json, export_markdown, parse_since

    since_ts: str | None = None
    if since is not None:
        try:
            since_ts = parse_since(since)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
    if out is None:
        folder = settings_from(ctx).export_folder.value
        if folder is None:
            raise click.UsageError("Missing option '--out' (or export_folder in the config file).")
        out = str(folder)
    if fmt in ("json", "epub") and (template is not None or since is not None):
        raise click.ClickException(f"--template and --since apply to Markdown, not --format {fmt}")
    if fmt in ("json", "epub") and (preset is not None or pull):
        raise click.ClickException(f"--preset and --pull apply to Markdown, not --format {fmt}")
    if fmt in ("json", "epub") and pictures:
        raise click.ClickException(f"--pictures applies to Markdown, not --format {fmt}")
    if pictures is None:  # the config's default; standard output takes no pictures
        pictures = out != "-" and settings_from(ctx).exports_pictures
    if template is not None and preset is not None:
        raise click.ClickException("--template and --preset are two layouts: give one")
    if fmt == "epub" and out == "-":
        raise click.ClickException("an EPUB book goes into a FILE.epub or a folder, not -")
    with open_archive(ctx) as archive:
        article_ids = _article_ids(archive, query)
        highlights = _highlight_filter(query)
        try:
            if fmt == "epub":
                _say(_export_epub(archive, article_ids, out, query, force=force))
                return
            if fmt == "json":
                data, result = export_json(archive, out, article_ids, force=force)
                annotations = sum(len(a["annotations"]) for a in data["articles"])
                where = "standard output" if result is None else str(result.files[0])
                summary = (
                    f"Exported {plural(len(data['articles']), 'article')} with"
                    f" {plural(annotations, 'annotation')} to {where}"
                )
                if result is not None and not result.written:
                    summary += " (unchanged)"
                _say(summary)
                return
            report = export_markdown(
                archive,
                article_ids,
                out,
                since=since_ts,
                template=template,
                include_all=include_all,
                force=force,
                highlights=highlights,
                preset=preset or "obsidian",
                callouts=callouts,
                pull=pull,
                pictures=pictures,
            )
        except ExportError as error:
            raise click.ClickException(str(error)) from error
    _say(report.summary())
    for line in report.events():
        _say(line)


def _export_epub(
    archive: Archive,
    article_ids: list[int] | None,
    out: str,
    query: tuple[str, ...],
    *,
    force: bool,
) -> str:
    """The EPUB export's summary line; one book is titled with the query and the date."""
    from datetime import date

    from reader.export.epub import export_epub

    words = one_line(" ".join(query)).strip()
    title = f"{words or 'All articles'} ({date.today().isoformat()})"
    return export_epub(archive, article_ids, out, title=title, force=force).summary()


@main.command("import-annotations")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--max-size",
    type=SizeParam(),
    default=None,
    show_default="256MB",
    help="Refuse a file larger than this (256MB, 1GB, ...).",
)
@click.pass_context
def import_annotations_command(ctx: click.Context, file: Path, max_size: int | None) -> None:
    """Restore tags, states and annotations from FILE (made by `reader export --format json`).

    Articles are found by URL, else by the SHA-256 of their saved page, so import the
    same pages first. A missing page (known from another service's export) comes back
    as one, or fills the article that has its URL. Running it twice adds nothing the
    second time. A file that is not such an export (or is damaged) is refused in one
    line, before any change.
    """
    from reader.export import ImportFormatError, import_annotations
    from reader.export.userdata_file import DEFAULT_MAX_SIZE, load

    try:
        data = load(file, max_size=max_size or DEFAULT_MAX_SIZE)
    except ImportFormatError as error:
        raise click.ClickException(str(error)) from error
    # It can make articles now (missing pages): restoring into a new archive is a backup's
    # other half, so it makes one, as `reader import` does, and says where.
    with open_archive(ctx, create=True) as archive:
        report = import_annotations(archive, data)
    made = f", {plural(report.missing, 'missing page')} made again" if report.missing else ""
    waiting = f", {report.waiting} waiting for their pages" if report.waiting else ""
    _say(
        f"{file}: {report.matched} of {plural(report.articles, 'article')} found{made};"
        f" {plural(report.added, 'annotation')} restored, {report.present} already present,"
        f" {report.orphaned} no longer found in the text{waiting};"
        f" {plural(report.tags_added, 'tag')} added, {plural(report.states_changed, 'state')}"
        " restored"
    )
    if report.bad_tags:
        names = ", ".join(one_line(name)[:40] for name in report.bad_tags[:5])
        _say(f"Skipped {plural(len(report.bad_tags), 'tag')} the archive cannot take: {names}")
    if report.unmatched:
        _say(f"Not in this archive ({len(report.unmatched)}); import these pages first:")
        for label in report.unmatched:
            _say("  " + one_line(label))
