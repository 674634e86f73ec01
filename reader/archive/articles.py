"""ArticleStore: articles and their saved originals.

An import writes the article row, its original (zlib-compressed) and its tags in one
transaction, so a failed or killed import never leaves half an article. Re-extraction
(`update_article`) replaces the text and metadata but keeps what the user made: tags,
reading state and annotations, whose highlights are re-anchored in the new text.

An article's `updated_at` is its revision: set when it is added and every time its text
is replaced (nothing else changes it), always later than the one before, so a view
holding the text can tell, with one row read (`article_revision`), that it is stale.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from reader.archive.base import (
    RECOVER_HINT,
    DamagedError,
    NotFoundError,
    Store,
    StoreBase,
    is_damage,
    placeholders,
    timestamp,
)
from reader.archive.fts import INDEX_COLUMNS
from reader.archive.images import store_images
from reader.archive.rows import ARTICLE, ORIGINAL, insert_row, read_summaries
from reader.archive.salvage import TableWalk, known_articles, walk
from reader.archive.tags import clean_tag_name
from reader.models import Article, ArticleSummary, Original, ReanchorReport
from reader.urls import url_keys

if TYPE_CHECKING:
    from reader.ingest.page import ExtractedPage, RawPage

# zlib level 6: originals are written once and read rarely; 9 costs twice the time
# for about 1% less space on HTML.
_COMPRESSION = 6


def _article_fields(page: ExtractedPage, url: str | None) -> dict[str, object]:
    """The article columns an extraction sets (everything but state and tags)."""
    return {
        "url": page.url or url,
        "title": page.title or "",
        "byline": page.byline,
        "site_name": page.site_name,
        "published": page.published,
        "lang": page.lang,
        "excerpt": page.excerpt,
        "word_count": page.word_count,
        "extractor": page.extractor,
        "blocks": page.document.to_json(),
        "text": page.text,
    }


def _source_row(article_id: int, raw: RawPage) -> dict[str, object]:
    return {
        "article_id": article_id,
        "filename": raw.filename,
        "kind": raw.kind,
        "sha256": raw.sha256,
        "size": len(raw.data),
        "saved_at": raw.saved_at,
        "url": raw.url,
        "raw": zlib.compress(raw.data, _COMPRESSION),
    }


@dataclass(frozen=True)
class PreparedArticle:
    """An article's rows as `ArticleStore.add_prepared` writes them, made by
    `prepare_article` in any process (the original is compressed there): plain values
    that pickle, so a pool of processes can make them for one writer."""

    article: dict[str, object]
    source: dict[str, object]
    tags: tuple[str, ...] = ()
    # The URL keys (reader.urls.url_keys) of the page's and the original's URLs, made
    # here rather than by the writer, which is the bulk path's bottleneck.
    url_keys: tuple[str, ...] = ()


def prepare_article(
    page: ExtractedPage,
    raw: RawPage,
    *,
    added_at: str,
    tags: Iterable[str] = (),
    state: Mapping[str, object] | None = None,
) -> PreparedArticle:
    """The rows `add_article` would write for this page, with reading `state` (any of
    read_at, archived_at, starred, progress, position) set as given."""
    row = {**_article_fields(page, raw.url), "added_at": added_at, "updated_at": added_at}
    for name, value in (state or {}).items():
        if name not in _PREPARED_STATE:
            raise ValueError(f"not an article's reading state: {name}")
        row[name] = value
    keys = tuple(url_keys(row["url"] if isinstance(row["url"], str) else None, raw.url))
    return PreparedArticle(row, _source_row(0, raw), tuple(tags), keys)


_PREPARED_STATE = ("read_at", "archived_at", "starred", "progress", "position")


def add_keys(conn: sqlite3.Connection, article_id: int, *urls: object) -> None:
    """Remember the URLs the article is known by (reader.urls.url_key), in `url_keys`."""
    _store_keys(
        conn, article_id, url_keys(*(url if isinstance(url, str) else None for url in urls))
    )


def _store_keys(conn: sqlite3.Connection, article_id: int, keys: Iterable[str]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO url_keys(key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in keys],
    )


# A batch this big indexes its articles in one statement (see _indexed_together).
_INDEXED_TOGETHER_FROM = 100
# FTS5's in-memory terms for that statement: 16 MB, against its 1 MB default. 64 MB
# was no faster, and left more free pages after the batch's merges.
_BULK_HASHSIZE = 16 * 2**20
_DEFAULT_HASHSIZE = 2**20


@contextmanager
def _indexed_together(conn: sqlite3.Connection, ids: list[int], count: int) -> Iterator[None]:
    """Within a write transaction: index the articles whose ids the body appends to
    `ids` in one statement at its end, instead of one trigger call per row.

    In a transaction, every statement that fires the insert trigger opens a statement
    savepoint, and FTS5 (SQLite 3.40) writes out its in-memory terms at each savepoint:
    one index segment per article, merged again and again as the batch goes on. One
    INSERT ... SELECT keeps them in memory up to the hash size, so a batch of 5,000
    becomes a few segments (bench/make_archive.py's writer at 20,000 articles: 1.45 -> 0.84
    ms of CPU an article).
    The insert triggers (the whole index's, v9's metadata index's) are dropped for the
    body and made again from their own SQL before the transaction commits: other
    connections never see them missing, and a failure rolls all of it back with the
    rows.
    """
    if count < _INDEXED_TOGETHER_FROM:
        yield
        return
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
        " AND name IN ('articles_fts_insert', 'articles_meta_fts_insert') ORDER BY name"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    listed = json.dumps(ids)
    for name, _ in triggers:
        index = name.removesuffix("_insert")
        columns = ", ".join(INDEX_COLUMNS[index])
        found = conn.execute(f"SELECT v FROM {index}_config WHERE k = 'hashsize'").fetchone()
        set_hashsize = f"INSERT INTO {index}({index}, rank) VALUES ('hashsize', ?)"
        conn.execute(set_hashsize, (_BULK_HASHSIZE,))
        conn.execute(
            f"INSERT INTO {index}(rowid, {columns}) SELECT id, {columns} FROM articles"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (listed,),
        )
        conn.execute(set_hashsize, (found[0] if found else _DEFAULT_HASHSIZE,))
    for _, sql in triggers:
        conn.execute(sql)


def _later_than(previous: str | None, now: str) -> str:
    """`now`, or a second after `previous` when the clock has not passed it (two
    extractions within one second; a clock set back): a revision never repeats."""
    if not previous or now > previous:
        return now
    try:
        return timestamp(datetime.fromisoformat(previous) + timedelta(seconds=1))
    except ValueError:  # not a timestamp this program wrote: now will do
        return now


# What restore_article takes from the indexes' copy of a lost article's row.
_RESTORED_STATE = {"url": str, "added_at": str, "read_at": str, "archived_at": str, "starred": int}


def _nocase(name: str) -> str:
    """`name` as SQLite's NOCASE compares it (ASCII letters folded, nothing else)."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _tag_ids(conn: sqlite3.Connection, names: set[str]) -> dict[str, tuple[str, int]]:
    """{name as NOCASE compares it: (the name as stored, its id)} for tag `names` (each
    cleaned, as add_tags does), made as needed."""
    found: dict[str, tuple[str, int]] = {}
    for name in sorted(names):
        cleaned = clean_tag_name(name)
        if _nocase(cleaned) not in found:
            conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (cleaned,))
            stored, tag_id = conn.execute(
                "SELECT name, id FROM tags WHERE name = ?", (cleaned,)
            ).fetchone()
            found[_nocase(cleaned)] = (stored, tag_id)
        found[_nocase(name)] = found[_nocase(cleaned)]
    return found


