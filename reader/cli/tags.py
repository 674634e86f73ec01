"""`reader tag`, `reader untag` and `reader tags` (list, rename, merge, delete).

Tag names are case-insensitive and trimmed by the archive (`clean_tag_name`); what it
refuses (an empty name, one too long, a tag that does not exist, an article that does
not exist) comes back as one line and exit status 1. Names are user text printed as
rich Text, never markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.text import Text

from reader.cli.app import console, err_console, main, open_archive
from reader.textrules import display_line, plural

if TYPE_CHECKING:
    from reader.archive import Archive


@contextmanager
def _tag_errors() -> Iterator[None]:
    """The archive's refusals as exit 1 with their one line."""
    from reader.archive import TagError

    try:
        yield
    except TagError as error:
        raise click.ClickException(str(error)) from error


def _clean(name: str) -> str:
    """`name` as the archive keeps it; a name it refuses is exit 1 with the reason."""
    from reader.archive import clean_tag_name

    try:
        return clean_tag_name(name)
    except ValueError as error:
        raise click.ClickException(str(error)) from error


def _say(text: str) -> None:
    err_console.print(Text(display_line(text)), soft_wrap=True)


def _require_article(archive: Archive, article_id: int) -> None:
    if archive.get_summary(article_id) is None:
        raise click.ClickException(f"no article #{article_id}")


def _show_tags(archive: Archive, article_id: int) -> None:
    """The article's tags after a change, on standard output: `#3: go, rust`."""
    names = archive.tags_of(article_id)
    console.print(
        Text(f"#{article_id}: " + (display_line(", ".join(names)) if names else "(no tags)")),
        soft_wrap=True,
    )


@main.command("tag")
@click.argument("article_id", type=int)
@click.argument("names", nargs=-1, required=True)
@click.pass_context
def tag_command(ctx: click.Context, article_id: int, names: tuple[str, ...]) -> None:
    """Tag article ARTICLE_ID with each NAME (new tags are created)."""
    cleaned = [_clean(name) for name in names]
    with open_archive(ctx) as archive:
        _require_article(archive, article_id)
        with _tag_errors():
            archive.add_tags([article_id], cleaned)
        _show_tags(archive, article_id)


@main.command("untag")
@click.argument("article_id", type=int)
@click.argument("names", nargs=-1, required=True)
@click.pass_context
def untag_command(ctx: click.Context, article_id: int, names: tuple[str, ...]) -> None:
    """Take each NAME off article ARTICLE_ID; exit 1 if it did not have one of them."""
    cleaned = [_clean(name) for name in names]
    with open_archive(ctx) as archive:
        _require_article(archive, article_id)
        had = {name.casefold() for name in archive.tags_of(article_id)}
        absent = [name for name in cleaned if name.casefold() not in had]
        with _tag_errors():
            archive.remove_tags([article_id], cleaned)
        _show_tags(archive, article_id)
    for name in absent:
        _say(f"article #{article_id} was not tagged {name!r}")
    ctx.exit(1 if absent else 0)


@main.group("tags", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the tags as JSON.")
@click.pass_context
def tags_group(ctx: click.Context, as_json: bool) -> None:
    """List tags with how many articles carry each; or rename, merge, delete one.

    \b
    reader tags                 every tag and its count
    reader tags rename OLD NEW  (a change of case too)
    reader tags merge A B       A's articles get B; A goes
    reader tags delete T        T comes off every article
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_archive(ctx) as archive:
        counts = archive.tag_counts()
    if as_json:
        data = [{"name": t.name, "count": t.count} for t in counts]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not counts:
        _say("No tags.")
        return
    width = len(str(max(t.count for t in counts)))
    for tag in counts:
        line = Text(f"{tag.count:>{width}}  ", style="dim")
        line.append(display_line(tag.name))
        console.print(line, soft_wrap=True)
    _say(plural(len(counts), "tag"))


@tags_group.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_context
def tags_rename(ctx: click.Context, old: str, new: str) -> None:
    """Rename tag OLD to NEW on every article (to join two tags, use merge)."""
    with open_archive(ctx) as archive, _tag_errors():
        archive.rename_tag(old, new)
    _say(f"Renamed {_clean(old)!r} to {_clean(new)!r}")


@tags_group.command("merge")
@click.argument("source")
@click.argument("target")
@click.pass_context
def tags_merge(ctx: click.Context, source: str, target: str) -> None:
    """Give SOURCE's articles tag TARGET (created if needed), then delete SOURCE."""
    with open_archive(ctx) as archive, _tag_errors():
        archive.merge_tags(source, target)
    _say(f"Merged {_clean(source)!r} into {_clean(target)!r}")


@tags_group.command("delete")
@click.argument("name")
@click.pass_context
def tags_delete(ctx: click.Context, name: str) -> None:
    """Delete tag NAME from every article (the articles stay)."""
    with open_archive(ctx) as archive, _tag_errors():
        count = archive.delete_tag(name)
    _say(f"Deleted tag {_clean(name)!r} from {plural(count, 'article')}")
