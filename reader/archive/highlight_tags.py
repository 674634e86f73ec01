"""The rows of a highlight's tags (schema v4, `highlight_tags`), written inside the
caller's transaction by AnnotationStore and ItemStore.

A highlight's tags are those given explicitly (the TUI, `reader highlight --tag`,
`reader annotation edit --tag`) and the `#words` of its note (reader.hashtags), read
each time the note is saved: a `#word` the new note no longer has is no longer a tag,
one it gains is. Article notes carry no tags (they are the article's; it has its own).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reader.hashtags import note_tags, unique_tags


def add_tags(conn: sqlite3.Connection, annotation_id: int, names: Iterable[str]) -> None:
    """Tag the highlight with `names` (already cleaned); one it has (in any case) stays."""
    conn.executemany(
        "INSERT OR IGNORE INTO highlight_tags(annotation_id, name) VALUES (?, ?)",
        [(annotation_id, name) for name in unique_tags(names)],
    )


def remove_tags(conn: sqlite3.Connection, annotation_id: int, names: Iterable[str]) -> None:
    """Untag the highlight of `names` (compared ignoring case)."""
    conn.executemany(
        "DELETE FROM highlight_tags WHERE annotation_id = ? AND name = ?",
        [(annotation_id, name) for name in names],
    )


def retag_note(conn: sqlite3.Connection, annotation_id: int, old_note: str, new_note: str) -> None:
    """The tags of a highlight whose note changed from `old_note` to `new_note`."""
    old = note_tags(old_note)
    new = note_tags(new_note)
    kept = {name.casefold() for name in new}
    remove_tags(conn, annotation_id, [name for name in old if name.casefold() not in kept])
    add_tags(conn, annotation_id, new)
