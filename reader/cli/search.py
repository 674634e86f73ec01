"""`reader search QUERY` and `reader list [QUERY]`: the search language from the shell.

Several words on the command line are joined with spaces into one query, so
`reader search rust -java tag:to-read` works without quoting (a leading `-` is part
of the query, not an option); a phrase needs its quotes kept from the shell:
`reader search '"borrow checker"'`. Page text is printed as rich Text, never markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from reader.archive.checking import ids_line
from reader.cli.app import console, err_console, main, open_archive
from reader.models import ArticleSummary, SearchHit, split_snippet
from reader.query import Query, QueryError, parse_query
from reader.textrules import display_line, plural
from reader.urls import url_host

if TYPE_CHECKING:
    from reader.archive import Archive

PAGE = 500  # rows fetched at a time when listing everything
MISSING_LABEL = "missing page"  # known from an export, its page not imported yet


def _query_or_exit(ctx: click.Context, words: tuple[str, ...]) -> Query:
    text = " ".join(words)
    try:
        return parse_query(text)
    except QueryError as error:
        err_console.print(Text(f"reader: bad query: {error}"), soft_wrap=True)
        ctx.exit(2)
        raise AssertionError("unreachable") from error


def snippet_text(snippet: str, style: str = "bold") -> Text:
    """The snippet as rich Text with the matched words in `style`."""
    plain, ranges = split_snippet(snippet)
    text = Text(display_line(plain))  # one character for one: the ranges still fit
    for start, end in ranges:
        text.stylize(style, start, end)
    return text


def _date(hit: SearchHit) -> str:
    article = hit.article
    return (article.published or article.added_at or "")[:10]


def _site(article: ArticleSummary) -> str:
    """The site's name, else the URL's host (a missing page has no name until its
    page arrives)."""
    return article.site_name or url_host(article.url) or ""


def _title(article: ArticleSummary) -> str:
    """The title; a missing page with none (a bare bookmark) by its URL."""
    return article.title or (article.url or "" if article.missing else "") or "(untitled)"


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    article = hit.article
    snippet, matches = split_snippet(hit.snippet)
    data = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "site_name": article.site_name,
        "byline": article.byline,
        "published": article.published,
        "added_at": article.added_at,
        "lang": article.lang,
        "word_count": article.word_count,
        "starred": article.starred,
        "read_at": article.read_at,
        "archived_at": article.archived_at,
        "progress": article.progress,
        "tags": list(article.tags),
        "annotation_count": article.annotation_count,
        # Known from an export, its page not imported yet: `list --json is:missing`
        # gives the URLs still to save.
        "missing": article.missing,
        "rank": hit.rank,
        "snippet": snippet,
        "matches": [list(m) for m in matches],
        "annotation": None,
    }
    if hit.annotation is not None:
        a = hit.annotation
        data["annotation"] = {
            "id": a.id,
            "start": a.start,
            "end": a.end,
            "exact": a.exact,
            "note": a.note,
            "color": a.color,
        }
    return data


def _all_hits(archive: Archive, query: Query, limit: int | None) -> Iterator[SearchHit]:
    """Every hit (or the first `limit`), fetched a page at a time: each page of a
    listing goes on from the last row's key (Archive.search notes where each page
    ended), so the thousandth page costs what the first does."""
    offset = 0
    while limit is None or offset < limit:
        size = PAGE if limit is None else min(PAGE, limit - offset)
        hits = archive.search(query, offset=offset, limit=size)
        yield from hits
        if len(hits) < size:
            return
        offset += size


# Query words may start with "-" (-word, -tag:x): unknown options are kept as words,
# and only --help is help, so "-hello" is a word and not "-h".
_QUERY_SETTINGS = {"ignore_unknown_options": True, "help_option_names": ["--help"]}


@main.command(context_settings=_QUERY_SETTINGS)
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many results."
)
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search the archive: best matches first, with the matched words in bold.

    \b
    QUERY is the search language:
      words (all must match), word*, "exact phrase", OR, -word,
      tag:x -tag:x site:example.com author:name title:word lang:en
      is:unread|read|archived|starred|annotated|missing  has:highlights|notes
      color:yellow|green|blue|pink  htag:idea (a highlight's own tag)
      before:2024-03 after:2023 (YYYY, YYYY-MM or YYYY-MM-DD; published, else added)
      sort:relevance|added|published|title
    """
    parsed = _query_or_exit(ctx, query)
    with open_archive(ctx) as archive:
        hits = archive.search(parsed, limit=limit)
        # "about N" where counting exactly would cost more than the search itself.
        total = archive.count_estimate(parsed) if not as_json else None
        damaged = sorted(archive.damaged_articles)
    if as_json:
        click.echo(json.dumps([_hit_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        exit_if_damaged(ctx, damaged)
        return
    if not hits:
        err_console.print("No results.")
        exit_if_damaged(ctx, damaged)
        return
    for hit in hits:
        article = hit.article
        head = Text()
        head.append(f"{article.id:>5}  ", style="dim")
        head.append(display_line(_title(article)), style="bold cyan")
        console.print(head)
        meta = Text("       ")
        meta.append(
            " · ".join(
                part
                for part in (
                    MISSING_LABEL if article.missing else "",
                    _site(article),
                    _date(hit),
                    " ".join(article.tags),
                )
                if part
            ),
            style="dim",
        )
        console.print(meta)
        body = snippet_text(hit.snippet) if hit.snippet else Text(article.excerpt or "")
        if body.plain:
            console.print(Text("       ") + body)
        if hit.annotation is not None:
            a = hit.annotation
            line = Text("       ✎ ", style="yellow")
            # One line each: a highlight may span paragraphs, a note may have several.
            exact, note = " ".join(a.exact.split()), " ".join(a.note.split())
            line.append(display_line(exact or note), style="italic")
            if exact and note:
                line.append(" — ")
                line.append(display_line(note))
            console.print(line)
        console.print()
    assert total is not None
    about = "" if total.exact else "about "
    err_console.print(f"{len(hits)} of {about}{total.n} result{'s' if total.n != 1 else ''}")
    exit_if_damaged(ctx, damaged)


def exit_if_damaged(ctx: click.Context, damaged: list[int]) -> None:
    """After a listing that went on past articles on damaged pages: one line naming
    them, and exit status 1."""
    if not damaged:
        return
    err_console.print(
        Text(
            f"reader: {plural(len(damaged), 'article')} could not be read in full"
            f" ({ids_line(damaged)}): the archive is damaged; `reader check` says what"
            " and how to save the rest"
        ),
        soft_wrap=True,
    )
    ctx.exit(1)


def _list_widths(total: int) -> tuple[int, ...]:
    """Column widths for id, title, site, date, tags in a console `total` cells wide."""
    site = max(8, total // 7)
    tags = max(8, total // 5)
    title = max(10, total - 6 - site - 10 - tags - 4)
    return (6, title, site, 10, tags)


def _list_line(cells: tuple[str, ...], widths: tuple[int, ...], style: str = "") -> Text:
    """One row: each cell cut to its width with an ellipsis (cells are page text)."""
    line = Text(style=style, no_wrap=True, overflow="ellipsis")
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        text = Text(" ".join(cell.split()))
        if i == 0:
            text = Text(cell.rjust(width), style="dim" if not style else "")
        text.truncate(width, overflow="ellipsis", pad=True)
        if i:
            line.append(" ")
        line.append_text(text)
    line.rstrip()
    return line


@main.command("list", context_settings=_QUERY_SETTINGS)
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a list of objects as JSON.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N articles.")
@click.pass_context
def list_(ctx: click.Context, query: tuple[str, ...], as_json: bool, limit: int | None) -> None:
    """List articles (all of them, or those QUERY finds), newest added first.

    QUERY is the search language of `reader search` (see `reader search --help`);
    with words in it the list is ranked unless it says sort:added|published|title.
    """
    parsed = _query_or_exit(ctx, query)
    with open_archive(ctx) as archive:
        if as_json:
            click.echo("[", nl=False)
            for i, hit in enumerate(_all_hits(archive, parsed, limit)):
                data = _hit_json(hit)
                del data["snippet"], data["matches"], data["rank"], data["annotation"]
                click.echo(
                    ("," if i else "") + "\n  " + json.dumps(data, ensure_ascii=False), nl=False
                )
            click.echo("\n]")
            exit_if_damaged(ctx, sorted(archive.damaged_articles))
            return
        # One line per article, streamed: a Rich Table would hold (and lay out) all
        # 100,000 rows before printing the first.
        widths = _list_widths(console.width)
        console.print(_list_line(("id", "title", "site", "date", "tags"), widths, "bold"))
        rows = 0
        batch: list[Text] = []
        for hit in _all_hits(archive, parsed, limit):
            article = hit.article
            title = _title(article)
            cells = (
                str(article.id),
                f"[missing] {title}" if article.missing else title,
                _site(article),
                _date(hit),
                ", ".join(article.tags),
            )
            batch.append(_list_line(cells, widths, "dim" if article.missing else ""))
            rows += 1
            if len(batch) == PAGE:
                console.print(Text("\n").join(batch))
                batch = []
        if batch:
            console.print(Text("\n").join(batch))
        damaged = sorted(archive.damaged_articles)
    err_console.print(f"{rows} article{'s' if rows != 1 else ''}")
    exit_if_damaged(ctx, damaged)
