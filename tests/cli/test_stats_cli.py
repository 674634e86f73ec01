"""`reader stats [--json]` on the fixed stats archive (tests/conftest.py), its clock fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import reader.archive
from reader.cli import main

from ..conftest import STATS_NOW, stats_clock


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.archive, "utc_now", stats_clock(STATS_NOW))


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), "stats", *args])


def test_json_has_every_number(stats_archive_path: Path) -> None:
    result = run(stats_archive_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["today"] == "2026-03-18"
    assert len(data["weeks"]) == 26
    assert data["weeks"][-1] == {
        "start": "2026-03-16",
        "saved": 1,
        "read": 1,
        "reading_minutes": 2.0,
        "highlights": 2,
    }
    assert data["reading_minutes_total"] == 4.0
    assert [b["count"] for b in data["backlog"]] == [1, 1, 1, 1, 1]
    assert data["oldest_unread"] == "2024-01-01T09:00:00+00:00"
    assert data["top_tags"] == [{"name": "go", "count": 2}, {"name": "rust", "count": 2}]
    assert data["top_sites"][0] == {"name": "Example", "count": 4}


def test_the_summary_shows_the_same_numbers(stats_archive_path: Path) -> None:
    result = run(stats_archive_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    this_week = next(line for line in lines if "2026-03-16" in line)
    assert this_week.split() == ["2026-03-16", "1", "1", "2", "min", "2"]
    assert next(line for line in lines if "26 weeks" in line).split() == [
        "26", "weeks", "4", "2", "4", "min", "3",
    ]  # fmt: skip
    assert "Reading time in all: 4 min" in result.output
    assert "Oldest unread: saved 2024-01-01" in result.output
    assert next(line for line in lines if "< 6 months" in line).split()[-1] == "1"
    assert next(line for line in lines if "blog.example.org" in line).split()[-1] == "2"
    assert "\x1b[" not in result.output  # no colour codes when not a terminal


def test_names_are_not_markup(archive_path: Path) -> None:
    from reader.archive import Archive

    from ..conftest import fill_stats_archive

    with Archive(archive_path, clock=stats_clock()) as archive:
        fill_stats_archive(archive)
        archive.add_tags([1], ["[bold]x[/bold]"])
    result = run(archive_path)
    assert "[bold]x[/bold]" in result.output


def test_no_archive_is_one_line(tmp_path: Path) -> None:
    result = run(tmp_path / "none.db")
    assert result.exit_code == 1 and "no archive here" in result.output
