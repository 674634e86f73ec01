"""`reader highlight`, `reader note`, `reader annotations` and `reader annotation`.

Highlights from the shell: a quote is looked up in the article's text the way a person
types it (whitespace runs count as one space, so a line break in the page does not
matter), and the first occurrence is taken (`--nth` picks another), saying so when there
are more. Listings print page text and notes as rich Text, never markup, one line per
quote.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from reader.cli.app import console, err_console, main, open_archive
from reader.models import COLORS, is_waiting
from reader.query import QueryError, parse_query
from reader.textrules import display_line, one_line, plural, strip_controls

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.models import Annotation, ArticleSummary

# How each highlight colour shows in a terminal.
COLOR_STYLES = {"yellow": "yellow", "green": "green", "blue": "blue", "pink": "magenta"}
QUOTE_PREVIEW = 60  # characters of a quote shown in one-line messages

# Query words may start with "-" (-word, -tag:x), as in `reader search`.
_QUERY_SETTINGS = {"ignore_unknown_options": True, "help_option_names": ["--help"]}


def preview(text: str, limit: int = QUOTE_PREVIEW) -> str:
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _summary_or_fail(archive: Archive, article_id: int) -> ArticleSummary:
    summary = archive.get_summary(article_id)
    if summary is None:
        raise click.ClickException(f"no article #{article_id}")
    return summary


@contextmanager
def _archive_errors() -> Iterator[None]:
    """The archive's refusals (one line each) as exit 1 with that line."""
    from reader.archive import AnnotationError

    try:
        yield
    except AnnotationError as error:
        raise click.ClickException(str(error)) from error


def _note_argument(text: str) -> str:
    """A note as given, or standard input for `-` (notes may span lines), without
    control characters or bidi overrides: a note is shown in the reader and exported,
    and piped text can carry terminal escapes (the archive strips them too)."""
    return strip_controls(sys.stdin.read() if text == "-" else text)


# --- highlight / note -------------------------------------------------------------


@main.command("highlight")
@click.argument("article_id", type=int)
@click.argument("quote")
@click.option("--note", "-n", default="", help="A note on the highlight (- reads standard input).")
@click.option(
    "--color",
    "-c",
    type=click.Choice(COLORS),
    default="yellow",
    show_default=True,
    help="The highlight's colour.",
)
@click.option(
    "--nth",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Which occurrence of QUOTE to highlight.",
)
@click.option(
    "--tag",
    "-t",
    "tags",
    multiple=True,
    help="Tag the highlight (repeatable); one word: letters, digits, - _ /.",
)
@click.pass_context
def highlight_command(
    ctx: click.Context,
    article_id: int,
    quote: str,
    note: str,
    color: str,
    nth: int,
    tags: tuple[str, ...],
) -> None:
    """Highlight QUOTE in article ARTICLE_ID; prints the highlight's id.

    QUOTE is matched with whitespace runs counted as one space (the page may break
    lines where you typed a space). When it occurs more than once the first is
    highlighted (--nth picks another) and the message says so. Over highlights
    already there (overlapping or touching), it extends the oldest of them over them
    all, keeping every note and tag, and says "Extended highlight #N". The highlight's
    tags are those of --tag and the #words of its note (#idea, #project/reader).
    """
    from reader.anchor import TextQuoteSelector, find_quote, locate, make_selector

    if not quote.strip():
        raise click.UsageError("the quote is empty", ctx)
    note = _note_argument(note)
    with open_archive(ctx) as archive:
        article = archive.get_article(article_id)
        if article is None:
            raise click.ClickException(f"no article #{article_id}")
        if article.missing:
            raise click.ClickException(
                f"article #{article_id} is a missing page: it has no text to highlight until"
                f" its page is imported (`reader show {article_id}` says how)"
            )
        text = article.text
        places = find_quote(text, quote)
        if not places:
            message = f"article #{article_id} does not contain {preview(quote)!r}"
            close = locate(text, TextQuoteSelector(quote.strip()))
            if close is not None:
                message += f" (closest: {preview(text[close[0] : close[1]])!r})"
            raise click.ClickException(message)
        if nth > len(places):
            raise click.ClickException(
                f"article #{article_id} has {plural(len(places), 'occurrence')}"
                f" of {preview(quote)!r}, not {nth}"
            )
        start, end = places[nth - 1]
        # With what was read: another program may extract the article again before the
        # write, and the archive then places the highlight by these words (or refuses).
        seen = make_selector(text, start, end)
        with _archive_errors():
            result = archive.highlight(
                article_id, start, end, note=note, color=color, quote=seen, tags=tags
            )
    highlight = result.annotation
    click.echo(highlight.id)
    start, end = result.placed
    where = f"characters {start}-{end}"
    if result.reanchored:
        where += ", where the words are after the article was extracted again meanwhile"
    elif len(places) > 1:
        which = "the first" if nth == 1 else f"number {nth}"
        where += f", {which} of {len(places)} occurrences"
    quote = preview(result.placed_quote)
    if result.extended:
        merged = ", ".join(f"#{a.id}" for a in result.replaced[1:])
        err_console.print(
            Text(
                f"Extended highlight #{highlight.id} over {quote!r} ({where})"
                + (f", merging {merged}" if merged else "")
                + f"; it now reads {preview(highlight.exact)!r}"
            ),
            soft_wrap=True,
        )
        return
    err_console.print(
        Text(f"Highlighted {quote!r} in article #{article_id} ({where})"), soft_wrap=True
    )


