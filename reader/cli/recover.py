"""`reader recover DEST`: what can be read of a damaged archive, copied into a new one.

`reader check` sends the user here when pages of the archive are damaged. The damaged
file is opened read-only and never written to; DEST must not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.cli.app import db_path_from, main
from reader.cli.importing import say
from reader.textrules import one_line, plural

if TYPE_CHECKING:
    from reader.archive.recovery import RecoveryReport


@main.command("recover")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def recover_command(ctx: click.Context, dest: Path) -> None:
    """Copy everything readable of a damaged archive into a new archive DEST.

    Table by table and row by row, past the damaged pages; then the articles whose row
    was lost but whose saved original was not are extracted again from it, with their
    tags and highlights. Says what was saved and what was lost (exit status 1 unless
    everything was copied as it was). The damaged archive is only read; DEST must not
    exist.
    """
    from reader.archive import Archive, ArchiveError, MigrationError
    from reader.importer.recover import recover_archive

    path = db_path_from(ctx)
    if not path.exists():
        raise click.ClickException(f"{path}: no archive here")
    if dest.exists() or dest.is_symlink():
        raise click.ClickException(f"{dest} exists: recover writes a new archive")
    if not dest.absolute().parent.is_dir():
        raise click.ClickException(f"{dest.parent}: no such folder")
    try:
        source = Archive(path, readonly=True)
    except (ArchiveError, MigrationError) as error:
        raise click.ClickException(str(error)) from error
    try:
        report = recover_archive(source, dest)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    finally:
        source.close()
    print_report(report)
    ctx.exit(0 if report.complete else 1)


def print_report(report: RecoveryReport) -> None:
    """Table by table what was copied and lost, each lost article, then the verdict."""
    say(f"Recovered into {report.dest}:")
    width = max(len(count.table) for count in report.tables)
    for count in report.tables:
        line = f"  {count.table.ljust(width)}  {count.saved} copied"
        lost, ranges = count.lost, count.damaged_ranges
        if count.table == "articles":
            # Lost articles are known by id (the indexes name them): count those.
            lost = len(report.restored) + len(report.lost_articles)
            ranges = 0 if lost else ranges
        if lost:
            line += f", {lost} lost to damaged pages"
        if count.table == "articles" and report.restored:
            line += f" ({len(report.restored)} made again from their saved originals)"
        if ranges:
            line += f", rows in {plural(ranges, 'damaged range')} lost (how many is unknown)"
        say(line)
    for table, dropped in report.dropped.items():
        say(f"  {table}: {dropped} dropped with the article or tag they belonged to")
    if report.restored:
        ids = ", ".join(f"#{i}" for i in report.restored)
        say(
            f"Made again from their saved originals ({ids}): text and highlights are back;"
            " where you were in each is not."
        )
    for article in report.lost_articles:
        title = one_line(article.title or "")[:80] or "(title unknown)"
        url = f" <{one_line(article.url)}>" if article.url else ""
        say(f"lost: article #{article.id} {title}{url}", error=True)
    for problem in report.problems:
        say(f"the new archive: {problem}", error=True)
    if report.complete:
        say("Everything was copied as it was.")
    else:
        say(
            "Keep the damaged archive until you have looked through the new one.",
            error=True,
        )
