"""AnnotationStore: highlights and notes.

A highlight is a range of an article's text (offsets into `articles.text`) plus a W3C
TextQuoteSelector (the exact quote with some context each side), so it can be found
again when the text changes; an article note has no range. Every change is its own
transaction: killing the app right after a highlight loses nothing.

Highlights of an article never overlap: a new one that overlaps or touches existing
ones extends them (`highlight`), so no highlight hides another, nor its note.

Offsets come from a view of the text, and another program may have replaced the text
since (`reader import --update`, `reader reindex`): a highlight made with the quote the
reader saw is placed by that quote when the offsets no longer hold it, or refused
(HighlightNotPlacedError), never put on other words; a restored one (an undo) is placed
by its quote likewise, or kept as orphaned.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.archive.base import StoreBase, placeholders
from reader.archive.highlight_tags import add_tags, remove_tags, retag_note
from reader.archive.rows import ANNOTATION, insert_row
from reader.archive.search import fts_string
from reader.hashtags import HighlightTagError, clean_highlight_tag, note_tags, valid_tags
from reader.models import COLORS, Annotation, ReanchorReport
from reader.textrules import strip_controls

if TYPE_CHECKING:
    from reader.anchor import TextQuoteSelector
    from reader.query import HighlightFilter

# What an annotation row holds besides its id (restore_annotation writes them all); its
# tags are rows of highlight_tags.
_STORED_FIELDS = tuple(name for name in ANNOTATION.names if name not in ("id", "tags"))
# Reading order: highlights by position, then article notes as they were written.
_READING_ORDER = 'n.start IS NULL, n.start, n."end", n.id'


class AnnotationError(ValueError):
    """An annotation that cannot be made; `str(error)` is one line for the user."""


class AnnotationNotFoundError(AnnotationError):
    """No annotation with that id: deleted, maybe by another program."""


class HighlightNotPlacedError(AnnotationError):
    """The article's text changed since the highlight's offsets were taken, and its
    quote is not in the new text: nothing was written."""


@dataclass(frozen=True)
class Highlighted:
    """What `highlight` did. `annotation` is the highlight as it now is: a new one, or
    the oldest of those the new range overlapped or touched, extended over them all;
    `replaced` holds those highlights as they were before (the extended one first),
    and is empty when the highlight is new. `placed` is the range the new highlight
    took (before any extension) and `placed_quote` its text; `reanchored` says the text
    at the offsets given was no longer the quote seen (the article was extracted again)
    and it was placed where that quote is now."""

    annotation: Annotation
    replaced: tuple[Annotation, ...] = ()
    placed: tuple[int, int] = (0, 0)
    placed_quote: str = ""
    reanchored: bool = False

    @property
    def extended(self) -> bool:
        return bool(self.replaced)


@dataclass(frozen=True)
class AnnotationEntry:
    """An annotation with the title of its article, for lists across the archive."""

    annotation: Annotation
    article_title: str


def _clean_note(note: str) -> str:
    """A note as stored: typed or piped text may carry terminal escapes or bidi
    overrides, which must never reach a terminal or an export later."""
    return strip_controls(note)


def _joined_notes(notes: Iterable[str]) -> str:
    """Notes in the order given, joined by a blank line; empty ones dropped, and one
    already there (as a whole note or a paragraph of one: a note merged before) once."""
    kept: list[str] = []
    paragraphs: set[str] = set()
    for note in notes:
        note = note.strip()
        if note and note not in paragraphs:
            kept.append(note)
            paragraphs.add(note)
            paragraphs.update(part.strip() for part in note.split("\n\n"))
    return "\n\n".join(kept)


def _placed(
    text: str, start: int, end: int, quote: TextQuoteSelector | None
) -> tuple[tuple[int, int], bool]:
    """Where a highlight of `[start, end)` goes in `text`: there, when that is still the
    quote seen (or none was given), else where the quote is now (see `highlight`); and
    whether it was placed by the quote."""
    from reader.anchor import locate

    inside = 0 <= start < end <= len(text)
    if quote is None or (inside and text[start:end] == quote.exact):
        if not inside:
            raise AnnotationError(
                f"range {start}-{end} is not inside the article's text (0-{len(text)})"
            )
        return (start, end), False
    found = locate(text, quote, hint=start)
    if found is None:
        raise HighlightNotPlacedError(
            "the article's text changed (it was extracted again) and the words to"
            " highlight are no longer in it; nothing was saved"
        )
    return found, True


def _placed_again(text: str, annotation: Annotation) -> dict[str, object]:
    """The columns that place a restored highlight in `text`: unchanged while its
    offsets still hold its quote; else where the quote is now, or orphaned."""
    from reader.anchor import locate, make_selector

    start, end = annotation.start or 0, annotation.end or 0
    if 0 <= start < end <= len(text) and text[start:end] == annotation.exact:
        return {}
    found = locate(text, _selector_of(annotation), hint=start)
    if found is None:
        start, end = _orphan_range(text, annotation)
        return {"start": start, "end": end, "orphaned": 1}
    new = make_selector(text, *found)
    return {
        "start": found[0],
        "end": found[1],
        "exact": new.exact,
        "prefix": new.prefix,
        "suffix": new.suffix,
    }


def _selector_of(annotation: Annotation) -> TextQuoteSelector:
    from reader.anchor import TextQuoteSelector

    return TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)


def _orphan_range(text: str, annotation: Annotation) -> tuple[int, int]:
    """Where an orphaned highlight sits in `text`: its old offsets, kept inside it (they
    only place it roughly; its quote and note are what it keeps)."""
    start = min(max(annotation.start or 0, 0), len(text))
    return start, min(max(annotation.end or start, start), len(text))


def _cleaned_tags(names: Iterable[str]) -> list[str]:
    """Tags as typed (`#` or not), checked: one that is not a tag word is refused."""
    try:
        return [clean_highlight_tag(name) for name in names]
    except HighlightTagError as error:
        raise AnnotationError(str(error)) from error


def highlight_conditions(wanted: HighlightFilter) -> tuple[list[str], list[object]]:
    """WHERE terms over `annotations n` keeping the highlights `wanted` selects: one of
    its colours, every one of its tags, none of the excluded."""
    where = ["n.start IS NOT NULL"]
    params: list[object] = []
    if wanted.colors:
        where.append(f"n.color IN ({placeholders(wanted.colors)})")
        params += wanted.colors
    if wanted.excluded_colors:
        where.append(f"n.color NOT IN ({placeholders(wanted.excluded_colors)})")
        params += wanted.excluded_colors
    tagged = "n.id {op} (SELECT h.annotation_id FROM highlight_tags h WHERE h.name = ?)"
    where += [tagged.format(op="IN") for _ in wanted.tags]
    where += [tagged.format(op="NOT IN") for _ in wanted.excluded_tags]
    params += [*wanted.tags, *wanted.excluded_tags]
    return where, params


def _check_color(color: str) -> None:
    if color not in COLORS:
        raise AnnotationError(f"unknown colour {color!r}; choose one of {', '.join(COLORS)}")


class AnnotationStore(StoreBase):
    """Highlights and article notes: add, edit, delete, restore, list, re-anchor."""

    def add_highlight(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        note: str = "",
        color: str = "yellow",
        tags: Iterable[str] = (),
    ) -> int:
        """Highlight `text[start:end]` of the article (see `highlight`); returns the id of
        the highlight that now covers it."""
        done = self.highlight(article_id, start, end, note=note, color=color, tags=tags)
        return done.annotation.id

    def highlight(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        note: str = "",
        color: str = "yellow",
        quote: TextQuoteSelector | None = None,
        tags: Iterable[str] = (),
    ) -> Highlighted:
        """Highlight `text[start:end]` of the article, in one transaction.

        `quote` is what the caller saw there (reader.anchor.make_selector of the text it
        took the offsets from). Where the text at the offsets is no longer its exact
        quote (the article was extracted again meanwhile), the highlight goes where the
        quote is now (reader.anchor.locate: exact, then fuzzy), and `reanchored` says
        so; a quote not found raises HighlightNotPlacedError and writes nothing.

        Where the range overlaps or touches highlights already there, they become one:
        the oldest of them, extended over the union of the ranges, keeping its id,
        colour and creation time, with every note (theirs and `note`) kept, joined by a
        blank line in reading order, and every tag (theirs, `tags` and the note's
        `#words`). Orphaned highlights (their text is gone) are left alone: their
        offsets no longer say where they are.
        """
        from reader.anchor import make_selector

        _check_color(color)
        note = _clean_note(note)
        new_tags = [*_cleaned_tags(tags), *note_tags(note)]
        with self.write() as conn:
            found = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if found is None:
                raise AnnotationError(f"no article with id {article_id}")
            text: str = found[0]
            placed, reanchored = _placed(text, start, end, quote)
            start, end = placed
            placed_quote = text[start:end]
            merged = self._touching(conn, article_id, start, end)
            stamp = self._now()
            if not merged:
                selector = make_selector(text, start, end)
                row = {
                    "article_id": article_id,
                    "start": start,
                    "end": end,
                    "exact": selector.exact,
                    "prefix": selector.prefix,
                    "suffix": selector.suffix,
                    "note": note,
                    "color": color,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                created_id = insert_row(conn, "annotations", row)
                add_tags(conn, created_id, new_tags)
                created = self.get_annotation(created_id)
                assert created is not None  # inserted just now, in this transaction
                return Highlighted(created, (), placed, placed_quote, reanchored)
            kept = min(merged, key=lambda a: (a.created_at, a.id))
            lo = min(start, *(a.start or 0 for a in merged))
            hi = max(end, *(a.end or 0 for a in merged))
            # Reading order; the new note sits where its range starts, after a highlight
            # starting at the same place.
            ordered = sorted(
                [(a.start or 0, a.end or 0, 0, a.id, a.note) for a in merged]
                + [(start, end, 1, 0, note)]
            )
            selector = make_selector(text, lo, hi)
            conn.execute(
                'UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?,'
                " note = ?, updated_at = ? WHERE id = ?",
                (
                    lo,
                    hi,
                    selector.exact,
                    selector.prefix,
                    selector.suffix,
                    _joined_notes(item[4] for item in ordered),
                    stamp,
                    kept.id,
                ),
            )
            add_tags(conn, kept.id, [*(t for a in merged for t in a.tags), *new_tags])
            others = [a.id for a in merged if a.id != kept.id]
            if others:
                conn.execute(
                    f"DELETE FROM annotations WHERE id IN ({placeholders(others)})", others
                )
            extended = self.get_annotation(kept.id)
            assert extended is not None  # updated just now, in this transaction
            replaced = (kept, *(a for a in merged if a.id != kept.id))
            return Highlighted(extended, replaced, placed, placed_quote, reanchored)

    def _touching(
        self, conn: sqlite3.Connection, article_id: int, start: int, end: int
    ) -> list[Annotation]:
        """The article's placed highlights that overlap or touch `[start, end)`, and
        those touching them in turn (older archives may hold overlapping ones), in
        reading order."""
        found: dict[int, Annotation] = {}
        lo, hi = start, end
        while True:
            rows = conn.execute(
                f"SELECT {ANNOTATION.sql} FROM annotations n WHERE n.article_id = ?"
                ' AND n.start IS NOT NULL AND n.orphaned = 0 AND n.start <= ? AND n."end" >= ?'
                f" ORDER BY {_READING_ORDER}",
                (article_id, hi, lo),
            ).fetchall()
            new = [a for a in map(ANNOTATION.read, rows) if a.id not in found]
            if not new:
                return sorted(found.values(), key=lambda a: (a.start or 0, a.end or 0, a.id))
            for annotation in new:
                found[annotation.id] = annotation
                lo = min(lo, annotation.start or 0)
                hi = max(hi, annotation.end or 0)

    def undo_highlight(self, highlighted: Highlighted) -> None:
        """Put back what `highlight` changed, in one transaction: a new highlight goes,
        an extended one is as it was, and those merged into it come back (with their
        ids, where no annotation took them meanwhile)."""
        with self.write() as conn:
            conn.execute("DELETE FROM annotations WHERE id = ?", (highlighted.annotation.id,))
            for annotation in highlighted.replaced:
                self.restore_annotation(annotation, keep_id=True)

    def add_article_note(self, article_id: int, note: str) -> int:
        """A note on the article as a whole; returns its id."""
        note = _clean_note(note)
        if not note.strip():
            raise AnnotationError("a note cannot be empty")
        with self.write() as conn:
            found = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if found is None:
                raise AnnotationError(f"no article with id {article_id}")
            stamp = self._now()
            row = {"article_id": article_id, "note": note, "created_at": stamp, "updated_at": stamp}
            return insert_row(conn, "annotations", row)

    def update_annotation(
        self, annotation_id: int, *, note: str | None = None, color: str | None = None
    ) -> None:
        """Change a highlight's note or colour (or an article note's text)."""
        assignments: list[str] = []
        params: list[object] = []
        if note is not None:
            note = _clean_note(note)
            assignments.append("note = ?")
            params.append(note)
        if color is not None:
            _check_color(color)
            assignments.append("color = ?")
            params.append(color)
        if not assignments:
            return
        with self.write() as conn:
            before = self.get_annotation(annotation_id)
            if before is None:
                raise AnnotationNotFoundError(f"no annotation with id {annotation_id}")
            conn.execute(
                f"UPDATE annotations SET {', '.join(assignments)}, updated_at = ? WHERE id = ?",
                [*params, self._now(), annotation_id],
            )
            if note is not None and not before.is_article_note:
                retag_note(conn, annotation_id, before.note, note)

    def tag_highlight(
        self, annotation_id: int, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> Annotation:
        """Tag a highlight with `add` and untag it of `remove` (names as typed, `#` or
        not; compared ignoring case), in one transaction; returns it as it now is.
        A name that is not a tag word, or an article note, is refused."""
        added = _cleaned_tags(add)
        removed = [name.strip().removeprefix("#") for name in remove]
        with self.write() as conn:
            annotation = self.get_annotation(annotation_id)
            if annotation is None:
                raise AnnotationNotFoundError(f"no annotation with id {annotation_id}")
            if annotation.is_article_note:
                raise AnnotationError(
                    f"annotation {annotation_id} is an article note: tag the article instead"
                )
            remove_tags(conn, annotation_id, removed)
            add_tags(conn, annotation_id, added)
            tagged = self.get_annotation(annotation_id)
            assert tagged is not None  # read in the transaction that changed it
            if tagged.tags == annotation.tags:
                return tagged  # nothing changed (a backup restored again): not "updated"
            conn.execute(
                "UPDATE annotations SET updated_at = ? WHERE id = ?", (self._now(), annotation_id)
            )
            changed = self.get_annotation(annotation_id)
        assert changed is not None
        return changed

    def delete_annotation(self, annotation_id: int) -> Annotation | None:
        """Delete an annotation; returns it (for undo), or None if there was none."""
        with self.write() as conn:
            annotation = self.get_annotation(annotation_id)
            if annotation is not None:
                conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        return annotation

    def restore_annotation(self, annotation: Annotation, *, keep_id: bool = False) -> int:
        """Insert `annotation` as it is (its id aside): undo of a delete, or an import.

        A highlight whose offsets no longer hold its quote (the text was extracted again
        since it was taken) is placed where its quote is now, or kept as orphaned, as a
        re-extraction does. With `keep_id` (an undo) it gets its own id back when no
        annotation has taken it. Missing timestamps become now; returns the new id.
        """
        _check_color(annotation.color)
        stamp = self._now()
        row = {name: getattr(annotation, name) for name in _STORED_FIELDS}
        row["note"] = _clean_note(annotation.note)
        row["orphaned"] = int(annotation.orphaned)
        row["created_at"] = annotation.created_at or stamp
        row["updated_at"] = annotation.updated_at or stamp
        with self.write() as conn:
            found = conn.execute(
                "SELECT text FROM articles WHERE id = ?", (annotation.article_id,)
            ).fetchone()
            if found is None:  # deleted meanwhile (another program, another screen)
                raise AnnotationError(f"no article with id {annotation.article_id}")
            if not annotation.is_article_note and not annotation.orphaned:
                row.update(_placed_again(found[0], annotation))
            if keep_id and self.get_annotation(annotation.id) is None:
                row = {"id": annotation.id, **row}
            restored = insert_row(conn, "annotations", row)
            if not annotation.is_article_note:
                add_tags(conn, restored, valid_tags([*annotation.tags, *note_tags(row["note"])]))
            return restored

    def highlight_tag_names(self, limit: int = 1000) -> list[str]:
        """The highlight tags in use, by name (a tag editor completes them)."""
        rows = self.conn.execute(
            "SELECT DISTINCT name FROM highlight_tags ORDER BY name COLLATE NOCASE LIMIT ?",
            (limit,),
        )
        return [name for (name,) in rows]

    def get_annotation(self, annotation_id: int) -> Annotation | None:
        row = self.conn.execute(
            f"SELECT {ANNOTATION.sql} FROM annotations n WHERE n.id = ?", (annotation_id,)
        ).fetchone()
        return ANNOTATION.read(row) if row is not None else None

    def annotations_for(self, article_id: int) -> list[Annotation]:
        """The article's highlights in reading order, then its article notes."""
        rows = self.conn.execute(
            f"SELECT {ANNOTATION.sql} FROM annotations n WHERE n.article_id = ?"
            f" ORDER BY {_READING_ORDER}",
            (article_id,),
        )
        return [ANNOTATION.read(row) for row in rows]

    def iter_annotations(
        self, article_ids: Iterable[int] | None = None, since: str | None = None
    ) -> Iterator[Annotation]:
        """Annotations of these articles (None: all), changed after `since` if given,
        grouped by article in reading order."""
        where: list[str] = []
        params: list[object] = []
        if since:
            where.append("n.updated_at > ?")
            params.append(since)
        ids = list(article_ids) if article_ids is not None else None
        if ids is not None and not ids:
            return
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)] if ids else [None]
        for chunk in chunks:
            clause = list(where)
            chunk_params = list(params)
            if chunk is not None:
                clause.append(f"n.article_id IN ({placeholders(chunk)})")
                chunk_params += chunk
            sql = f"SELECT {ANNOTATION.sql} FROM annotations n"
            if clause:
                sql += " WHERE " + " AND ".join(clause)
            sql += f" ORDER BY n.article_id, {_READING_ORDER}"
            for row in self.conn.execute(sql, chunk_params).fetchall():
                yield ANNOTATION.read(row)

    def all_annotations(
        self,
        text: str = "",
        *,
        highlights: HighlightFilter | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[AnnotationEntry]:
        """Annotations across the archive, newest first; `text` keeps those whose quote or
        note has every word (prefix match on the last one, as typed in a search box);
        `highlights` keeps the highlights of its colours and tags (and no article note)."""
        words = text.split()
        sql = (
            f"SELECT {ANNOTATION.sql}, a.title FROM annotations n"
            " JOIN articles a ON a.id = n.article_id"
        )
        where: list[str] = []
        params: list[object] = []
        if words:
            match = " ".join(fts_string(w) for w in words[:-1])
            match = (match + " " + fts_string(words[-1]) + "*").strip()
            where.append(
                "n.id IN (SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?)"
            )
            params.append(match)
        if highlights is not None and not highlights.is_empty:
            more, more_params = highlight_conditions(highlights)
            where += more
            params += more_params
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY n.updated_at DESC, n.id DESC LIMIT ? OFFSET ?"
        params += [limit, offset]
        entries = []
        for row in self.conn.execute(sql, params):
            (title,) = ANNOTATION.rest(row)
            entries.append(AnnotationEntry(ANNOTATION.read(row), title))
        return entries

    def reanchor_annotations(self, article_id: int, text: str) -> ReanchorReport:
        """Place the article's highlights in its new `text` (see reader.anchor.locate).

        Found again: offsets and selector describe the new text. Not found: kept,
        flagged orphaned, quote and note intact. Runs inside the caller's transaction.
        """
        from reader.anchor import locate, make_selector

        kept = moved = orphaned = 0
        with self.write() as conn:
            for annotation in self.annotations_for(article_id):
                if annotation.is_article_note:
                    continue
                found = locate(text, _selector_of(annotation), hint=annotation.start)
                if found is None:
                    orphaned += 1
                    start, end = _orphan_range(text, annotation)
                    conn.execute(
                        'UPDATE annotations SET orphaned = 1, start = ?, "end" = ? WHERE id = ?',
                        (start, end, annotation.id),
                    )
                    continue
                start, end = found
                if (start, end) == (annotation.start, annotation.end) and (
                    text[start:end] == annotation.exact
                ):
                    kept += 1
                else:
                    moved += 1
                new = make_selector(text, start, end)
                conn.execute(
                    'UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?,'
                    " suffix = ?, orphaned = 0 WHERE id = ?",
                    (start, end, new.exact, new.prefix, new.suffix, annotation.id),
                )
        return ReanchorReport(kept=kept, moved=moved, orphaned=orphaned)