class _WritesTagsAndAnnotations(Store, Protocol):
    """The Archive as an import and a re-extraction see it: they write an article's
    tags and re-anchor its highlights (TagStore, AnnotationStore) in their transaction."""

    def add_tags(self, article_ids: Iterable[int], names: Iterable[str]) -> None: ...

    def reanchor_annotations(self, article_id: int, text: str) -> ReanchorReport: ...


class ArticleStore(StoreBase):
    """Adding, reading, updating and deleting articles; their reading state."""

    def add_article(
        self: _WritesTagsAndAnnotations,
        page: ExtractedPage,
        raw: RawPage,
        *,
        tags: Iterable[str] = (),
        added_at: str | None = None,
    ) -> int:
        """Store an extracted page with its original and `tags`; returns the new id."""
        stamp = added_at or self._now()
        row = {**_article_fields(page, raw.url), "added_at": stamp, "updated_at": stamp}
        tag_list = list(tags)
        with self.write() as conn:
            article_id = insert_row(conn, "articles", row)
            insert_row(conn, "sources", _source_row(article_id, raw))
            store_images(conn, article_id, page.images, replace=False)
            add_keys(conn, article_id, row["url"], raw.url)
            if tag_list:
                self.add_tags([article_id], tag_list)
        return article_id

    def add_prepared(self, articles: Iterable[PreparedArticle]) -> list[int]:
        """Store many articles in one transaction (the bulk path: bench/make_archive.py
        and any bulk import); their ids, in order. Each article's tag names go in with
        its row, so its text is indexed once (add_article + add_tags index it twice)."""
        prepared = list(articles)
        if not prepared:
            return []
        ids: list[int] = []
        with self.write() as conn, _indexed_together(conn, ids, len(prepared)):
            tag_ids = _tag_ids(conn, {name for item in prepared for name in item.tags})
            for item in prepared:
                names = sorted(
                    {tag_ids[_nocase(name)] for name in item.tags}, key=lambda t: _nocase(t[0])
                )
                row = {**item.article, "tag_names": " ".join(name for name, _ in names)}
                article_id = insert_row(conn, "articles", row)
                insert_row(conn, "sources", {**item.source, "article_id": article_id})
                _store_keys(conn, article_id, item.url_keys)
                conn.executemany(
                    "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
                    [(article_id, tag_id) for _, tag_id in names],
                )
                ids.append(article_id)
        return ids

    def update_article(
        self: _WritesTagsAndAnnotations,
        article_id: int,
        page: ExtractedPage,
        raw: RawPage | None = None,
        *,
        keep_images: bool = False,
    ) -> ReanchorReport:
        """Replace an article's text and metadata with a new extraction.

        Tags, reading state and annotations stay; each highlight is looked for in the
        new text (exact near its old place first, then fuzzy) and flagged as orphaned
        when it cannot be placed. `raw`, when given, replaces the stored original.
        The page's pictures replace the article's, or with `keep_images` join them (a
        reindex finds only those in the original, not a `_files/` folder's).
        Raises NotFoundError (a KeyError) for an unknown id.
        """
        fields = _article_fields(page, raw.url if raw is not None else None)
        if fields["url"] is None:
            del fields["url"]  # a page that names no URL keeps the one the article had
        with self.write() as conn:
            found = conn.execute(
                "SELECT position, updated_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if found is None:
                raise NotFoundError(f"no article with id {article_id}")
            text = page.text
            fields["position"] = min(found[0], len(text))
            fields["updated_at"] = _later_than(found[1], self._now())
            assignments = ", ".join(f'"{name}" = ?' for name in fields)
            conn.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", [*fields.values(), article_id]
            )
            if raw is not None:
                conn.execute("DELETE FROM sources WHERE article_id = ?", (article_id,))
                insert_row(conn, "sources", _source_row(article_id, raw))
            if page.images:
                # A page read again brings its pictures anew; one with none (an original
                # that holds none) leaves the article's as they are.
                store_images(conn, article_id, page.images, replace=not keep_images)
            add_keys(conn, article_id, fields.get("url"), raw.url if raw is not None else None)
            return self.reanchor_annotations(article_id, text)

    def restore_article(
        self: _WritesTagsAndAnnotations,
        article_id: int,
        page: ExtractedPage,
        state: Mapping[str, object],
    ) -> ReanchorReport:
        """Put back, under its old id, an article whose row was lost to damaged pages,
        from a new extraction of its saved original (which was not lost).

        `state`: what the archive's indexes still said of it (its URL, when it was added,
        read and archived, whether starred), as far as they could be read. Tags and
        annotations that name the id are its own again; highlights are re-anchored in
        the new text. A recovery does this (reader.archive.recovery).
        """
        stamp = self._now()
        row = {**_article_fields(page, None), "added_at": stamp, "updated_at": stamp}
        for name, kind in _RESTORED_STATE.items():
            value = state.get(name)
            if type(value) is kind:  # an index's value, checked: it was on a damaged file
                row[name] = value
        with self.write() as conn:
            insert_row(conn, "articles", {"id": article_id, **row})
            add_keys(conn, article_id, row.get("url"))
            return self.reanchor_annotations(article_id, page.text)

    def find_duplicate(
        self, url: str | None, sha256: str = "", *, also: Iterable[str | None] = ()
    ) -> int | None:
        """The article already known by `url` (or by any of `also`: the URL a page was
        saved from), compared as reader.urls.url_key does, else saved from a file with
        these bytes. A URL an export gave counts: its missing page is found."""
        keys = url_keys(url, *also)
        if keys:
            row = self.conn.execute(
                f"SELECT min(article_id) FROM url_keys WHERE key IN ({placeholders(keys)})",
                keys,
            ).fetchone()
            if row[0] is not None:
                return int(row[0])
        if sha256:
            row = self.conn.execute(
                "SELECT article_id FROM sources WHERE sha256 = ? ORDER BY article_id LIMIT 1",
                (sha256,),
            ).fetchone()
            if row is not None:
                return int(row[0])
        return None

    # Reading one article raises DamagedError (one line) where its row is damaged.

    def get_summary(self, article_id: int) -> ArticleSummary | None:
        """An article without its body (a list row's fields), or None."""
        with self._reading(f"article #{article_id}"):
            return read_summaries(self.conn, [article_id]).get(article_id)

    def get_article(self, article_id: int) -> Article | None:
        """A whole article (summary fields and document), or None."""
        with self._reading(f"article #{article_id}"):
            row = self.conn.execute(
                f"SELECT {ARTICLE.sql} FROM articles a WHERE a.id = ?", (article_id,)
            ).fetchone()
        if row is None:
            return None
        try:
            return ARTICLE.read(row)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            # The document is JSON this program wrote: one that does not read back is
            # bytes changed on disk (a damaged page whose structure SQLite still takes).
            raise DamagedError(
                f"{self.path}: article #{article_id} cannot be read: its stored document"
                f" is damaged ({type(error).__name__}); {RECOVER_HINT}"
            ) from error

    def article_revision(self, article_id: int) -> str | None:
        """The article's revision (its `updated_at`: it changes whenever its text is
        replaced), or None when there is no such article (deleted, maybe by another
        program). One row read by primary key: cheap enough for a timer."""
        with self._reading(f"article #{article_id}"):
            row = self.conn.execute(
                "SELECT updated_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def iter_article_ids(self) -> list[int]:
        """Every article's id, oldest first.

        Where the articles table has damaged pages, the ids that can still be read (a
        row whose own text is damaged still has its id); the ids of articles on those
        pages, as far as the indexes still name them, go into `damaged_articles`.
        """
        try:
            return [row[0] for row in self.conn.execute("SELECT id FROM articles ORDER BY id")]
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
        found: list[TableWalk] = []
        ids = [row[0] for row in walk(self.conn, "articles", ["id"], found)]
        lost = found[0].lost_keys(set(known_articles(self.conn)))
        self.damaged_articles.update(lost)
        return sorted({*ids, *found[0].unreadable})

    def delete_article(self, article_id: int) -> bool:
        """Delete an article with its original, tags, annotations and the pictures no
        other article shows (schema v5's trigger); False if unknown."""
        with self.write() as conn:
            cursor = conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return cursor.rowcount > 0

    def original_of(self, article_id: int) -> Original | None:
        """The saved page the article was extracted from (decompressed).

        Raises DamagedError when it is on a damaged page or no longer decompresses.
        """
        what = f"the saved original of article #{article_id}"
        with self._reading(what):
            row = self.conn.execute(
                f"SELECT {ORIGINAL.sql} FROM sources s WHERE s.article_id = ?"
                " ORDER BY s.id DESC LIMIT 1",
                (article_id,),
            ).fetchone()
        try:
            return ORIGINAL.read(row) if row is not None else None
        except zlib.error as error:
            raise DamagedError(
                f"{self.path}: {what} is damaged (it does not decompress: {error})"
            ) from error

    # -- reading state -------------------------------------------------------------

    def set_starred(self, article_id: int, starred: bool) -> None:
        self._set_state(article_id, "starred = ?", int(starred))

    def set_read(self, article_id: int, read: bool) -> None:
        """Mark read (keeping the first time it was read) or unread."""
        if read:
            self._set_state(article_id, "read_at = coalesce(read_at, ?)", self._now())
        else:
            self._set_state(article_id, "read_at = NULL")

    def set_archived(self, article_id: int, archived: bool) -> None:
        if archived:
            self._set_state(article_id, "archived_at = coalesce(archived_at, ?)", self._now())
        else:
            self._set_state(article_id, "archived_at = NULL")

    def save_position(self, article_id: int, position: int, progress: float) -> None:
        """Where the reader left the article: an offset into its text, and 0..1 read."""
        self._set_state(
            article_id,
            "position = max(0, ?), progress = ?",
            int(position),
            min(1.0, max(0.0, float(progress))),
        )

    def _set_state(self, article_id: int, assignment: str, *params: object) -> None:
        with self.write() as conn:
            cursor = conn.execute(
                f"UPDATE articles SET {assignment} WHERE id = ?", [*params, article_id]
            )
        if cursor.rowcount == 0:
            raise NotFoundError(f"no article with id {article_id}")
