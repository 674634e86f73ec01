"""`reader show`, `delete`, `reindex`, `check`, `optimize` and `backup`: one article, or
the whole file.

Page text is printed with click.echo (plain text, never Rich markup); the pipeline has
already stripped control characters from it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from reader.archive import ReadOnlyError
from reader.archive.checking import ids_line
from reader.cli.app import console, db_path_from, env_jobs, err_console, main, open_archive
from reader.cli.importing import progress_bar, say
from reader.importer import highlights_line
from reader.models import is_waiting
from reader.textrules import display_line, one_line, plural

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.models import Annotation, Article, ArticleSummary


def article_header(article: Article) -> list[str]:
    """The lines under the title: who, where, when, the link, how long, the tags."""
    lines: list[str] = []
    who = " · ".join(
        part
        for part in (
            one_line(article.byline),
            one_line(article.site_name),
            (article.published or "")[:10],
        )
        if part
    )
    if who:
        lines.append(who)
    if article.url:
        lines.append(one_line(article.url))
    # A missing page has no text to time: it says what it is instead.
    length = "missing page" if article.missing else f"{article.reading_minutes} min read"
    extra = f"{length} · added {article.added_at[:10]}"
    if article.tags:
        extra += " · tags: " + ", ".join(article.tags)
    lines.append(extra)
    return lines


def article_json(article: Article, annotations: list[Annotation]) -> dict[str, Any]:
    """Everything about an article, for scripts: fields, tags, blocks, text, annotations."""
    data = {
        name: getattr(article, name)
        for name in article.__dataclass_fields__
        if name not in ("document", "tags")
    }
    data["tags"] = list(article.tags)
    data["blocks"] = [block.to_dict() for block in article.document.blocks]
    data["text"] = article.text
    data["annotations"] = [
        {
            "id": a.id,
            "start": a.start,
            "end": a.end,
            "exact": a.exact,
            "prefix": a.prefix,
            "suffix": a.suffix,
            "note": a.note,
            "color": a.color,
            "orphaned": a.orphaned,
            "waiting": is_waiting(a, missing=article.missing),
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }
        for a in annotations
    ]
    return data


def _get_article(archive: Archive, article_id: int) -> Article:
    article = archive.get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article #{article_id}")
    return article


_AUTOLINK = re.compile(r"https?://[^\s<>]+")


def _markdown_line(line: str) -> str:
    """A header line in Markdown: a URL as an autolink, anything else escaped, italic."""
    from reader.document.markdown import escape_markdown

    if _AUTOLINK.fullmatch(line):
        return f"<{line}>  "
    return f"*{escape_markdown(line)}*  "


@main.command("show")
@click.argument("article_id", metavar="ID", type=int)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="markdown",
    show_default=True,
    help="markdown: headed by its details; text: title and plain text; json: everything.",
)
@click.pass_context
def show_command(ctx: click.Context, article_id: int, fmt: str) -> None:
    """Print article ID (the numbers `reader list` shows)."""
    from reader.document.markdown import escape_markdown, render_markdown

    with open_archive(ctx) as archive:
        article = _get_article(archive, article_id)
        wanted = fmt == "json" or (fmt == "markdown" and article.missing)
        annotations = archive.annotations_for(article_id) if wanted else []
    title = one_line(article.title) or "(untitled)"
    if fmt == "json":
        click.echo(json.dumps(article_json(article, annotations), ensure_ascii=False, indent=2))
    elif fmt == "text":
        click.echo(f"{title}\n\n{article.text}".rstrip("\n"))
    else:
        header = "\n".join(_markdown_line(line) for line in article_header(article))
        if article.missing:
            body = _waiting_annotations(article, annotations)
        else:
            body = render_markdown(article.document).strip("\n")
        click.echo(f"# {escape_markdown(title)}\n\n{header.rstrip()}\n\n{body}".rstrip("\n"))
    if article.missing and fmt != "json":  # JSON says "missing": true
        say(missing_page_line(article), error=True)


def missing_page_line(article: ArticleSummary) -> str:
    """What to do about a missing page, in one line."""
    if not article.url:
        return "Its page is not in the archive yet, and no URL is known for it."
    return (
        f"Its page is not in the archive yet: save {one_line(article.url)} in your browser,"
        " then `reader import` the file; it fills this article and places its highlights."
    )


def _waiting_annotations(article: Article, annotations: list[Annotation]) -> str:
    """A missing page's body: its highlights (quotes waiting for the page) and notes,
    as `reader export` writes them."""
    from reader.export.render import annotation_sections, article_fields

    return "\n\n".join(annotation_sections(article_fields(article, annotations)))


def interactive() -> bool:
    """Whether someone is at a terminal to answer a question (not a script or a pipe)."""
    return sys.stdin.isatty()


@main.command("delete")
@click.argument("article_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_command(ctx: click.Context, article_ids: tuple[int, ...], yes: bool) -> None:
    """Delete articles with their saved originals, tags and annotations.

    Asks first when run in a terminal, unless --yes.
    """
    with open_archive(ctx) as archive:
        found: list[ArticleSummary] = []
        missing: list[int] = []
        for article_id in dict.fromkeys(article_ids):
            summary = archive.get_summary(article_id)
            if summary is None:
                missing.append(article_id)
            else:
                found.append(summary)
        for article_id in missing:
            say(f"no article #{article_id}", error=True)
        if found and not yes and interactive():
            for summary in found:
                notes = (
                    f" and its {plural(summary.annotation_count, 'annotation')}"
                    if summary.annotation_count
                    else ""
                )
                say(f"#{summary.id} {one_line(summary.title) or '(untitled)'}{notes}")
            if not click.confirm(f"Delete {plural(len(found), 'article')}?", err=True):
                say("Nothing deleted.", error=True)
                ctx.exit(1)
        deleted, refused = _delete_each(archive, [summary.id for summary in found])
    if deleted:
        say(f"Deleted {plural(len(deleted), 'article')} ({ids_line(deleted, shown=len(deleted))})")
    if refused is not None:
        raise click.ClickException(refused)
    ctx.exit(1 if missing else 0)


def _delete_each(archive: Archive, ids: list[int]) -> tuple[list[int], str | None]:
    """Delete articles one transaction each; the ids deleted, and, if the archive
    refused one (read-only, damaged, a full disk), that one line with the ids left."""
    from reader.archive import ArchiveError

    deleted: list[int] = []
    for index, article_id in enumerate(ids):
        try:
            if archive.delete_article(article_id):
                deleted.append(article_id)
        except ArchiveError as error:
            return deleted, f"{error}; not deleted: {ids_line(ids[index:])}"
    return deleted, None


@main.command("reindex")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes extracting at once (default: the CPU count; 1: no pool).",
)
@click.pass_context
def reindex_command(ctx: click.Context, jobs: int | None) -> None:
    """Extract every article again from its saved original with this version of reader.

    Tags, reading state and annotations stay; highlights are found again in the new text
    (re-anchored), and those that cannot be are kept, marked orphaned.
    Exit status: 0 done, 1 some failed, 130 interrupted (Ctrl-C; each article is whole).
    """
    from reader.importer import reindex_archive

    with open_archive(ctx) as archive, progress_bar("Reindexing") as progress:
        report = reindex_archive(archive, jobs=jobs or env_jobs(), progress=progress)
    for article_id, note in report.pictures_refused:
        say(f"#{article_id}: {note}", style="dim")
    for article_id, reason in report.failed:
        say(f"#{article_id}: {reason}", error=True, style="red")
    interrupted = f", interrupted with {report.interrupted} left" if report.interrupted else ""
    missing = f", {plural(report.missing, 'missing page')} passed over" if report.missing else ""
    say(
        f"Reindexed {plural(len(report.updated), 'article')}, {len(report.failed)} failed"
        f"{missing}{interrupted}; "
        + highlights_line(report.reanchored, report.moved, report.orphaned)
    )
    ctx.exit(report.exit_code)


@main.command("check")
@click.option(
    "--repair",
    is_flag=True,
    help="Rebuild the search indexes if they are damaged or out of step.",
)
@click.pass_context
def check_command(ctx: click.Context, repair: bool) -> None:
    """Check the archive: SQLite integrity, links between tables, search indexes, highlights.

    Prints "ok", or each problem on its own line and what to do about it (exit status 1):
    damaged search indexes are rebuilt by --repair; damaged pages elsewhere are never
    written to: `reader recover NEW.db` copies what can be read into a new archive.
    """
    with open_archive(ctx) as archive:
        if repair and archive.readonly:  # it could neither check all nor rebuild
            raise ReadOnlyError.at(archive.path)
        diagnosis = archive.diagnose()
        if repair and diagnosis.damaged_indexes and not diagnosis.damaged_file:
            _print_problems(diagnosis.problems)
            rebuilt = archive.rebuild_search_index()
            say(f"Rebuilt the search indexes ({', '.join(rebuilt)}).")
            diagnosis = archive.diagnose()
    for note in diagnosis.unchecked:
        err_console.print(Text(f"({display_line(note)})", style="dim"), soft_wrap=True)
    if not diagnosis.problems:
        console.print("ok")
        return
    _print_problems(diagnosis.problems)
    if repair and diagnosis.damaged_file:
        say("Not repaired: the file has damaged pages, which reader never writes to.", error=True)
    if diagnosis.remedy:
        say(diagnosis.remedy, error=True)
    ctx.exit(1)


def _print_problems(problems: list[str]) -> None:
    for problem in problems:
        err_console.print(Text(display_line(problem)), soft_wrap=True)


@main.command("optimize")
@click.pass_context
def optimize_command(ctx: click.Context) -> None:
    """Merge the search indexes into one piece each, so that searches read less.

    Worth it after a big import: every import leaves pieces that searches read one by
    one. Works a few megabytes at a time; the reader can stay open. Exit status: 0
    done, 130 interrupted (Ctrl-C; what was merged stays merged: run it again to go on).
    """
    with open_archive(ctx) as archive:
        if archive.readonly:
            raise ReadOnlyError.at(archive.path)
        steps = 0

        def count(index: str) -> None:
            nonlocal steps
            steps += 1

        try:
            with err_console.status("Merging the search indexes…"):
                archive.merge_search_indexes(count)
        except KeyboardInterrupt:
            say(
                f"Interrupted after {plural(steps, 'step')}: what was merged stays merged;"
                " run `reader optimize` again to go on.",
                error=True,
            )
            ctx.exit(130)
    if steps:
        say(f"Merged the search indexes in {plural(steps, 'step')}.")
    else:
        say("The search indexes were merged already.")


@main.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_context
def backup_command(ctx: click.Context, dest: Path, force: bool) -> None:
    """Copy the archive to DEST, consistently, even while the reader or an import runs."""
    if dest.exists() and not force:
        raise click.ClickException(f"{dest} exists (--force to overwrite it)")
    if dest.resolve() == db_path_from(ctx).resolve():
        raise click.ClickException(f"{dest} is the archive itself")
    if not dest.parent.is_dir():
        raise click.ClickException(f"{dest.parent}: no such folder")
    with open_archive(ctx) as archive:
        archive.backup(dest)
    say(f"Backed up to {dest}")
