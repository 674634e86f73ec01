"""bench/stats.py runs on the fixed stats archive: it proves the script works, not that
reader is fast (no assertion looks at a time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.stats import main


def test_it_runs_and_counts(stats_archive_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(stats_archive_path), "--runs", "1", "--today", "2026-03-18T12:00+00:00"]) == 0
    said = capsys.readouterr().out
    assert "7 articles, 1 runs" in said and "baseline, one pass over the article rows" in said
    assert "4 saved, 2 read in 26 weeks to 2026-03-18; backlog 5" in said