@main.command("note")
@click.argument("article_id", type=int)
@click.argument("text")
@click.pass_context
def note_command(ctx: click.Context, article_id: int, text: str) -> None:
    """Add a note to article ARTICLE_ID as a whole (TEXT - reads standard input);
    prints the new annotation's id."""
    text = _note_argument(text)
    if not text.strip():
        raise click.UsageError("the note is empty", ctx)
    with open_archive(ctx) as archive:
        _summary_or_fail(archive, article_id)
        with _archive_errors():
            annotation_id = archive.add_article_note(article_id, text)
    click.echo(annotation_id)
    err_console.print(Text(f"Noted on article #{article_id}"), soft_wrap=True)


# --- annotations (listing) ----------------------------------------------------------


def annotation_json(annotation: Annotation, *, missing: bool = False) -> dict[str, Any]:
    """The raw fields of one annotation, for scripts; `missing`: its article is a
    missing page, whose highlights are `waiting` for it rather than orphaned."""
    return {
        "id": annotation.id,
        "type": "note" if annotation.is_article_note else "highlight",
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "note": annotation.note,
        "color": annotation.color,
        "tags": list(annotation.tags),
        "orphaned": annotation.orphaned,
        "waiting": is_waiting(annotation, missing=missing),
        "created_at": annotation.created_at,
        "updated_at": annotation.updated_at,
    }


def _grouped(archive: Archive, article_ids: list[int] | None) -> dict[int, list[Annotation]]:
    """Annotations by article (None: of every article, in one query)."""
    grouped: dict[int, list[Annotation]] = {}
    for annotation in archive.iter_annotations(article_ids):
        grouped.setdefault(annotation.article_id, []).append(annotation)
    return grouped


def _indented(text: str, indent: str, style: str = "") -> Iterable[Text]:
    """A note line by line (its own line breaks kept), each line made safe."""
    for line in text.strip().splitlines():
        yield Text(indent + display_line(line).rstrip(), style=style)


def annotation_lines(annotation: Annotation, *, missing: bool = False) -> list[Text]:
    """How one annotation prints in `reader annotations` (`missing`: its article is a
    missing page)."""
    lines: list[Text] = []
    if annotation.is_article_note:
        notes = list(_indented(annotation.note, "       "))
        head = Text(f"  ✎ {annotation.id:>4} ", style="dim")
        if notes:
            head.append_text(Text(notes[0].plain.lstrip()))
        lines.append(head)
        lines.extend(notes[1:])
        return lines
    style = COLOR_STYLES.get(annotation.color, "yellow")
    head = Text("  ")
    head.append("▌", style=style)
    head.append(f" {annotation.id:>4} ", style="dim")
    if is_waiting(annotation, missing=missing):
        head.append("[waiting for its page] ", style="cyan")
    elif annotation.orphaned:
        head.append("[orphaned] ", style="red")
    head.append(one_line(annotation.exact), style="italic")
    lines.append(head)
    lines.extend(_indented(annotation.note, "         "))
    if annotation.tags:
        lines.append(Text("         " + tag_words(annotation.tags), style="cyan"))
    return lines


def tag_words(tags: Iterable[str]) -> str:
    """A highlight's tags as `#word`s on one line (tag words: nothing to make safe)."""
    return " ".join("#" + tag for tag in tags)


