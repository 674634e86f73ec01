"""ItemStore: articles known by URL before their page is here, and merging what
several sources know of one article.

An export's entry with no page becomes a *missing page*: an article row with the
user's data (title, URL, tags, states, when it was saved) and no text, listed in
`missing_pages`, its highlights kept as quotes (orphaned annotations with an empty
range: shown, searchable, exported). Every URL an article is known by is kept in
`url_keys` (reader.urls.url_key), so a page saved later, or the same item in another
service's export, finds it: it fills or merges into that article, never a second one.

Merging keeps the user's data: tags are united, starred/read/archived if any source
says so, the earliest saved time wins, and metadata fills only what was empty. The
importer (reader.importer.services) decides what lands; these are its writes, each
inside the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from reader.archive.articles import _tag_ids, _WritesTagsAndAnnotations, add_keys
from reader.archive.base import NotFoundError, StoreBase, placeholders
from reader.archive.highlight_tags import add_tags
from reader.archive.rows import insert_row
from reader.hashtags import note_tags
from reader.models import COLORS, ReanchorReport
from reader.quotes import comparable_quote
from reader.urls import url_keys

if TYPE_CHECKING:
    from reader.archive.annotations import Highlighted
    from reader.ingest.page import ExtractedPage, RawPage

__all__ = ["ItemStore", "KnownItem", "QuotePlacement"]

# The article fields an entry may know (besides its URL): columns of `articles`, and
# fields of ExtractedPage by the same names.
METADATA_FIELDS = ("title", "byline", "site_name", "published", "lang", "excerpt")


@dataclass(frozen=True)
class KnownItem:
    """What a source knows of an article besides its page: its metadata (None: not
    known), the user's tags and states, and when it was saved."""

    url: str | None = None
    title: str | None = None
    byline: str | None = None
    site_name: str | None = None
    published: str | None = None
    lang: str | None = None
    excerpt: str | None = None
    added_at: str | None = None
    read_at: str | None = None
    archived_at: str | None = None
    starred: bool = False
    progress: float | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuotePlacement:
    """What became of a quote: placed on the text (`anchored`), kept as a quote until
    the page is there or for good (`waiting`), or already the article's (`known`;
    `noted` when the quote brought a note that highlight did not have, now added)."""

    anchored: bool = False
    waiting: bool = False
    known: bool = False
    noted: bool = False


class _Merges(_WritesTagsAndAnnotations, Protocol):
    """The Archive as merging sees it: it also writes tags, highlights and texts."""

    def missing_ids(self) -> set[int]:
        """The ids of every missing page (one small table read)."""
        return {row[0] for row in self.conn.execute("SELECT article_id FROM missing_pages")}

    def add_url_keys(self, article_id: int, urls: Iterable[str | None]) -> None: ...

    def highlight(
        self, article_id: int, start: int, end: int, *, note: str = ..., color: str = ...
    ) -> Highlighted: ...

    def update_article(
        self, article_id: int, page: ExtractedPage, raw: RawPage | None = ...
    ) -> ReanchorReport: ...


