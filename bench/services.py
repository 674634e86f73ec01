"""Bringing a library over (issue 21): a big Pocket export, then its pages.

`python -m bench.services [--items 50000] [--highlights 20000] [--round-trip 2000]`
prints a table (and JSON with `--json`):

1. `reader import EXPORT.zip` of a generated Pocket export (bench/make_service_export.py:
   N items, M highlights) into a fresh archive, timed from launch to exit, with its
   peak memory (VmHWM, read by the process itself at exit); beside it the same at a
   fifth of the items, so that "memory flat" is a number: the peak should not grow
   with the export.
2. The round trip: an export of R items with their saved pages; the export imported,
   then the folder of pages (`--jobs 2`), which fills the missing pages and anchors
   their waiting highlights. Its pages per second beside the same pages imported into
   an empty archive (the usual import rate, the baseline), and how many highlights
   were anchored and how many still wait.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ROOT

GENERATOR = ROOT / "bench" / "make_service_export.py"

# `reader` in this interpreter, reporting its own peak memory (VmHWM: the child's own,
# unlike ru_maxrss, which a forked child starts with its parent's) on stderr at exit.
_READER_WITH_PEAK = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print("VmHWM", int(line.split()[1]) * 1024, file=sys.stderr)
atexit.register(peak)
from reader.cli import main
sys.argv = ["reader", *sys.argv[1:]]
main()
"""


def generate(
    path: Path, items: int, highlights: int, pages: Path | None = None
) -> dict[str, object]:
    command = [sys.executable, str(GENERATOR), str(path), "--items", str(items)]
    command += ["--highlights", str(highlights)]
    if pages is not None:
        command += ["--pages", str(pages)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def reader(db: Path, *args: str) -> dict[str, object]:
    """`reader --db DB ARGS...`: wall seconds, peak bytes, exit status, last lines."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _READER_WITH_PEAK, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - began
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("VmHWM")]
    return {
        "seconds": round(seconds, 2),
        "peak_bytes": peak[-1] if peak else None,
        "status": done.returncode,
        "summary": [line for line in done.stdout.splitlines() if line.strip()][-3:],
    }


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM missing_pages),"
            " (SELECT count(*) FROM annotations WHERE orphaned = 0 AND start IS NOT NULL),"
            " (SELECT count(*) FROM annotations WHERE orphaned = 1)"
        ).fetchone()
    return dict(zip(("articles", "missing", "anchored", "waiting"), row, strict=True))


def export_import(tmp: Path, items: int, highlights: int) -> dict[str, object]:
    export = tmp / f"pocket-{items}.zip"
    generated = generate(export, items, highlights)
    db = tmp / f"export-{items}.db"
    result = reader(db, "import", str(export))
    return {
        "items": items,
        "highlights": highlights,
        "generated": generated,
        **result,
        **counts(db),
    }


def round_trip(tmp: Path, items: int) -> dict[str, object]:
    pages = tmp / "pages"
    export = tmp / f"round-trip-{items}.zip"
    generate(export, items, items * 2 // 5, pages)
    db = tmp / "round-trip.db"
    exported = reader(db, "import", str(export))
    filled = reader(db, "import", "--jobs", "2", str(pages))
    after = counts(db)
    plain = reader(tmp / "plain.db", "import", "--jobs", "2", str(pages))
    n = len(list(pages.glob("*.html")))
    return {
        "pages": n,
        "export": exported,
        "fill": {**filled, "pages_per_second": round(n / float(filled["seconds"]), 1)},  # type: ignore[arg-type]
        "plain": {**plain, "pages_per_second": round(n / float(plain["seconds"]), 1)},  # type: ignore[arg-type]
        **after,
    }


def _mb(value: object) -> str:
    return f"{int(value) / 2**20:.0f} MB" if isinstance(value, int) else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--highlights", type=int, default=20_000)
    parser.add_argument("--round-trip", type=int, default=2_000, help="items with pages")
    parser.add_argument("--json", action="store_true", help="print JSON too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-services-") as name:
        tmp = Path(name)
        small = export_import(tmp, max(1, args.items // 5), max(0, args.highlights // 5))
        big = export_import(tmp, args.items, args.highlights)
        trip = round_trip(tmp, args.round_trip) if args.round_trip else None
    print("| measured | value | beside it |")
    print("|---|---|---|")
    print(
        f"| `reader import` of a Pocket export, {big['items']:,} items,"
        f" {big['highlights']:,} highlights | {big['seconds']} s, peak {_mb(big['peak_bytes'])}"
        f" | {small['items']:,} items: {small['seconds']} s, peak {_mb(small['peak_bytes'])} |"
    )
    print(
        f"| ... what it made | {big['articles']:,} articles, {big['missing']:,} missing pages,"
        f" {big['waiting']:,} highlights waiting | |"
    )
    if trip is not None:
        fill, plain = trip["fill"], trip["plain"]
        assert isinstance(fill, dict) and isinstance(plain, dict)
        print(
            f"| {trip['pages']:,} saved pages filling their missing pages (`--jobs 2`)"
            f" | {fill['pages_per_second']} pages/s, {trip['anchored']:,} highlights anchored,"
            f" {trip['waiting']:,} still waiting, {trip['missing']:,} pages still missing"
            f" | into an empty archive: {plain['pages_per_second']} pages/s |"
        )
    if args.json:
        print(json.dumps({"small": small, "big": big, "round_trip": trip}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
