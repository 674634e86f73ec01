"""TagStore: tags on articles, and renaming, merging and deleting them.

Tag names are case-insensitive (the column is COLLATE NOCASE: `Rust` and `rust` are one
tag, spelled as it was first typed) and trimmed. Each article also keeps its tag names
in `articles.tag_names`, which the FTS index covers, so a word search finds tags too;
every change here refreshes that column for the articles it touched, and only for
those whose names really changed (the FTS trigger re-indexes the whole row).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reader.archive.base import StoreBase, placeholders
from reader.models import TagCount

MAX_TAG_LENGTH = 100
_SPACES = re.compile(r"\s+")


class TagError(ValueError):
    """A tag operation that cannot be done; `str(error)` is one line for the user."""


def clean_tag_name(name: str) -> str:
    """`name` trimmed, inner whitespace collapsed, control characters removed.

    Raises ValueError (one line) for an empty name or one over MAX_TAG_LENGTH.
    """
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = _SPACES.sub(" ", name).strip()
    if not name:
        raise ValueError("a tag name cannot be empty")
    if len(name) > MAX_TAG_LENGTH:
        raise ValueError(
            f"a tag name is at most {MAX_TAG_LENGTH} characters (this one has {len(name)})"
        )
    return name


def _clean_all(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for name in names:
        try:
            tag = clean_tag_name(name)
        except ValueError as error:
            raise TagError(str(error)) from error
        cleaned.setdefault(tag.casefold(), tag)
    return list(cleaned.values())


# The tag names of article `x.article_id`, as articles.tag_names stores them.
_NAMES_OF = (
    "coalesce((SELECT group_concat(name, ' ') FROM (SELECT t.name FROM article_tags x"
    " JOIN tags t ON t.id = x.tag_id WHERE x.article_id = articles.id"
    " ORDER BY t.name COLLATE NOCASE)), '')"
)


class TagStore(StoreBase):
    """Tags: add/remove on articles, list with counts, rename, merge, delete."""

    def add_tags(self, article_ids: Iterable[int], names: Iterable[str]) -> None:
        """Tag each article with each name (creating tags as needed)."""
        ids = list(dict.fromkeys(article_ids))
        tags = _clean_all(names)
        if not ids or not tags:
            return
        with self.write() as conn:
            known = {
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM articles WHERE id IN ({placeholders(ids)})", ids
                )
            }
            missing = [i for i in ids if i not in known]
            if missing:
                raise TagError(f"no article with id {missing[0]}")
            for tag in tags:
                conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
                (tag_id,) = conn.execute("SELECT id FROM tags WHERE name = ?", (tag,)).fetchone()
                conn.executemany(
                    "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                    [(article_id, tag_id) for article_id in ids],
                )
            self._refresh_tag_names(ids)

    def remove_tags(self, article_ids: Iterable[int], names: Iterable[str]) -> None:
        """Take the names off each article (a tag left on no article stays listed)."""
        ids = list(dict.fromkeys(article_ids))
        tags = _clean_all(names)
        if not ids or not tags:
            return
        with self.write() as conn:
            conn.execute(
                f"DELETE FROM article_tags WHERE article_id IN ({placeholders(ids)})"
                f" AND tag_id IN (SELECT id FROM tags WHERE name IN ({placeholders(tags)}))",
                [*ids, *tags],
            )
            self._refresh_tag_names(ids)

    def tags_of(self, article_id: int) -> list[str]:
        """The article's tag names, alphabetically."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
                " WHERE x.article_id = ? ORDER BY t.name COLLATE NOCASE",
                (article_id,),
            )
        ]

    def tag_counts(self) -> list[TagCount]:
        """Every tag with how many articles carry it, alphabetically."""
        # Kept by triggers in `counts` (schema v2): as fast at a million articles as at
        # ten. An archive opened read-only before its migration counts them instead.
        if self.has_counts:
            rows = self.conn.execute(
                "SELECT t.name, coalesce(c.n, 0) FROM tags t"
                " LEFT JOIN counts c ON c.name = 'tag:' || t.id ORDER BY t.name COLLATE NOCASE"
            )
        else:
            rows = self.conn.execute(
                "SELECT t.name, (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id)"
                " FROM tags t ORDER BY t.name COLLATE NOCASE"
            )
        return [TagCount(name, count) for name, count in rows]

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag (a change of case included); merging is `merge_tags`."""
        (old_name, new_name) = _clean_all([old]) + _clean_all([new])
        with self.write() as conn:
            tag_id = self._tag_id(old_name)
            clash = conn.execute("SELECT id, name FROM tags WHERE name = ?", (new_name,)).fetchone()
            if clash is not None and clash[0] != tag_id:
                raise TagError(
                    f"a tag named {clash[1]!r} exists; merge into it with `reader tags merge`"
                )
            conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new_name, tag_id))
            self._refresh_tag_names(self._articles_with(tag_id))

    def merge_tags(self, source: str, target: str) -> None:
        """Move every article of tag `source` to tag `target` (created if needed), then
        delete `source`."""
        (source_name, target_name) = _clean_all([source]) + _clean_all([target])
        with self.write() as conn:
            source_id = self._tag_id(source_name)
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (target_name,))
            (target_id,) = conn.execute(
                "SELECT id FROM tags WHERE name = ?", (target_name,)
            ).fetchone()
            if target_id == source_id:
                raise TagError(f"{source_name!r} and {target_name!r} are the same tag")
            ids = self._articles_with(source_id)
            conn.execute(
                "INSERT OR IGNORE INTO article_tags(article_id, tag_id)"
                " SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
                (target_id, source_id),
            )
            conn.execute("DELETE FROM tags WHERE id = ?", (source_id,))
            self._refresh_tag_names(ids)

    def delete_tag(self, name: str) -> int:
        """Delete a tag from every article; returns how many articles had it."""
        (tag_name,) = _clean_all([name])
        with self.write() as conn:
            tag_id = self._tag_id(tag_name)
            ids = self._articles_with(tag_id)
            conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
            self._refresh_tag_names(ids)
        return len(ids)

    def refresh_all_tag_names(self) -> None:
        """Bring every article's tag_names in step with its tags (after a recovery,
        which may have lost some of the rows that tag an article)."""
        with self.write() as conn:
            conn.execute(
                f"UPDATE articles SET tag_names = {_NAMES_OF} WHERE tag_names IS NOT {_NAMES_OF}"
            )

    # -- helpers -------------------------------------------------------------------

    def _tag_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise TagError(f"no tag named {name!r}")
        return int(row[0])

    def _articles_with(self, tag_id: int) -> list[int]:
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT article_id FROM article_tags WHERE tag_id = ?", (tag_id,)
            )
        ]

    def _refresh_tag_names(self, article_ids: list[int]) -> None:
        """Bring articles.tag_names (and so the FTS index) in step for these articles."""
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            self.conn.execute(
                f"UPDATE articles SET tag_names = {_NAMES_OF}"
                f" WHERE id IN ({placeholders(chunk)}) AND tag_names IS NOT {_NAMES_OF}",
                chunk,
            )
