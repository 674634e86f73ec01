"""Memory and archive size of importing one huge page: `python -m bench.memory [--mb 100]`.

Generates a page of about `--mb` megabytes (an article of sections, paragraphs with
links and emphasis, lists and figures, inside a site's navigation and footer; the
same bytes for the same size and `--seed`) into a temporary folder, imports it with
`reader --db FRESH import PAGE --max-size ...` as a subprocess, and prints:

- the import's peak RSS (`getrusage(RUSAGE_CHILDREN).ru_maxrss`: the subprocess alone,
  as the benchmark itself holds no page) and that as a multiple of the page's size;
- the archive's size on disk (file, -wal) and where it goes, from SQLite's dbstat:
  article rows (text, blocks JSON), full-text index, originals, the rest;
- with `--stages`, the RSS after each stage of the pipeline, run step by step in a
  process of its own (read, parse, metadata, readability, cleanup, convert, the
  blocks JSON and the compression the archive does), to see which holds what.

Run by hand; the page is never kept (pass `--keep DIR` to keep page and archive).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.import_rate import reader_command
from bench.size import group_of

MB = 2**20


def _vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    weights = [26 - i for i in range(26)]
    return [
        "".join(rng.choices(letters, weights, k=rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 11))))
        for _ in range(size)
    ]


def _paragraphs(rng: random.Random) -> Iterator[str]:
    """Endless article markup: a section heading every dozen paragraphs, inline marks."""
    words = _vocabulary(rng)
    ranks = [1 / (rank + 1) for rank in range(len(words))]  # Zipf: a few words are most
    section = 0
    while True:
        section += 1
        heading = " ".join(rng.choices(words, ranks, k=4))
        yield f'<h2 id="s{section}">Section {section}: {heading}</h2>\n'
        for n in range(12):
            chosen = rng.choices(words, ranks, k=rng.randint(40, 110))
            for i in range(0, len(chosen) - 3, rng.randint(15, 30)):
                kind = rng.random()
                if kind < 0.5:
                    chosen[i] = f'<a href="/wiki/{chosen[i]}">{chosen[i]} {chosen[i + 1]}</a>'
                    chosen[i + 1] = ""
                elif kind < 0.8:
                    chosen[i] = f"<em>{chosen[i]}</em>"
                else:
                    chosen[i] = f"<strong>{chosen[i]}</strong>"
            sentence = " ".join(word for word in chosen if word)
            yield f"<p>{sentence[0].upper()}{sentence[1:]}.</p>\n"
            if n == 5 and section % 3 == 0:
                items = "".join(
                    f"<li>{' '.join(rng.choices(words, ranks, k=8))}</li>" for _ in range(5)
                )
                yield f"<ul>{items}</ul>\n"
            if n == 8 and section % 4 == 0:
                yield (
                    f'<figure><img src="/img/{section}.jpg" alt="figure {section}">'
                    f"<figcaption>Figure {section}: {' '.join(rng.choices(words, ranks, k=6))}"
                    "</figcaption></figure>\n"
                )


def generate_page(path: Path, size: int, seed: int = 1) -> int:
    """Write an article page of about `size` bytes to `path` (streamed); returns its size."""
    rng = random.Random(seed)
    head = (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<title>A very long article - Example</title>"
        '<meta property="og:site_name" content="Example">'
        '<link rel="canonical" href="https://example.com/long-article"></head>\n<body>'
        '<header><nav><a href="/">Home</a> <a href="/news">News</a>'
        ' <a href="/about">About</a></nav></header>\n'
        "<main><article><h1>A very long article</h1>\n"
        '<p class="byline">By Jane Writer</p>\n'
    )
    tail = "</article></main>\n<footer><p>Copyright Example</p></footer></body></html>\n"
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        written += len(head)
        for chunk in _paragraphs(rng):
            out.write(chunk)
            written += len(chunk)  # ASCII: characters are bytes
            if written + len(tail) >= size:
                break
        out.write(tail)
    return path.stat().st_size


def archive_split(db: Path) -> dict[str, int]:
    """Bytes by group of tables (bench.size's groups), from dbstat."""
    conn = sqlite3.connect(db)
    try:
        split: dict[str, int] = {}
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE aggregate = 1 GROUP BY name"
        )
        for name, size in rows:
            split[group_of(name)] = split.get(group_of(name), 0) + size
        articles = conn.execute(
            "SELECT sum(length(CAST(text AS BLOB))), sum(length(CAST(blocks AS BLOB)))"
            " FROM articles"
        ).fetchone()
        (original,) = conn.execute("SELECT sum(length(raw)) FROM sources").fetchone()
        split["(of the rows: text)"] = articles[0] or 0
        split["(of the rows: blocks JSON)"] = articles[1] or 0
        split["(of the originals: compressed bytes)"] = original or 0
        return split
    finally:
        conn.close()


