"""`reader stats [--json]`: your reading at a glance (Archive.reading_stats).

The weeks as a table (saved, read, reading time, highlights), the backlog by age and
the top tags and sites; names are user text printed as rich Text, never markup.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich import box
from rich.table import Table
from rich.text import Text

from reader.cli.app import console, main, open_archive
from reader.textrules import display_line, reading_time

if TYPE_CHECKING:
    from reader.archive import ReadingStats


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Your reading at a glance: saved and read per week, reading time, the backlog's
    age, highlights, top tags and sites (the last 26 weeks)."""
    with open_archive(ctx) as archive:
        stats = archive.reading_stats()
    if as_json:
        click.echo(json.dumps(stats.as_json(), ensure_ascii=False, indent=2))
        return
    console.print(_weeks_table(stats))
    console.print(f"Reading time in all: {reading_time(stats.reading_minutes_total)}\n")
    console.print(_backlog_table(stats))
    if stats.oldest_unread:
        console.print(f"Oldest unread: saved {stats.oldest_unread[:10]}")
    for table in _top_tables(stats):
        console.print()
        console.print(table)


def _weeks_table(stats: ReadingStats) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Per week (Monday, UTC)", title_justify="left")
    table.add_column("Week of")
    for name in ("Saved", "Read", "Reading time", "Highlights"):
        table.add_column(name, justify="right")
    for week in stats.weeks:
        table.add_row(
            week.start.isoformat(),
            f"{week.saved:,}",
            f"{week.read:,}",
            reading_time(week.reading_minutes),
            f"{week.highlights:,}",
        )
    table.add_section()
    table.add_row(
        "26 weeks",
        f"{sum(w.saved for w in stats.weeks):,}",
        f"{sum(w.read for w in stats.weeks):,}",
        reading_time(sum(w.reading_minutes for w in stats.weeks)),
        f"{sum(w.highlights for w in stats.weeks):,}",
        style="bold",
    )
    return table


def _backlog_table(stats: ReadingStats) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Unread, by age", title_justify="left")
    table.add_column("Saved")
    table.add_column("Articles", justify="right")
    for label, count in stats.backlog:
        table.add_row(label, f"{count:,}")
    return table


def _top_tables(stats: ReadingStats) -> list[Table]:
    tables = []
    for title, rows in (("Top tags", stats.top_tags), ("Top sites", stats.top_sites)):
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
        table.add_column("Name")
        table.add_column("Articles", justify="right")
        for name, count in rows:
            table.add_row(Text(display_line(name)), f"{count:,}")
        if not rows:
            table.add_row(Text("none", style="dim"), "")
        tables.append(table)
    return tables
