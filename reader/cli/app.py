"""The `reader` command group and what its commands share: which archive, and opening it.

Commands live in the modules beside this one, by what they work on; each is thin:
parse arguments, call the archive or the pipeline, print with Rich. Which archive and
which defaults is `reader.config`'s decision (--db > READER_DB > the config file >
./archive.db), made once a run, when a command first asks.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from reader import __version__
from reader.cli.output import guard_standard_output, standard_output_errors
from reader.config import DB_ENV, ConfigError, Settings, resolve
from reader.textrules import one_line, plural

if TYPE_CHECKING:
    from reader.archive import Archive

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

# Commands that never open an archive take no --db of their own.
NO_ARCHIVE = frozenset({"extract"})
DB_HELP = f"The archive file (default: {DB_ENV}, the config file's `archive`, ./archive.db)."


class ConfigFileError(click.ClickException):
    """A config file reader cannot use: one line naming file and line, exit status 2."""

    exit_code = 2


@dataclass
class Run:
    """What one `reader` run knows about its archive: --db if given, the settings once
    a command has asked for them."""

    db_option: Path | None = None
    _settings: Settings | None = None

    def choose_db(self, path: Path) -> None:
        self.db_option = path
        self._settings = None

    def settings(self) -> Settings:
        """The effective settings; a config file reader cannot use exits with status 2."""
        if self._settings is None:
            try:
                settings = resolve(self.db_option)
            except ConfigError as error:
                raise ConfigFileError(str(error)) from error
            unknown = settings.config.unknown
            if unknown:
                names = ", ".join(one_line(name)[:40] for name in unknown)
                ignored = plural(len(unknown), "unknown key")
                click.echo(f"{settings.config.path}: {ignored} ignored: {names}", err=True)
            self._settings = settings
        return self._settings


def run_of(ctx: click.Context) -> Run:
    return ctx.find_root().ensure_object(Run)


def settings_from(ctx: click.Context) -> Settings:
    """This run's settings (the archive, the theme, the export defaults)."""
    return run_of(ctx).settings()


def db_path_from(ctx: click.Context) -> Path:
    """The archive this run works on."""
    return settings_from(ctx).archive.value


def _choose_db(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        run_of(ctx).choose_db(value)


class ReaderGroup(click.Group):
    """A group whose commands also take --db after their name (`reader import F --db X`);
    its subgroups are ReaderGroups too.

    Standard output that fails (a full disk, a closed pipe) ends any command in one
    line or quietly, handled here once for all of them: see reader.cli.output.
    """

    group_class = type

    def main(self, *args: Any, **kwargs: Any) -> Any:
        guard_standard_output()
        return super().main(*args, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with standard_output_errors():  # --help is printed while the arguments are read
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with standard_output_errors():
            return super().invoke(ctx)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if cmd.name not in NO_ARCHIVE:
            cmd.params.append(
                click.Option(
                    ["--db"],
                    type=click.Path(dir_okay=False, path_type=Path),
                    expose_value=False,
                    callback=_choose_db,
                    help=DB_HELP,
                )
            )
        super().add_command(cmd, name)


@click.group(
    cls=ReaderGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@click.option(
    "--version",
    "show_version",
    is_flag=True,
    help="Print the version, the archive in use and the config file, and exit.",
)
@click.pass_context
def main(ctx: click.Context, db_path: Path | None, show_version: bool) -> None:
    """An offline archive of web articles: import, read, tag, search, annotate, export.

    With no command, opens the reader on the archive.
    """
    run = ctx.ensure_object(Run)
    if db_path is not None:
        run.choose_db(db_path)
    if show_version:
        click.echo(f"reader {__version__}")  # first, even if the config file is broken
        settings = run.settings()
        click.echo(f"archive: {describe_archive(settings)}")
        click.echo(f"config file: {describe_config(settings)}")
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        from reader.tui import run_tui  # imported late: the CLI should not pay for Textual

        settings = run.settings()
        path = settings.archive.value
        if will_create(path):
            announce_new_archive(settings)
        run_tui(path, settings.app_defaults)


def describe_archive(settings: Settings) -> str:
    """The archive's absolute path, where that choice came from, and whether it exists."""
    path = settings.archive.value
    missing = "" if path.exists() else "; not created yet"
    return f"{path.absolute()} ({settings.archive.source}{missing})"


def describe_config(settings: Settings) -> str:
    return str(settings.config.path) + ("" if settings.config.found else " (none there)")


def will_create(path: Path) -> bool:
    """Whether opening `path` makes a new archive (nothing there, or an empty file)."""
    if path.exists():
        return path.is_file() and path.stat().st_size == 0
    return path.absolute().parent.is_dir()  # else opening fails, with its own line


def announce_new_archive(settings: Settings) -> None:
    """The one line saying where a new archive is (standard error: stdout is for data)."""
    hint = ""
    if settings.archive.source == "default":
        hint = f" (--db, {DB_ENV} or the config file choose another: see `reader config`)"
    click.echo(f"New archive at {settings.archive.value.absolute()}{hint}", err=True)


@contextmanager
def open_archive(ctx: click.Context, *, create: bool = False) -> Iterator[Archive]:
    """The archive this run works on, opened for one command; errors become one line.

    Only commands that add to an archive (`create`) make a new one, and say where: a
    mistyped --db for `show` or `check` says so instead of leaving an empty archive behind.
    """
    from reader.archive import Archive, ArchiveError, MigrationError
    from reader.archive.base import damage_error, is_damage

    settings = settings_from(ctx)
    path = settings.archive.value
    if not create and not path.exists():
        raise click.ClickException(
            f"{path}: no archive here (`reader import PAGES` or `reader` starts one)"
        )
    try:
        archive = Archive(path)
    except (ArchiveError, MigrationError) as error:
        raise click.ClickException(str(error)) from error
    if archive.is_new:
        announce_new_archive(settings)
    try:
        yield archive
    except ArchiveError as error:  # a full disk, a read-only file, a lock held too long
        raise click.ClickException(str(error)) from error
    except sqlite3.DatabaseError as error:  # a damaged page no store made one line of
        if not is_damage(error):
            raise
        raise click.ClickException(str(damage_error(path, error))) from error
    finally:
        archive.close()


@main.command("config")
@click.option("--path", "path_only", is_flag=True, help="Print only the config file's path.")
@click.pass_context
def config_command(ctx: click.Context, path_only: bool) -> None:
    """Show the settings in effect and where each comes from.

    \b
    The config file (TOML; READER_CONFIG names another) sets defaults for every folder:
      archive = "~/notes/archive.db"     the archive when neither --db nor READER_DB is given
      theme = "nord"                     the reader's theme, until you choose one in it
      export_folder = "~/notes/reader"   where `reader export` and the export dialog write
      export_pictures = "on"             `reader export` writes pictures (as --pictures)
    A relative path is relative to the config file's folder.
    """
    settings = settings_from(ctx)
    if path_only:
        click.echo(str(settings.config.path))
        return
    rows: list[tuple[str, str]] = [("config file", describe_config(settings))]
    rows.append(("archive", describe_archive(settings)))
    for key, value, source in settings.rows()[1:]:
        rows.append((key, f"{one_line(value)} ({source})" if value else f"({source})"))
    width = max(len(key) for key, _ in rows)
    for key, text in rows:
        click.echo(f"{key.ljust(width)}  {text}")


def env_jobs() -> int:
    return os.cpu_count() or 1