@main.command("annotations", context_settings=_QUERY_SETTINGS)
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print articles and annotations as JSON.")
@click.pass_context
def annotations_command(ctx: click.Context, query: tuple[str, ...], as_json: bool) -> None:
    """List highlights and notes, article by article, in reading order.

    QUERY (the search language of `reader search`) restricts the articles; its
    color:C and htag:T words (each may be negated, -color:C) also choose the highlights
    listed: `reader annotations color:yellow htag:idea` lists the yellow highlights
    tagged idea, and no article note. A highlight whose quote was not found again after
    re-extraction is flagged [orphaned]; one of a missing page (known from an export,
    `is:missing`) is [waiting for its page].
    """
    try:
        parsed = parse_query(" ".join(query))
    except QueryError as error:
        err_console.print(Text(f"reader: bad query: {error}"), soft_wrap=True)
        ctx.exit(2)
    with open_archive(ctx) as archive:
        ids = archive.article_ids(parsed.listing_highlights())
        grouped = _grouped(archive, ids if query else None)
        for article_id, group in grouped.items():
            grouped[article_id] = [a for a in group if parsed.highlights.keeps(a)]
        grouped = {article_id: group for article_id, group in grouped.items() if group}
        articles = [
            (summary, grouped[article_id])
            for article_id in ids
            if article_id in grouped and (summary := archive.get_summary(article_id)) is not None
        ]
    if as_json:
        data = [
            {
                "id": summary.id,
                "title": summary.title,
                "url": summary.url,
                "missing": summary.missing,
                "annotations": [annotation_json(a, missing=summary.missing) for a in notes],
            }
            for summary, notes in articles
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    total = 0
    for summary, notes in articles:
        head = Text()
        head.append(f"{summary.id:>5}  ", style="dim")
        head.append(one_line(summary.title) or "(untitled)", style="bold cyan")
        console.print(head, soft_wrap=True)
        for annotation in notes:
            for line in annotation_lines(annotation, missing=summary.missing):
                console.print(line, soft_wrap=True)
        console.print()
        total += len(notes)
    err_console.print(
        f"{plural(total, 'annotation')} in {plural(len(articles), 'article')}", markup=False
    )


# --- annotation edit / delete --------------------------------------------------------


@main.group("annotation")
def annotation_group() -> None:
    """Change or delete one highlight or note, by the id `reader annotations` shows."""


@annotation_group.command("edit")
@click.argument("annotation_id", type=int)
@click.option("--note", "-n", default=None, help="The new note (- reads standard input).")
@click.option("--color", "-c", type=click.Choice(COLORS), default=None, help="The new colour.")
@click.option("--tag", "-t", "tags", multiple=True, help="Tag the highlight (repeatable).")
@click.option("--untag", "untags", multiple=True, help="Remove a tag (repeatable).")
@click.pass_context
def annotation_edit(
    ctx: click.Context,
    annotation_id: int,
    note: str | None,
    color: str | None,
    tags: tuple[str, ...],
    untags: tuple[str, ...],
) -> None:
    """Change a highlight's note, colour or tags, or an article note's text.

    A new note's #words become tags, and a #word it drops is untagged; --untag of a
    tag the note names as a #word lasts until the note is saved again."""
    if note is None and color is None and not tags and not untags:
        raise click.UsageError("nothing to change: give --note, --color, --tag or --untag", ctx)
    if note is not None:
        note = _note_argument(note)
    with open_archive(ctx) as archive:
        annotation = archive.get_annotation(annotation_id)
        if annotation is None:
            raise click.ClickException(f"no annotation #{annotation_id}")
        if annotation.is_article_note:
            if color is not None:
                raise click.ClickException(f"annotation #{annotation_id} is a note: no colour")
            if note is not None and not note.strip():
                raise click.ClickException("an article note cannot be empty (delete it instead)")
            if tags or untags:
                raise click.ClickException(
                    f"annotation #{annotation_id} is a note: tags are the article's"
                    f" (`reader tag {annotation.article_id} ...`)"
                )
        with _archive_errors():
            archive.update_annotation(annotation_id, note=note, color=color)
            if tags or untags:
                changed = archive.tag_highlight(annotation_id, add=tags, remove=untags)
    message = f"Changed annotation #{annotation_id}"
    if tags or untags:
        message += f"; its tags: {tag_words(changed.tags) or 'none'}"
    err_console.print(Text(message), soft_wrap=True)


@annotation_group.command("delete")
@click.argument("annotation_ids", type=int, nargs=-1, required=True)
@click.pass_context
def annotation_delete(ctx: click.Context, annotation_ids: tuple[int, ...]) -> None:
    """Delete highlights or notes; exit 1 if an id was not found (the others go)."""
    missing = []
    with open_archive(ctx) as archive:
        for annotation_id in dict.fromkeys(annotation_ids):
            deleted = archive.delete_annotation(annotation_id)
            if deleted is None:
                missing.append(annotation_id)
                err_console.print(Text(f"no annotation #{annotation_id}"), soft_wrap=True)
                continue
            what = "note" if deleted.is_article_note else "highlight"
            quote = deleted.note if deleted.is_article_note else deleted.exact
            err_console.print(
                Text(f"Deleted {what} #{annotation_id}: {preview(quote)!r}"), soft_wrap=True
            )
    ctx.exit(1 if missing else 0)
