"""Fixtures for the search tests: articles written straight into a real archive file.

Rows go in with plain INSERTs (the FTS triggers of schema.py index them), so these
tests depend only on the schema, not on the import pipeline or the tag code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from reader.archive import Archive
from reader.document import Block, Document


def add_article(
    archive: Archive,
    title: str = "Untitled",
    text: str = "",
    *,
    tags: Iterable[str] = (),
    added_at: str = "2024-01-01T00:00:00+00:00",
    **fields: Any,
) -> int:
    """Insert one article (paragraphs = `text` split on blank lines) and its tags."""
    document = Document(tuple(Block("paragraph", p) for p in text.split("\n\n") if p))
    tags = list(tags)
    row = {
        "title": title,
        "added_at": added_at,
        "updated_at": added_at,
        "blocks": document.to_json(),
        "text": document.text,
        "word_count": len(document.text.split()),
        "tag_names": " ".join(tags),
        **fields,
    }
    with archive.write() as conn:
        article_id = conn.execute(
            f"INSERT INTO articles({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        ).lastrowid
        for name in tags:
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
            conn.execute(
                "INSERT INTO article_tags(article_id, tag_id)"
                " SELECT ?, id FROM tags WHERE name = ?",
                (article_id, name),
            )
    return article_id


def add_annotation(
    archive: Archive,
    article_id: int,
    quote: str | None = None,
    note: str = "",
    color: str = "yellow",
) -> int:
    """A highlight of the first occurrence of `quote` in the article, or an article note."""
    (text,) = archive.conn.execute(
        "SELECT text FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    start = end = None
    exact = ""
    if quote is not None:
        start = text.index(quote)
        end = start + len(quote)
        exact = quote
    with archive.write() as conn:
        return conn.execute(
            'INSERT INTO annotations(article_id, start, "end", exact, prefix, suffix, note,'
            " color, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', ?, ?, ?, ?)",
            (article_id, start, end, exact, note, color, "2024-01-02", "2024-01-02"),
        ).lastrowid


@pytest.fixture
def article(archive: Archive) -> Callable[..., int]:
    """`article(title, text, tags=..., **columns) -> id` on the test's archive."""
    return lambda *args, **kwargs: add_article(archive, *args, **kwargs)


@pytest.fixture
def annotate(archive: Archive) -> Callable[..., int]:
    return lambda *args, **kwargs: add_annotation(archive, *args, **kwargs)


def retitle(archive: Archive, titles: dict[int, str]) -> None:
    """Give the articles `titles` (by id), in one write."""
    with archive.write() as conn:
        conn.executemany(
            "UPDATE articles SET title = ? WHERE id = ?", [(t, i) for i, t in titles.items()]
        )


@contextmanager
def traced(archive: Archive) -> Iterator[list[str]]:
    """The SQL the archive's connection runs inside the block, statement by statement."""
    asked: list[str] = []
    archive.conn.set_trace_callback(asked.append)
    try:
        yield asked
    finally:
        archive.conn.set_trace_callback(None)