def measure_import(page: Path, db: Path, max_size: int) -> dict[str, Any]:
    """Import `page` into a fresh `db` in a subprocess: peak RSS, seconds, archive sizes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    done = subprocess.run(
        [*reader_command(), "--db", str(db), "import", str(page), f"--max-size={max_size}"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    wal = db.with_name(db.name + "-wal")
    return {
        "status": done.returncode,
        "output": (done.stdout + done.stderr).strip().splitlines()[-3:],
        "seconds": round(seconds, 1),
        # RUSAGE_CHILDREN is the largest child so far: valid because this is the first.
        "peak_rss": peak_kb * 1024 if peak_kb > before else None,
        "archive": db.stat().st_size if db.exists() else 0,
        "wal": wal.stat().st_size if wal.exists() else 0,
        "split": archive_split(db) if db.exists() else {},
    }


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def stages(page: Path) -> list[tuple[str, int, int]]:
    """(stage, RSS after it, peak RSS so far) running the pipeline here, step by step
    (in a process of its own: see `main`)."""
    import zlib

    from reader.ingest import extract
    from reader.ingest.cleanup import clean_article
    from reader.ingest.convert import html_to_document
    from reader.ingest.metadata import base_url, extract_metadata
    from reader.ingest.parse import parse_page_html
    from reader.ingest.sources import read_page

    rows: list[tuple[str, int, int]] = []

    def note(stage: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        rows.append((stage, _rss(), peak))

    note("start (imports done)")
    raw = read_page(page, max_size=2**62)
    note("read")
    tree = parse_page_html(raw)
    note("parsed")
    meta = extract_metadata(tree, raw.url)
    base = base_url(tree, meta.url)
    note("metadata")
    article = extract._readability_article(tree, lambda: parse_page_html(raw))
    del tree
    note("readability")
    if article is not None:
        clean_article(article, meta.title)
        note("cleanup")
        document = html_to_document(article, base)
        del article
        note("converted (tree let go)")
        blocks = document.to_json()
        note(f"blocks JSON ({len(blocks) / MB:.0f} MB)")
        del blocks
    compressed = zlib.compress(raw.data, 6)
    note(f"original compressed ({len(compressed) / MB:.1f} MB)")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=100, help="page size in MB (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stages", action="store_true", help="also RSS stage by stage")
    parser.add_argument("--keep", type=Path, help="a folder to keep the page and archive in")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.stages_of:
        print(json.dumps(stages(args.stages_of)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        page, db = folder / "huge.html", folder / "huge.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        size = generate_page(page, int(args.mb * MB), args.seed)
        result = measure_import(page, db, max(size * 2, 50 * MB))
        rows: list[tuple[str, int, int]] = []
        if args.stages:
            done = subprocess.run(
                [sys.executable, "-m", "bench.memory", "--stages-of", str(page)],
                capture_output=True,
                text=True,
                check=True,
            )
            rows = json.loads(done.stdout)
    report(size, result, rows)


def report(size: int, result: dict[str, Any], rows: list[tuple[str, int, int]]) -> None:
    print(f"page: {size / MB:.1f} MB; import exit status {result['status']}, {result['seconds']} s")
    for line in result["output"]:
        print(f"  {line}")
    peak = result["peak_rss"]
    if peak is not None:
        print(f"peak RSS of the import: {peak / MB:,.0f} MB ({peak / size:.1f}x the page)")
    archive, wal = result["archive"], result["wal"]
    print(
        f"archive: {(archive + wal) / MB:,.1f} MB (file {archive / MB:,.1f} MB"
        f" + wal {wal / MB:,.1f} MB; {(archive + wal) / size:.2f}x the page)"
    )
    for group, value in result["split"].items():
        print(f"  {group}: {value / MB:,.1f} MB")
    if rows:
        print("stages, in a process of their own:")
    for stage, rss, high in rows:
        print(f"  {stage:<40} RSS {rss / MB:7,.0f} MB   peak {high / MB:7,.0f} MB")


if __name__ == "__main__":
    main()
