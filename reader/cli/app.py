"""The `reader` command group and what its commands share.

Commands live in the modules beside this one, by what they work on; each is thin:
parse arguments, call the archive or the pipeline, print with Rich.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from reader import __version__

DEFAULT_DB = "archive.db"

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="READER_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The archive file (also READER_DB).",
)
@click.version_option(__version__, "--version", prog_name="reader")
@click.pass_context
def main(ctx: click.Context, db_path: Path) -> None:
    """An offline archive of web articles: import, read, tag, search, annotate, export.

    With no command, opens the reader on the archive.
    """
    ctx.obj = {"db_path": db_path}
    if ctx.invoked_subcommand is None:
        from reader.tui import run_tui  # imported late: the CLI should not pay for Textual

        run_tui(db_path)


def db_path_from(ctx: click.Context) -> Path:
    return ctx.find_root().obj["db_path"]


@contextmanager
def open_archive(ctx: click.Context, *, create: bool = False) -> Iterator:
    """The archive named by --db, opened for one command; errors become one line.

    Only commands that add to an archive (`create`) make a new one: a mistyped --db
    for `show` or `check` says so instead of leaving an empty archive behind.
    """
    from reader.archive import Archive, ArchiveError, MigrationError

    path = db_path_from(ctx)
    if not create and not path.exists():
        raise click.ClickException(
            f"{path}: no archive here (`reader import PAGES` or `reader` starts one)"
        )
    try:
        archive = Archive(path)
    except (ArchiveError, MigrationError) as error:
        raise click.ClickException(str(error)) from error
    try:
        yield archive
    except ArchiveError as error:  # a full disk, a read-only file, a lock held too long
        raise click.ClickException(str(error)) from error
    finally:
        archive.close()


def env_jobs() -> int:
    return os.cpu_count() or 1
