"""Replays bench/search.py's queries on another checkout of reader (the baseline):
`PYTHONPATH=CHECKOUT PYTHON bench/search_replay.py ARCHIVE QUERIES.json [REPEAT]`.

Uses only what every version of reader has (`Archive(path, readonly=True)`, `search`,
`count`, `sidebar_counts`), so the checkout and its interpreter may be older than this
file; bench/search.py --baseline-root runs it and puts its rows beside its own. Prints
the rows as JSON: per form, the first page (`search(q, limit=50)`) and the count shown
(`count(q)`, which every version before issue 20 shows), wall and CPU ms; then page 1
and page 1,001 of the listings (OFFSET, as those versions page).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reader.archive import Archive  # the checkout on PYTHONPATH, not this one

REPEAT = 1  # bench/search.py --repeat: calls timed back to back, the lowest kept


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    best = (float("inf"), float("inf"))
    for _ in range(REPEAT):
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        took = ((time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000)
        best = (min(best[0], took[0]), min(best[1], took[1]))
    return best


def stats(name: str, times: list[tuple[float, float]]) -> dict:
    wall = sorted(t[0] for t in times)
    cpu = sorted(t[1] for t in times)

    def p95(values: list[float]) -> float:
        return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]

    return {
        "what": name,
        "n": len(times),
        "p50": statistics.median(wall),
        "p95": p95(wall),
        "max": wall[-1],
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": p95(cpu),
        "note": "",
    }


def forget_counts(archive: Archive) -> None:
    """Forget what an earlier asking counted: the shares of the newest articles
    (estimates.EstimatedSql._share), the matching notes (_note_matches), the sample's
    matches (_estimated_matches), the matches a search found (_exact_count) and the
    words a prefix was spelled out as (_words_beginning), in a version that keeps
    them. Else the lowest of REPEAT calls is a second asking, which finds them
    counted (`the -word` at 1,000,000 articles: 4.5 ms against 11)."""
    archive.__dict__.pop("_shares", None)
    archive.__dict__.pop("_note_counts", None)
    archive.__dict__.pop("_sample_counts", None)
    archive.__dict__.pop("_found_counts", None)
    archive.__dict__.pop("_prefix_words", None)


def first_asking(archive: Archive, query: str) -> object:
    """The first page of `query` as its first asking costs (see forget_counts)."""
    forget_counts(archive)
    return archive.search(query, limit=50)


def count_asked(archive: Archive, query: str) -> object:
    forget_counts(archive)
    return archive.count(query)


def main(argv: list[str]) -> int:
    path, queries = Path(argv[0]), json.loads(Path(argv[1]).read_text())
    global REPEAT
    REPEAT = int(argv[2]) if len(argv) > 2 else 1
    archive = Archive(path, readonly=True)
    rows = []
    for name, items in queries.items():
        if not items:  # as bench/search.py: a form with no query sampled
            continue
        archive.search(items[0], limit=50)  # warm-up, as bench/search.py does
        rows.append(
            stats(
                f"{name}: first page",
                [timed(lambda q=q: first_asking(archive, q)) for q in items],
            )
        )
        rows.append(
            stats(
                f"{name}: count shown (exact or about N)",
                [timed(lambda q=q: count_asked(archive, q)) for q in items],
            )
        )
    total = archive.count("")
    deep = min(1000, max(1, total // 50 - 1))
    for query in ("", "sort:published", "sort:title", "is:unread"):
        name = f"list {query or 'all'}"
        page_one = [timed(lambda q=query: archive.search(q, limit=50)) for _ in range(10)]
        rows.append(stats(f"{name}: page 1", page_one))
        page_deep = [
            timed(lambda q=query: archive.search(q, offset=deep * 50, limit=50)) for _ in range(3)
        ]
        rows.append(stats(f"{name}: page {deep + 1:,} (after reading the pages before)", page_deep))
    rows.append(stats("sidebar counts", [timed(archive.sidebar_counts) for _ in range(20)]))
    archive.close()
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
