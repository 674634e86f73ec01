"""`reader import PATH...`: saved pages into the archive, with a progress bar and a summary.

The work is `reader.importer.import_paths` (the TUI calls the same function); this module
parses options, draws the progress bar on standard error and prints the summary. File
names and reasons are printed as plain text, never Rich markup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from reader.cli.app import console, env_jobs, err_console, main, open_archive
from reader.cli.sizes import SizeParam
from reader.importer import (
    DEFAULT_MAX_SIZE,
    STDIN,
    ImportReport,
    ProgressCallback,
    import_bytes,
    import_paths,
)
from reader.textrules import display_line


def clean_tags(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    """Tag names as the archive will keep them; a bad one is a usage error (exit 2)."""
    from reader.archive.tags import clean_tag_name

    names: list[str] = []
    for value in values:
        try:
            name = clean_tag_name(value)
        except ValueError as error:
            raise click.BadParameter(str(error), ctx, param) from error
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


class RateColumn(ProgressColumn):
    """Pages per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} pages/s", style="progress.data.speed")


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
    """A Rich progress bar on standard error while the block runs, fed by the callback
    `import_paths` takes. Not drawn when standard error is not a terminal (logs, pipes).

    Redrawn by each callback rather than by Rich's refresh thread: the process stays
    single-threaded, so the import pool can fork its workers (see reader.importer.pool).
    """
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        TextColumn("left"),
        TextColumn("{task.fields[name]}", markup=False),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=True,
        auto_refresh=False,
    )
    task = bar.add_task(label, total=None, name="")

    def update(done: int, total: int, path: str) -> None:
        bar.update(task, completed=done, total=total, name=display_line(Path(path).name)[:40])
        bar.refresh()

    with bar:
        yield update


def say(text: str, *, error: bool = False, style: str = "") -> None:
    """One line of the summary, as plain text (file names are not markup)."""
    (err_console if error else console).print(Text(display_line(text), style=style), soft_wrap=True)


def print_report(report: ImportReport, *, update: bool) -> None:
    """Duplicates and failures by name, then one summary line."""
    for path, existing in report.duplicates:
        say(f"{path}: duplicate of #{existing}" + ("" if update else " (skipped)"), style="dim")
    for path, note in report.pictures_refused:
        say(f"{path}: {note}", style="dim")
    for path, reason in report.failed:
        say(f"{path}: {reason}", error=True, style="red")
    if report.total == 0 and not report.interrupted and not report.stopped:
        from reader.ingest.sources import WALKED_EXTENSIONS

        kinds = " ".join(sorted(WALKED_EXTENSIONS))
        say(f"No saved pages found (a folder is searched for {kinds} files)", error=True)
        return
    for line in report.summary(update=update).splitlines():
        say(line)


def read_stdin(max_size: int) -> bytes:
    """Standard input, read only up to one byte past the limit (a stream can be endless)."""
    if sys.stdin.isatty():  # `-` typed at a terminal: say why nothing happens
        say("Reading a page from standard input (end it with Ctrl-D)...", error=True)
    return sys.stdin.buffer.read(max_size + 1)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--tag",
    "-t",
    "tags",
    multiple=True,
    callback=clean_tags,
    help="Tag everything imported (repeat for more tags).",
)
@click.option(
    "--update",
    is_flag=True,
    help="Re-extract pages already in the archive, keeping their tags, state and annotations.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes extracting pages at once (default: the CPU count; 1: no pool).",
)
@click.option(
    "--max-size",
    type=SizeParam(),
    default=DEFAULT_MAX_SIZE,
    show_default="50MB",
    help="Skip files larger than this (50MB, 200k, ...).",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    tags: list[str],
    update: bool,
    jobs: int | None,
    max_size: int,
) -> None:
    """Import saved web pages: files, folders (recursively) and - for standard input.

    \b
    Understands HTML saved by a browser, SingleFile or wget, MHTML (.mhtml/.mht),
    Safari .webarchive, and plain-text (.txt) and Markdown (.md) articles, whose front
    matter tags and ==marks== become tags and highlights; a folder's *_files/ asset
    folders are skipped. Other services' exports are read too (Pocket, Omnivore,
    wallabag, Instapaper, Readwise and Readwise Reader, Netscape bookmark files): each
    entry becomes an article, a "missing page" where the export has only its URL, filled
    when that page is imported; their highlights are placed on the text or kept waiting.
    Highlights made on an e-reader come back: KOReader's sidecars (a book's .sdr folder),
    its JSON and Markdown highlight exports, Kindle's My Clippings.txt; each lands on the
    article it was made on (by the ids of a book reader exported, else by title).
    A page already in the archive (same URL, else same bytes) is skipped as a duplicate,
    or re-extracted with --update. A file that cannot be imported is named with a
    one-line reason and the others go on; no article is ever half-saved. With a pool,
    a page that crashes its worker or takes over 5 minutes is named and skipped.
    Exit status: 0 all imported or duplicates, 1 some failed, 2 usage error, 130
    interrupted (Ctrl-C; every page saved before it is whole).
    """
    files = [p for p in paths if p != STDIN]
    with open_archive(ctx, create=True) as archive:
        report = ImportReport()
        if files:
            with progress_bar("Importing") as update_bar:
                report = import_paths(
                    archive,
                    files,
                    jobs=jobs if jobs is not None else env_jobs(),
                    tags=tags,
                    update=update,
                    max_size=max_size,
                    progress=update_bar,
                )
        if STDIN in paths and not report.stopped:
            report.merge(
                import_bytes(
                    archive, read_stdin(max_size), tags=tags, update=update, max_size=max_size
                )
            )
    print_report(report, update=update)
    sys.stdout.flush()
    ctx.exit(report.exit_code)
