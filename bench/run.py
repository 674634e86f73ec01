"""Every benchmark in one table: `python -m bench [--quick] [--archive PATH]`.

Measures issue 8's budgets on a generated archive (100,000 articles by default, 2,000
with --quick), cached under bench/output/ (gitignored) since generating 100,000 takes
many minutes; --archive reuses any archive file. Prints one row per budget: what,
the budget, min/median/max over the runs, pass or miss, and how it was measured.
--markdown prints the same as a Markdown table (for README.md); the numbers are also
written to bench/output/results-{full,quick}.json.

Timings are wall clock on whatever else the machine is doing: the load average before
and after is printed with the table, since on a shared 2-core machine it moves every
number. Nothing here is part of the test suite's pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import OUTPUT, ROOT, Measurement, failed

PIECES = ("import", "generate", "startup", "tmux", "reading", "search", "scroll", "rss", "size")


def ensure_archive(n: int, path: Path) -> tuple[Path, float | None]:
    """The cached archive of `n` articles at `path`, generating it when missing.

    Returns the path and the generation time (None when it was already there).
    """
    if path.is_file():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"generating {n:,} articles into {path} ...", file=sys.stderr)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_archive.py"), str(n), str(partial)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - began
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)  # closed cleanly: nothing in them
    partial.rename(path)
    return path, seconds


def article_count(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def search_rows(path: Path, queries: int) -> list[Measurement]:
    """bench/search.py's one- and two-word rows, judged against the budget."""
    from bench import search

    how = f"bench/search.py: Archive.search(q, limit=50), {queries} queries, words from titles"
    try:
        rows = search.run(path, queries, 7)
    except Exception as error:
        return [failed("search, 50 hits with snippets", "p50 < 50 ms, p95 < 150 ms", how, error)]
    found = []
    first_pages = {row["what"]: row for row in rows}
    for form, label in (("one word", "1 word"), ("two words", "2 words")):
        row = first_pages[f"{form}: first page"]
        passed = row["p50"] < 50 and row["p95"] < 150
        found.append(
            Measurement(
                f"search {label}, first 50 hits with snippets",
                "p50 < 50 ms, p95 < 150 ms",
                [row["min"] / 1000, row["p50"] / 1000, row["max"] / 1000],
                "s",
                passed,
                f"{how}; p95 {row['p95']:.1f} ms; CPU p50 {row['cpu_p50']:.1f} ms,"
                f" p95 {row['cpu_p95']:.1f} ms; {row['note']}".rstrip("; "),
                extra={"p50_ms": row["p50"], "p95_ms": row["p95"]},
            )
        )
    return found


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "B/article":
        return f"{value:,.0f} B"
    return f"{value:,.1f} {unit}"


def verdict(row: Measurement) -> str:
    if row.error:
        return "ERROR"
    return {True: "pass", False: "MISS", None: ""}[row.passed]


def load() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