class ItemStore(StoreBase):
    """Finding an article by the URLs (or title) it is known by; missing pages;
    merging another source's data into an article."""

    # -- finding ----------------------------------------------------------------------

    def article_for_urls(self, urls: Iterable[str | None]) -> int | None:
        """The article known by any of `urls` (compared as reader.urls.url_key does;
        the oldest when several are), or None."""
        keys = url_keys(*urls)
        if not keys:
            return None
        row = self.conn.execute(
            f"SELECT min(article_id) FROM url_keys WHERE key IN ({placeholders(keys)})", keys
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def article_for_title(self, title: str, byline: str | None) -> int | None:
        """The article with this title (case aside) and byline (when given), for an
        entry that has no URL (a Readwise book); None when none or several match."""
        if not title.strip():
            return None
        rows = self.conn.execute(
            "SELECT id, byline FROM articles WHERE title = ? COLLATE NOCASE LIMIT 20",
            (title.strip(),),
        ).fetchall()
        if byline:
            rows = [row for row in rows if (row[1] or "").casefold() == byline.casefold()]
        return int(rows[0][0]) if len(rows) == 1 else None

    def is_missing(self, article_id: int) -> bool:
        """Whether the article is a missing page (known from an export, no page yet)."""
        row = self.conn.execute(
            "SELECT 1 FROM missing_pages WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row is not None

    def missing_ids(self) -> set[int]:
        """The ids of every missing page (one small table read)."""
        return {row[0] for row in self.conn.execute("SELECT article_id FROM missing_pages")}

    def add_url_keys(self, article_id: int, urls: Iterable[str | None]) -> None:
        """Remember that the article is known by `urls` too (in the caller's transaction)."""
        with self.write() as conn:
            add_keys(conn, article_id, *urls)

    # -- missing pages ----------------------------------------------------------------

    def add_missing(self, item: KnownItem) -> int:
        """A missing page for `item`: its row (no text), its URL keys and tags; its id."""
        stamp = self._now()
        row: dict[str, object] = {
            "url": item.url,
            "title": item.title or "",
            **{name: getattr(item, name) for name in METADATA_FIELDS[1:]},
            "added_at": item.added_at or stamp,
            "updated_at": stamp,
            "read_at": item.read_at,
            "archived_at": item.archived_at,
            "starred": int(item.starred),
            "progress": _progress(item.progress),
        }
        with self.write() as conn:
            names = sorted(set(_tag_ids(conn, set(item.tags)).values()))
            row["tag_names"] = " ".join(name for name, _ in names)
            article_id = insert_row(conn, "articles", row)
            conn.executemany(
                "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                [(article_id, tag_id) for _, tag_id in names],
            )
            conn.execute("INSERT INTO missing_pages(article_id) VALUES (?)", (article_id,))
            self.add_url_keys(article_id, [item.url])
        return article_id

    def fill_missing(
        self: _Merges, article_id: int, page: ExtractedPage, raw: RawPage
    ) -> ReanchorReport:
        """Give a missing page (or any article) the page that has arrived: its text and
        original, its metadata where the article had none (the user's title stays), its
        URLs as keys; then every waiting highlight is placed on the text."""
        with self.write() as conn:
            kept = conn.execute(
                f"SELECT {', '.join(METADATA_FIELDS)}, url FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if kept is None:
                raise NotFoundError(f"no article with id {article_id}")
            known = dict(zip((*METADATA_FIELDS, "url"), kept, strict=True))
            # The article's own values over the page's, in the one UPDATE that replaces
            # the text (a second one of the title would index the whole text again).
            ours = {name: value for name, value in known.items() if value and name != "url"}
            result = self.update_article(article_id, dataclasses.replace(page, **ours), raw)
            conn.execute("DELETE FROM missing_pages WHERE article_id = ?", (article_id,))
            self.add_url_keys(article_id, [known["url"], page.url, raw.url])
        return result

    # -- merging ----------------------------------------------------------------------

    def merge_item(self: _Merges, article_id: int, item: KnownItem) -> bool:
        """Merge what another source knows into the article: tags united, starred/read/
        archived when it says so, the earlier saved time, the further progress, metadata
        where the article has none. True when anything changed."""
        columns = (*METADATA_FIELDS, "added_at", "read_at", "archived_at", "starred", "progress")
        with self.write() as conn:
            row = conn.execute(
                f"SELECT {', '.join(columns)} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                return False
            have = dict(zip(columns, row, strict=True))
            changes: dict[str, object] = {}
            for name in (*METADATA_FIELDS, "read_at", "archived_at"):
                value = getattr(item, name)
                if value and not have[name]:
                    changes[name] = value
            if item.added_at and item.added_at < have["added_at"]:
                changes["added_at"] = item.added_at
            if item.starred and not have["starred"]:
                changes["starred"] = 1
            progress = _progress(item.progress)
            if progress > (have["progress"] or 0):
                changes["progress"] = progress
            if changes:
                assignments = ", ".join(f'"{name}" = ?' for name in changes)
                conn.execute(
                    f"UPDATE articles SET {assignments} WHERE id = ?",
                    [*changes.values(), article_id],
                )
            new_tags = _new_tags(conn, article_id, item.tags)
            if new_tags:
                self.add_tags([article_id], new_tags)
            self.add_url_keys(article_id, [item.url])
        return bool(changes or new_tags)

    def add_quote(
        self: _Merges,
        article_id: int,
        quote: str,
        *,
        note: str = "",
        color: str | None = None,
        created_at: str | None = None,
        at: tuple[int, int | None] | None = None,
    ) -> QuotePlacement:
        """Add a highlight given by its quote alone (an export's): placed on the
        article's text where reader.anchor finds it (exact, normalised, fuzzy), else
        kept as a quote (orphaned, with an empty range), never lost. A quote the article
        already has (compared as exporters change quotes) is not added again.

        `at` is where the source says the quote is (an e-reader's position, as offsets
        into the text: a start, and an end when it knows one): the highlight goes there
        when the text there is the quote, else where the quote is found (the nearest to
        that start, of equally good places)."""
        from reader.anchor import TextQuoteSelector, locate

        color = color if color in COLORS else "yellow"
        key = comparable_quote(quote)
        if not key:
            return QuotePlacement(known=True)
        with self.write() as conn:
            found = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if found is None:
                raise KeyError(f"no article with id {article_id}")
            text: str = found[0]
            have = conn.execute(
                'SELECT exact, start, "end", orphaned, note, id FROM annotations'
                " WHERE article_id = ? AND start IS NOT NULL",
                (article_id,),
            ).fetchall()
            same = [row for row in have if comparable_quote(row[0]) == key]
            if same:
                return _known_quote(conn, same[0], note, self._now())
            place = _at(text, quote, key, at)
            if place is None and text:
                hint = at[0] if at is not None else None
                place = locate(text, TextQuoteSelector(exact=quote), hint=hint)
            stamp = self._now()
            if place is not None:
                placed = comparable_quote(text[place[0] : place[1]])
                same = [row for row in have if comparable_quote(row[0]) == placed]
                if same:
                    return _known_quote(conn, same[0], note, self._now())
                if any(
                    not orphaned
                    and start <= place[0]
                    and place[1] <= end
                    and note.strip() in (kept or "")
                    for _, start, end, orphaned, kept, _ in have
                ):
                    return QuotePlacement(known=True)  # inside a highlight already here
                done = self.highlight(article_id, place[0], place[1], note=note, color=color)
                if created_at and not done.extended:
                    conn.execute(
                        "UPDATE annotations SET created_at = ? WHERE id = ?",
                        (created_at, done.annotation.id),
                    )
                return QuotePlacement(anchored=True)
            waiting = insert_row(
                conn,
                "annotations",
                {
                    "article_id": article_id,
                    "start": 0,
                    "end": 0,
                    "exact": quote,
                    "note": note,
                    "color": color,
                    "orphaned": 1,
                    "created_at": created_at or stamp,
                    "updated_at": stamp,
                },
            )
            add_tags(conn, waiting, note_tags(note))
            return QuotePlacement(waiting=True)

    def add_note_once(self, article_id: int, note: str, created_at: str | None = None) -> bool:
        """An article note, unless the article has that note already; True when added."""
        note = note.strip()
        if not note:
            return False
        with self.write() as conn:
            have = conn.execute(
                "SELECT 1 FROM annotations WHERE article_id = ? AND start IS NULL AND note = ?",
                (article_id, note),
            ).fetchone()
            if have is not None:
                return False
            stamp = self._now()
            insert_row(
                conn,
                "annotations",
                {
                    "article_id": article_id,
                    "note": note,
                    "created_at": created_at or stamp,
                    "updated_at": stamp,
                },
            )
        return True


def _known_quote(
    conn: sqlite3.Connection, row: tuple[object, ...], note: str, stamp: str
) -> QuotePlacement:
    """A quote the article has (its annotation's `row`: exact, start, end, orphaned,
    note, id): its note joins that highlight's, unless the highlight has it already."""
    note = note.strip()
    kept = str(row[4] or "")
    if not note or note in kept:
        return QuotePlacement(known=True)
    joined = "\n\n".join(part for part in (kept.strip(), note) if part)
    conn.execute(
        "UPDATE annotations SET note = ?, updated_at = ? WHERE id = ?", (joined, stamp, row[5])
    )
    return QuotePlacement(known=True, noted=True)


def _at(
    text: str, quote: str, key: str, at: tuple[int, int | None] | None
) -> tuple[int, int] | None:
    """The range a source gave when the text there is the quote (compared as exporters
    change quotes): its own end, or the quote's length from its start."""
    if at is None:
        return None
    start, end = at
    for stop in dict.fromkeys(e for e in (end, start + len(quote)) if e is not None):
        if 0 <= start < stop <= len(text) and comparable_quote(text[start:stop]) == key:
            return start, stop
    return None


def _progress(value: float | None) -> float:
    return 0.0 if value is None else min(1.0, max(0.0, float(value)))


def _new_tags(conn: sqlite3.Connection, article_id: int, names: Iterable[str]) -> list[str]:
    """The names the article does not carry yet (whatever their case)."""
    have = {
        row[0].casefold()
        for row in conn.execute(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
            " WHERE x.article_id = ?",
            (article_id,),
        )
    }
    return [name for name in dict.fromkeys(names) if name.casefold() not in have]
