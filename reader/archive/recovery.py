"""`reader recover DEST`: everything that can be read of a damaged archive, in a new one.

SQLite's own `.recover` lives in the sqlite3 shell, which may not be installed; this is
the same idea through Python's driver, table by table and row by row (salvage.walk):

1. `copy()`: a new file beside DEST (written under a hidden name, renamed into place at
   the end, so DEST is never half an archive) gets the schema of the damaged archive's
   version, then every row that can be read, table by table, with foreign keys off (a
   row whose article was lost is kept for now). A value reader wrote that no longer
   reads back (an original that does not decompress, a document that is not JSON) is
   not copied, and an article's text is made again from its document (`_mended`). The
   full-text triggers are set aside while copying, and the indexes built once from the
   rows copied;
2. then the caller may put back lost articles whose saved original was not lost
   (`lost_with_originals`, `Archive.restore_article`: that needs the ingest pipeline,
   which the archive does not import; reader.importer.recover does it);
3. `finish()`: rows that still belong to a lost article or tag are dropped (and
   counted), the tag names each article keeps for search brought in step, the new
   archive checked, and the file renamed to DEST, which must not exist (it is never
   overwritten).

The damaged archive is opened read-only and never written to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.archive.base import ArchiveError, is_damage
from reader.archive.checking import full_text_indexes
from reader.archive.counting import refill_counts
from reader.archive.salvage import (
    KnownArticle,
    TableWalk,
    copied_tables,
    decompresses,
    known_articles,
    walk,
)
from reader.archive.schema import (
    COUNTS_SINCE,
    SCHEMA_VERSION,
    migrate,
    schema_version,
)
from reader.document import Document

if TYPE_CHECKING:
    from reader.archive import Archive

__all__ = ["Recovery", "RecoveryReport", "TableCount"]


@dataclass
class TableCount:
    """One table's rows: copied, lost (unreadable, or refused by the new archive), and
    the damaged ranges where how many rows were lost is unknown."""

    table: str
    saved: int = 0
    lost: int = 0
    damaged_ranges: int = 0


@dataclass
class RecoveryReport:
    """What a recovery saved and what it lost."""

    dest: Path
    tables: list[TableCount] = field(default_factory=list)
    lost_articles: list[KnownArticle] = field(default_factory=list)  # by id, as known
    restored: list[int] = field(default_factory=list)  # lost rows put back from originals
    dropped: dict[str, int] = field(default_factory=dict)  # rows of a lost article or tag
    problems: list[str] = field(default_factory=list)  # the new archive's own check

    @property
    def complete(self) -> bool:
        """Whether everything was copied as it was (nothing lost, nothing made again)."""
        return not (
            self.lost_articles
            or self.restored
            or any(t.lost or t.damaged_ranges for t in self.tables)
            or any(self.dropped.values())
        )


def _mended(table: str, columns: list[str], values: tuple[object, ...]) -> list[object] | None:
    """The row as it is to be copied, or None when it is damaged beyond what SQLite can
    see (bytes changed inside a page that still holds together). reader wrote these
    values, so it knows what they must be: an original is a whole zlib stream; an
    article's document is its JSON, and its text is the document's text, made again
    from it (the text sits last in the row, where a damaged overflow page lands)."""
    row = dict(zip(columns, values, strict=True))
    if table == "sources" and "raw" in row and not decompresses(row["raw"]):
        return None
    if table == "articles" and "blocks" in row:
        text = row.get("text")
        try:
            document = Document.from_json(
                str(row["blocks"]), text if isinstance(text, str) else None
            )
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # lost: made again from its original, if that was not
        if "text" in row:
            row["text"] = document.text
        row["blocks"] = document.to_json()  # the first format (text inside) is converted
    return list(row.values())


def _decode_as_possible(data: bytes) -> str:
    """A text value as it can be read: bytes that are not UTF-8 (a damaged value) become
    U+FFFD instead of losing the whole row."""
    return data.decode("utf-8", "replace")


class Recovery:
    """One recovery of `source` (opened read-only) into a new archive at `dest`."""

    def __init__(self, source: Archive, dest: Path) -> None:
        if not source.readonly:
            raise ValueError("recover from an archive opened read-only")
        self.source = source
        self.dest = dest
        self.partial = dest.with_name(f".{dest.name}.partial")
        self.report = RecoveryReport(dest)
        self.archive: Archive | None = None  # the new archive, once the rows are in
        self._saved_ids: set[int] = set()

    def __enter__(self) -> Recovery:
        return self

    def __exit__(self, *exc: object) -> None:
        """A recovery that did not finish leaves nothing behind."""
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        for name in (self.partial.name, *(self.partial.name + s for s in ("-wal", "-shm"))):
            with contextlib.suppress(OSError):
                (self.partial.parent / name).unlink(missing_ok=True)

    # -- 1. the rows ----------------------------------------------------------------

    def copy(self) -> None:
        """Every row of the damaged archive that can be read, into the new file."""
        from reader.archive import Archive

        source = self.source.conn
        version = schema_version(source)
        if not 1 <= version <= SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.source.path}: its schema version ({version}) is not one this reader"
                " knows: nothing to recover it into"
            )
        if self.dest.exists():
            raise ArchiveError(f"{self.dest} exists: recover writes a new archive")
        self.partial.unlink(missing_ok=True)
        conn = sqlite3.connect(self.partial, isolation_level=None)
        try:
            migrate(conn, None, target=version)
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid"
            ).fetchall()
            text_factory = source.text_factory
            source.text_factory = _decode_as_possible
            conn.execute("BEGIN")
            try:
                for name, _ in triggers:
                    conn.execute(f'DROP TRIGGER "{name}"')
                for table in copied_tables(conn):
                    self.report.tables.append(self._copy_table(conn, table))
                for _, sql in triggers:
                    conn.execute(sql)
                # The indexes from the rows copied, before anything else is written:
                # from here on the triggers keep them in step.
                for index in full_text_indexes(conn):
                    conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
                if version >= COUNTS_SINCE:
                    refill_counts(conn)
                conn.execute("COMMIT")
            finally:
                source.text_factory = text_factory
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            migrate(conn, None)  # an older archive's copy is brought up to date
        except sqlite3.Error as error:
            raise ArchiveError(f"{self.partial}: cannot write the new archive: {error}") from error
        finally:
            conn.close()
        self.archive = Archive(self.partial)
        self._note_lost_articles()

    def _copy_table(self, conn: sqlite3.Connection, table: str) -> TableCount:
        count = TableCount(table)
        source = self.source.conn
        try:
            there = {row[1] for row in source.execute("PRAGMA table_info(" + _quoted(table) + ")")}
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            there = set()
        if not there:
            return count  # not in the damaged file's schema: nothing to copy
        names = [row[1] for row in conn.execute(f"PRAGMA table_info({_quoted(table)})")]
        columns = [name for name in names if name in there]
        insert = (
            f"INSERT INTO {_quoted(table)}({', '.join(map(_quoted, columns))})"
            f" VALUES ({', '.join('?' for _ in columns)})"
        )
        found: list[TableWalk] = []
        for row in walk(source, table, [_quoted(c) for c in columns], found):
            values = _mended(table, columns, row)
            if values is None:
                count.lost += 1
                continue
            try:
                conn.execute(insert, values)
            except sqlite3.DatabaseError:  # a value the schema refuses: damaged, not copied
                count.lost += 1
            else:
                count.saved += 1
        count.lost += len(found[0].unreadable)
        count.damaged_ranges = len(found[0].holes)
        return count

    def _note_lost_articles(self) -> None:
        """The articles the damaged file still names (its indexes, the rows that belong
        to an article) that were not copied."""
        assert self.archive is not None
        conn = self.archive.conn
        self._saved_ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
        known = known_articles(self.source.conn)
        for table in ("sources", "annotations", "article_tags"):
            for (article_id,) in conn.execute(f"SELECT DISTINCT article_id FROM {table}"):
                known.setdefault(article_id, KnownArticle(article_id))
        self.report.lost_articles = [
            known[article_id] for article_id in sorted(set(known) - self._saved_ids)
        ]

    # -- 2. lost articles whose original was saved ------------------------------------

    def lost_with_originals(self) -> list[KnownArticle]:
        """The lost articles whose saved original was copied: `Archive.original_of`
        reads it in the new archive, and `Archive.restore_article` puts each back."""
        assert self.archive is not None
        saved = {row[0] for row in self.archive.conn.execute("SELECT article_id FROM sources")}
        return [lost for lost in self.report.lost_articles if lost.id in saved]

    def restored(self, article_id: int) -> None:
        """Note that the caller put article `article_id` back (Archive.restore_article)."""
        self.report.restored.append(article_id)

    # -- 3. the new archive, whole ------------------------------------------------------

    def finish(self) -> RecoveryReport:
        """Drop what belongs to nothing, rebuild what is derived, check, rename to DEST."""
        archive = self.archive
        assert archive is not None
        restored = set(self.report.restored)
        self.report.lost_articles = [a for a in self.report.lost_articles if a.id not in restored]
        with archive.write() as conn:
            for table in copied_tables(conn):
                keys = conn.execute(f"PRAGMA foreign_key_list({_quoted(table)})").fetchall()
                for _, _, parent, column, parent_column, *_ in keys:
                    cursor = conn.execute(
                        f"DELETE FROM {_quoted(table)} WHERE {_quoted(column)} IS NOT NULL"
                        f" AND {_quoted(column)} NOT IN"
                        f" (SELECT {_quoted(parent_column or 'rowid')} FROM {_quoted(parent)})"
                    )
                    if cursor.rowcount > 0:
                        self.report.dropped[table] = (
                            self.report.dropped.get(table, 0) + cursor.rowcount
                        )
        archive.refresh_all_tag_names()
        self.report.problems = archive.check()
        archive.conn.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        archive.close()
        self.archive = None
        _move_into_place(self.partial, self.dest)
        return self.report


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _move_into_place(partial: Path, dest: Path) -> None:
    """Rename `partial` to `dest`, which must not exist (a link fails if it does)."""
    try:
        os.link(partial, dest)
    except FileExistsError as error:
        raise ArchiveError(f"{dest} exists: recover writes a new archive") from error
    except OSError:  # a file system without hard links
        if dest.exists():
            raise ArchiveError(f"{dest} exists: recover writes a new archive") from None
        os.replace(partial, dest)
        return
    partial.unlink()
