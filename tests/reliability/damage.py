"""Damaged archives, made for real: an archive written through reader, then some of its
pages overwritten on disk, chosen from the b-tree SQLite's dbstat says they belong to.

The archive is deterministic (a fixed clock, fixed pages), so a pattern and a seed
always damage the same rows.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.archive import Archive
from reader.importer import import_bytes

ARTICLES = 36
WORDS = ("harbour", "lantern", "meadow", "quartz", "saffron", "tundra", "velvet")


def page_html(n: int) -> bytes:
    """A page readability takes for an article; its row and its original both long
    enough for overflow pages."""
    word = WORDS[n % len(WORDS)]
    # Hex digests: text zlib cannot shrink much, so each original needs overflow pages.
    noise = [
        " ".join(hashlib.sha256(f"{n}-{p}-{i}".encode()).hexdigest() for i in range(10))
        for p in range(12)
    ]
    paragraphs = "".join(
        f"<p>Paragraph {p} of article {n}, about the {word} and what the town made of it;"
        f" written long enough that the extractor keeps it as the body. {noise[p]}</p>"
        for p in range(12)
    )
    return (
        f"<html><head><title>Article {n} on the {word}</title></head><body><article>"
        f"<h1>Article {n} on the {word}</h1>{paragraphs}</article></body></html>"
    ).encode()


def fixed_clock() -> datetime:
    return datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@dataclass
class Pristine:
    """What the undamaged archive held, to compare a damaged one's output with."""

    texts: dict[int, str]  # article id -> text
    titles: dict[int, str]
    tags: dict[int, tuple[str, ...]]
    highlights: dict[int, list[str]]  # article id -> the quotes of its highlights


def build_archive(path: Path, count: int = ARTICLES) -> Pristine:
    """An archive of `count` imported articles, tagged, highlighted and noted, with a
    setting; closed, so its WAL is folded into the file."""
    with Archive(path, clock=fixed_clock) as archive:
        for n in range(count):
            report = import_bytes(
                archive, page_html(n), filename=f"page-{n}.html", tags=[f"t{n % 3}"]
            )
            (article_id,) = report.imported
            if n % 2 == 0:
                archive.add_highlight(article_id, 0, 9, note=f"note {n}")
            if n % 5 == 0:
                archive.add_article_note(article_id, f"a note on {n}")
        archive.set_setting("theme", "nord")
        pristine = Pristine({}, {}, {}, {})
        for article_id in archive.iter_article_ids():
            article = archive.get_article(article_id)
            assert article is not None
            pristine.texts[article_id] = article.text
            pristine.titles[article_id] = article.title
            pristine.tags[article_id] = article.tags
            pristine.highlights[article_id] = [
                a.exact for a in archive.annotations_for(article_id) if a.start is not None
            ]
    assert not path.with_name(path.name + "-wal").exists()
    return pristine


def pages_of(path: Path, name: str, kind: str | None = None) -> list[int]:
    """The pages of b-tree `name` (a table or index), of one kind (leaf, internal,
    overflow) or all."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ?", (name,))
        return sorted(page for page, pagetype in rows if kind is None or pagetype == kind)
    finally:
        conn.close()


def all_pages_but_schema(path: Path) -> list[int]:
    """Every page but the schema's (page 1 and the rest of sqlite_schema): with those
    damaged nothing at all can be read, which is SQLite's case, not ours."""
    conn = sqlite3.connect(path)
    try:
        (count,) = conn.execute("PRAGMA page_count").fetchone()
    finally:
        conn.close()
    schema = set(pages_of(path, "sqlite_schema")) | {1}
    return [page for page in range(1, count + 1) if page not in schema]


def damage(path: Path, pages: list[int], seed: int, *, whole: bool = True) -> None:
    """Overwrite `pages` with random bytes: whole (headers, pointers and all), or only
    the middle of each (the b-tree stays whole; the values in it change)."""
    conn = sqlite3.connect(path)
    try:
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    rng = random.Random(seed)
    with path.open("r+b") as file:
        for page in pages:
            start, length = (0, size) if whole else (size // 4, size // 2)
            file.seek((page - 1) * size + start)
            file.write(rng.randbytes(length))


def choose(pages: list[int], count: int, seed: int) -> list[int]:
    return sorted(random.Random(seed).sample(pages, min(count, len(pages))))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