def revision() -> str:
    """The commit measured, and how many files differ from it (others' work in progress)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    except OSError:
        return "?"
    return f"{head}" + (f" + {len(changed)} changed files" if changed else "")


def header(args: argparse.Namespace, archive: Path, n: int, started_load: str) -> str:
    import textual

    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; commit {revision()};"
        f" {os.cpu_count()} cores;"
        f" Python {platform.python_version()}, Textual {textual.__version__};"
        f" archive {archive} ({n:,} articles); {args.runs} runs;"
        f" load average {started_load} before, {load()} after"
    )


def print_table(rows: list[Measurement], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("what", "budget", "min", "median", "max", "result", "how measured"):
        table.add_column(column, justify="right" if column in ("min", "median", "max") else "left")
    for row in rows:
        table.add_row(
            row.what,
            row.budget,
            format_value(row.low, row.unit),
            format_value(row.median, row.unit),
            format_value(row.high, row.unit),
            verdict(row),
            row.error or row.how,
            style="red" if row.passed is False else None,
        )
    Console(width=max(200, Console().width)).print(table)


def markdown(rows: list[Measurement], title: str) -> str:
    lines = [
        f"_{title}_",
        "",
        "| what | budget | min | median | max | result | how measured |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    for row in rows:
        cells = [
            row.what.strip(),
            row.budget,
            format_value(row.low, row.unit),
            format_value(row.median, row.unit),
            format_value(row.high, row.unit),
            verdict(row),
            row.error or row.how,
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles, fewer runs")
    parser.add_argument("--archive", type=Path, help="reuse this archive (else cached/generated)")
    parser.add_argument("--small", type=Path, help="the 10-article archive to compare start-up")
    parser.add_argument("--articles", type=int, help="articles to generate (100,000; quick 2,000)")
    parser.add_argument("--runs", type=int, help="runs per timing (5; quick 2)")
    parser.add_argument("--queries", type=int, help="search queries of each kind (200; quick 40)")
    parser.add_argument("--pages", type=int, help="only the first N corpus pages (all 130)")
    parser.add_argument(
        "--only", help=f"comma-separated pieces to run, of: {', '.join(PIECES)} (default all)"
    )
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    quick = args.quick
    n = args.articles or (2_000 if quick else 100_000)
    import_runs = args.runs or (1 if quick else 5)
    args.runs = args.runs or (2 if quick else 5)
    queries = args.queries or (40 if quick else 200)
    # All 130 pages even in --quick (on fewer, start-up dominates and the ratio means
    # little), but one run of each there.
    pages_limit = args.pages
    only = set(PIECES if not args.only else args.only.split(","))
    unknown = only - set(PIECES)
    if unknown:
        parser.error(f"unknown pieces: {', '.join(sorted(unknown))}")
    started_load = load()

    rows: list[Measurement] = []
    generated: float | None = None
    if args.archive:
        if not args.archive.is_file():
            parser.error(f"{args.archive}: no such archive")
        archive = args.archive
    else:
        archive, generated = ensure_archive(n, OUTPUT / f"archive-{n}.db")
    small = args.small or ensure_archive(10, OUTPUT / "archive-10.db")[0]
    total = article_count(archive)

    from bench import import_rate, size, tmux, tui

    def piece(name: str, fn: Callable[[], list[Measurement]]) -> None:
        if name in only:
            print(f"[{time.strftime('%H:%M:%S')}] {name} ...", file=sys.stderr)
            rows.extend(fn())

    piece(
        "import",
        lambda: import_rate.measure(import_rate.corpus_pages(limit=pages_limit), import_runs),
    )
    piece(
        "generate",
        lambda: [
            Measurement(
                f"generate a {total:,}-article archive (~1,500 words each)",
                "exists; deterministic",
                [generated] if generated is not None else [],
                "s",
                True,
                f"python bench/make_archive.py {n} PATH (same N and seed, same rows;"
                " tests/query checks it)"
                + ("" if generated is not None else f"; cached: {archive}"),
            )
        ],
    )
    # Start-up runs are cheap and their big/small ratio is noisy on a shared machine:
    # twice the pairs.
    piece("startup", lambda: tui.measure_startup(archive, small, 2 * args.runs))
    piece("tmux", lambda: tmux.measure(archive, small, 2 * args.runs))
    piece("reading", lambda: tui.measure_reading(archive, max(3, args.runs)))
    piece("search", lambda: search_rows(archive, queries))
    piece("scroll", lambda: tui.measure_scroll(archive))
    piece("rss", lambda: tui.measure_rss(archive))
    piece("size", lambda: size.measure(archive, import_rate.LAST_IMPORT))

    title = header(args, archive, total, started_load)
    print_table(rows, title)
    if args.markdown:
        print()
        print(markdown(rows, title))
    results = {
        "title": title,
        "quick": quick,
        "command": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
        "rows": [row.to_dict() for row in rows],
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"results-{'quick' if quick else 'full'}.json").write_text(
        json.dumps(results, indent=2, default=str)
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
