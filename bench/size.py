"""Archive size: `python -m bench.size PATH` prints bytes per article and where they go.

The file's size (plus any -wal) divided by the number of articles, and a breakdown by
table and index from SQLite's dbstat view (when this SQLite has it; cached in
PATH.dbstat.json, since it reads every page): article rows (text
and the block JSON), the full-text index, the originals, the rest, and the free pages
(pages a merge of the full-text index let go; the next writes reuse them). Originals are checked
to be stored compressed: the stored bytes against the originals' own sizes.

On a generated archive (bench/make_archive.py) the originals are the generator's
simple HTML, compressed the way Archive.add_article does (zlib); the import benchmark's
archive of real pages gives the ratio for saved web pages (see bench/run.py).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import Measurement, failed


def group_of(name: str) -> str:
    if name.startswith(("articles_fts", "annotations_fts")):
        return "full-text index"
    if name == "articles":
        return "article rows (text, blocks, metadata)"
    if name == "sources":
        return "originals"
    return "indexes, tags, annotations, other"


def split(path: Path, conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes by group of tables, from dbstat; cached beside the archive.

    dbstat reads every page: minutes for a 3.7 GB archive. The cache is keyed by the
    article count and the file's size in 64 MB steps, so a real change to the archive recomputes
    it, but the reading benchmark's add-and-delete of one article does not.
    """
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    key = f"v2:{articles}:{path.stat().st_size // 2**26}"
    cache = path.with_name(path.name + ".dbstat.json")
    try:
        cached = json.loads(cache.read_text())
        if cached.get("key") == key:
            return cached["split"]
    except (OSError, ValueError):
        pass
    breakdown: dict[str, int] = {}
    try:
        # One row a page, summed by SQL: dbstat's own aggregate (`aggregate = 1`) keeps
        # a table's bytes in 32 bits, which wrapped round to negative sizes at 1M.
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            group = group_of(name)
            breakdown[group] = breakdown.get(group, 0) + size
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    (free,) = conn.execute("PRAGMA freelist_count").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    if free:
        breakdown["free pages (reused by later writes)"] = free * page_size
    try:
        cache.write_text(json.dumps({"key": key, "split": breakdown}))
    except OSError:
        pass
    return breakdown


def inspect(path: Path) -> dict[str, object]:
    """Bytes, articles, bytes per article, originals' compression and a breakdown."""
    total = sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        stored, original = conn.execute(
            "SELECT coalesce(sum(length(raw)), 0), coalesce(sum(size), 0) FROM sources"
        ).fetchone()
        breakdown = split(path, conn)
    finally:
        conn.close()
    return {
        "bytes": total,
        "articles": articles,
        "bytes_per_article": total / max(1, articles),
        "originals_stored": stored,
        "originals_size": original,
        "breakdown_per_article": {k: v / max(1, articles) for k, v in breakdown.items()},
    }


def measure(path: Path, imported: dict[str, int] | None = None) -> list[Measurement]:
    """The budget row: bytes per article, passing when originals are stored compressed."""
    what = "archive size, with originals"
    budget = "bytes/article; originals compressed"
    how = "file (+wal) bytes / articles; dbstat for the split"
    try:
        info = inspect(path)
    except Exception as error:
        return [failed(what, budget, how, error)]
    ratio = info["originals_stored"] / max(1, info["originals_size"])  # type: ignore[operator]
    split = ", ".join(
        f"{name} {size / 1024:.1f} KB"
        for name, size in sorted(
            info["breakdown_per_article"].items(),  # type: ignore[union-attr]
            key=lambda item: -item[1],
        )
    )
    rows = [
        Measurement(
            f"{what} ({info['articles']:,} articles)",
            budget,
            [info["bytes_per_article"]],  # type: ignore[list-item]
            "B/article",
            ratio < 0.9,
            f"{how}: {info['bytes'] / 2**20:,.0f} MB; per article {split};"
            f" originals stored at {ratio:.0%} of their size (zlib)",
            extra=info,
        )
    ]
    if imported and imported.get("original"):
        real = imported["stored"] / imported["original"]
        rows.append(
            Measurement(
                "  originals of real pages (the import benchmark's archive)",
                "compressed",
                [imported["file_bytes"] / max(1, imported["saved"])],
                "B/article",
                real < 0.9,
                f"{imported['saved']} corpus pages via reader import: originals stored at"
                f" {real:.0%} of {imported['original'] / 2**20:.1f} MB",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path}: no such archive")
    print(json.dumps(inspect(args.path), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
