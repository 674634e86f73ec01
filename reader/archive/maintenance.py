"""MaintenanceStore: checking the archive, backing it up, and the settings table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from reader.archive.base import ArchiveError, StoreBase, storage_error


class MaintenanceStore(StoreBase):
    """`reader check`, `reader backup`, and small settings (the TUI's theme...)."""

    def check(self) -> list[str]:
        """Problems found in the archive, one line each; an empty list means it is sound.

        Checks SQLite's own integrity, foreign keys, both full-text indexes against
        their tables, and that every highlight's range lies inside its article's text.
        """
        problems: list[str] = []
        rows = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems += [f"integrity: {row}" for row in rows]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        # Every FTS5 index in the file, as sqlite-utils lists them (by their CREATE
        # VIRTUAL TABLE ... USING FTS5): one added by a later schema is checked too.
        for index in self.db.table_names(fts5=True):
            if self.readonly:
                break  # FTS5 checks itself through an INSERT, which a read-only file refuses
            try:
                self.conn.execute(
                    f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as error:
                problems.append(f"full-text index {index} is out of step: {error}")
        for annotation_id, article_id in self.conn.execute(
            "SELECT n.id, n.article_id FROM annotations n JOIN articles a ON a.id = n.article_id"
            ' WHERE n.start IS NOT NULL AND (n.start < 0 OR n."end" < n.start'
            ' OR n."end" > length(a.text))'
        ):
            problems.append(
                f"annotation {annotation_id} of article {article_id} lies outside its text"
            )
        return problems

    def rebuild_search_index(self) -> None:
        """Rebuild both full-text indexes from their tables (repairs what check reports)."""
        with self.write() as conn:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            conn.execute("INSERT INTO annotations_fts(annotations_fts) VALUES ('rebuild')")

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the archive at `dest`, made with SQLite's backup API
        (safe while another process writes). Written beside `dest` first, then renamed
        into place, so `dest` is never half a copy."""
        dest = Path(dest)
        partial = dest.with_name(f".{dest.name}.partial")
        try:
            partial.unlink(missing_ok=True)
            target = sqlite3.connect(partial)
            try:
                self.conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            os.replace(partial, dest)
        except (sqlite3.Error, OSError) as error:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            if isinstance(error, sqlite3.Error):
                raise storage_error(dest, error) from error
            raise ArchiveError(f"{dest}: cannot write the backup: {error.strerror}") from error
        return dest

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row is not None else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
