"""The benchmark scripts run end to end on a tiny archive (`python -m bench --quick`).

This proves the scripts work, not that reader is fast: no assertion here looks at a
time, a rate or a pass/miss verdict (benchmarks never decide the suite's result).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "readability-pages"


@pytest.mark.slow
def test_every_piece_runs_on_a_tiny_archive(tmp_path: Path) -> None:
    archive = tmp_path / "tiny.db"
    subprocess.run(
        [sys.executable, "bench/make_archive.py", "40", str(archive), "--jobs", "0"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    pieces = ["generate", "startup", "reading", "search", "scroll", "rss", "size"]
    if shutil.which("tmux"):
        pieces.append("tmux")
    if CORPUS.is_dir():
        pieces.append("import")
    results = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--archive",
            str(archive),
            "--small",
            str(archive),
            "--runs",
            "1",
            "--queries",
            "5",
            "--pages",
            "2",
            "--only",
            ",".join(pieces),
            "--markdown",
            "--json",
            str(results),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| what | budget | min | median | max | result | how measured |" in done.stdout
    rows = json.loads(results.read_text())["rows"]
    errors = [(row["what"], row["error"]) for row in rows if row["error"]]
    assert not errors
    names = " ".join(row["what"] for row in rows)
    for expected in ("cold start", "20,000-word", "search 1 word", "scroll", "RSS", "size"):
        assert expected in names
    if CORPUS.is_dir():
        assert "reader import --jobs 2" in names
    # The reading benchmark takes its long article out of the archive again.
    with sqlite3.connect(archive) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 40


SMALL_RUN = ["--pages", "1", "--per-page", "1", "--rounds", "1", "--runs", "1"]


@pytest.mark.slow
def test_the_pictures_benchmark_runs(tmp_path: Path) -> None:
    archive = tmp_path / "tiny.db"
    subprocess.run(
        [sys.executable, "bench/make_archive.py", "40", str(archive), "--jobs", "0"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "bench.pictures", "--archive", str(archive), *SMALL_RUN],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout[: done.stdout.index("\n}\n") + 2])
    assert report["growth"]["with"]["pictures_kept"] == 1
    assert report["opening"]["with"]["pictures"] == 50
    assert report["opening"]["without"]["pictures"] == 0
