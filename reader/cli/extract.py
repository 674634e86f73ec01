"""`reader extract FILE...`: what the import pipeline makes of pages, plain-text and
Markdown articles, with no archive.

For scripts, debugging an odd page, and extraction-quality benchmarks: the same
`reader.importer.extract_paths` that `reader import` runs, printed as text, Markdown,
JSON or JSON Lines. A page that fails is one line on standard error and the others
still print (exit status 1).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import closing

import click

from reader.cli.app import main
from reader.cli.importing import read_stdin
from reader.cli.sizes import SizeParam
from reader.importer import DEFAULT_MAX_SIZE, STDIN, Outcome, extract_bytes, extract_paths
from reader.ingest.page import ExtractedPage
from reader.textrules import display_line


def _user_data(page: ExtractedPage) -> dict[str, object]:
    """What the file gives the archive beside the article: its tags, and the ranges of
    the text it marks (a Markdown file's `==marks==`), each with its text."""
    text = page.text
    return {
        "tags": list(page.tags),
        "highlights": [
            {"start": start, "end": end, "text": text[start:end]} for start, end in page.highlights
        ],
    }


def render(page: ExtractedPage, path: str, fmt: str) -> str:
    """One page in format `fmt` (no trailing newline)."""
    if fmt == "jsonl":
        data = {"path": path, **page.metadata(), **_user_data(page), "text": page.text}
        return json.dumps(data, ensure_ascii=False)
    if fmt == "json":
        data = {
            "path": path,
            **page.metadata(),
            **_user_data(page),
            "blocks": [block.to_dict() for block in page.document.blocks],
            "text": page.text,
        }
        return json.dumps(data, ensure_ascii=False, indent=2)
    title = " ".join(page.title.split()) or "(untitled)"
    if fmt == "markdown":
        from reader.document.markdown import escape_markdown, render_markdown

        body = render_markdown(page.document).strip("\n")
        return f"# {escape_markdown(title)}\n\n{body}".rstrip("\n")
    return f"{title}\n\n{page.text}".rstrip("\n")


@main.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: title and text; markdown; json: metadata, blocks, text; jsonl: one line a page.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes extracting pages at once (output keeps the input order).",
)
@click.option(
    "--max-size",
    type=SizeParam(),
    default=DEFAULT_MAX_SIZE,
    show_default="50MB",
    help="Skip files larger than this.",
)
@click.pass_context
def extract_command(
    ctx: click.Context, files: tuple[str, ...], fmt: str, jobs: int, max_size: int
) -> None:
    """Print what reader makes of saved pages and articles, without importing them.

    FILE may be a saved page, a text or Markdown article, a folder (searched
    recursively) or - (standard input).
    jsonl prints one object a page: path, the metadata, tags and highlights the file
    gives, and the plain text.
    json prints one object a page: the same, and the blocks
    (several pages: one object after another, as jq reads them).
    """
    paths = [f for f in files if f != STDIN]
    extracted = extract_paths(paths, jobs=jobs, max_size=max_size)
    outcomes: Iterator[tuple[str, Outcome]] = extracted
    if STDIN in files:
        stdin = extract_bytes(read_stdin(max_size), STDIN, max_size=max_size)
        outcomes = itertools.chain(outcomes, [(STDIN, stdin)])
    failed = 0
    first = True
    with closing(extracted):  # stopped early (Ctrl-C, a closed pipe): the workers too
        for path, outcome in outcomes:
            if isinstance(outcome, str):
                failed += 1
                click.echo(display_line(f"{path}: {outcome}"), err=True)
                continue
            _, page = outcome
            separator = "" if first or fmt == "jsonl" else "\n"
            click.echo(separator + render(page, path, fmt))
            first = False
    ctx.exit(1 if failed else 0)
