"""Import rate: `reader import` against a bare readability loop over the same pages.

`python -m bench.import_rate [CORPUS] [--runs N] [--limit N]` prints JSON.

The pages are the corpus's */source.html files (the Readability test pages), passed
to `reader --db FRESH import PAGES --jobs J` as a subprocess, a fresh archive per run,
timed from launch to exit: Python start-up, imports, reading, extraction, the database
writes and the summary are all in it, since that is what an import costs a user.

The baseline is the floor for any readability-based importer: one process that reads
each file and calls `readability.Document(html).summary()`, timed around the loop only
(its imports and start-up are not counted, which favours the baseline). It runs in a
subprocess of its own, so neither side inherits the other's warm caches.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ROOT, Measurement, failed

CORPUS = ROOT.parent / "shared" / "corpora" / "readability-pages"

BARE_LOOP = """
import json, sys, time
from readability import Document
paths = sys.argv[1:]
began, cpu = time.perf_counter(), time.process_time()
for path in paths:
    with open(path, "rb") as handle:
        Document(handle.read()).summary()
print(json.dumps({"seconds": time.perf_counter() - began, "cpu": time.process_time() - cpu}))
"""


def corpus_pages(corpus: Path = CORPUS, limit: int | None = None) -> list[Path]:
    """The corpus's source pages, sorted (the same list for every run and both sides)."""
    pages = sorted(corpus.glob("*/source.html"))
    return pages[:limit] if limit else pages


def reader_command() -> list[str]:
    """The `reader` console script of this interpreter's environment (else -m reader)."""
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


def bare_loop(pages: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds the bare readability loop takes over `pages` (loop only)."""
    done = subprocess.run(
        [sys.executable, "-c", BARE_LOOP, *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["cpu"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reader_import(pages: list[Path], jobs: int) -> tuple[float, float, int]:
    """Wall seconds `reader import --jobs J` takes (launch to exit), the CPU seconds it
    and its workers used, and the articles it saved."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        db = Path(tmp) / "archive.db"
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
        began, cpu = time.perf_counter(), children_cpu()
        done = subprocess.run(
            [*reader_command(), "--db", str(db), "import", "--jobs", str(jobs), *map(str, pages)],
            capture_output=True,
            text=True,
            env=env,
        )
        seconds, cpu = time.perf_counter() - began, children_cpu() - cpu
        if done.returncode not in (0, 1):  # 1: some pages had no article, as expected
            tail = (done.stderr or done.stdout).strip().splitlines()[-2:]
            raise RuntimeError(f"reader import exited {done.returncode}: {' | '.join(tail)}")
        import sqlite3

        with sqlite3.connect(db) as conn:
            (saved,) = conn.execute("SELECT count(*) FROM articles").fetchone()
            (stored, original) = conn.execute(
                "SELECT coalesce(sum(length(raw)), 0), coalesce(sum(size), 0) FROM sources"
            ).fetchone()
        LAST_IMPORT.update(
            saved=saved,
            stored=stored,
            original=original,
            file_bytes=db.stat().st_size,
        )
    return seconds, cpu, saved


LAST_IMPORT: dict[str, int] = {}  # the last import's archive: what size.py reports


def run(pages: list[Path], runs: int) -> dict[str, object]:
    """Interleaved runs (bare, jobs 1, jobs 2) so a noisy moment hits all three alike."""
    names = ("bare", "jobs1", "jobs2")
    results: dict[str, list[float]] = {key: [] for name in names for key in (name, name + "_cpu")}
    saved: set[int] = set()
    for _ in range(runs):
        seconds, cpu = bare_loop(pages)
        results["bare"].append(len(pages) / seconds)
        results["bare_cpu"].append(cpu / len(pages))
        for jobs in (1, 2):
            seconds, cpu, count = reader_import(pages, jobs)
            saved.add(count)
            results[f"jobs{jobs}"].append(len(pages) / seconds)
            results[f"jobs{jobs}_cpu"].append(cpu / len(pages))
    return {
        "pages": len(pages),
        "saved": sorted(saved),
        **results,
        "last_import": dict(LAST_IMPORT),
    }


def measure(pages: list[Path], runs: int) -> list[Measurement]:
    """The three rates and the two ratios the budget is about."""
    what = f"import {len(pages)} corpus pages"
    how_reader = "`reader --db FRESH import PAGES --jobs J`, subprocess, launch to exit"
    if not pages:
        return [failed(what, ">= 1.2x bare (jobs 2)", how_reader, f"no pages in {CORPUS}")]
    try:
        result = run(pages, runs)
    except Exception as error:
        return [failed(what, ">= 1.2x bare (jobs 2)", how_reader, error)]
    bare = result["bare"]
    saved = result["saved"]
    # A rate is only comparable when every run saved the same pages: a run that
    # failed pages (a broken working tree, a page that timed out) did less work.
    problem = "" if len(saved) == 1 else f"runs saved different numbers of pages: {saved}"
    saved_text = " or ".join(str(n) for n in saved)
    rows = [
        Measurement(
            f"bare readability loop, {len(pages)} pages",
            "",
            bare,
            "pages/s",
            None,
            "Document(bytes).summary() in one process, loop only (no start-up)",
        )
    ]
    for jobs, factor in ((1, 0.6), (2, 1.2)):
        rates = result[f"jobs{jobs}"]
        ratio = statistics.median(rates) / statistics.median(bare)
        rows.append(
            Measurement(
                f"reader import --jobs {jobs}",
                f">= {factor}x bare",
                rates,
                "pages/s",
                ratio >= factor and not problem,
                f"{how_reader}; median ratio {ratio:.2f}x bare; {saved_text} of {len(pages)} saved",
                error=problem,
                extra={"ratio": ratio},
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    args = parser.parse_args(argv)
    pages = corpus_pages(args.corpus, args.limit)
    if not pages:
        parser.error(f"{args.corpus}: no */source.html pages")
    print(json.dumps(run(pages, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
