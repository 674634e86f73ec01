"""MaintenanceStore: checking the archive, backing it up, and the settings table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from reader.archive.base import (
    RECOVER_HINT,
    ArchiveError,
    DamagedError,
    StoreBase,
    storage_error,
)
from reader.archive.checking import Diagnosis, diagnose, full_text_indexes
from reader.archive.counting import refill_counts


class MaintenanceStore(StoreBase):
    """`reader check`, `reader backup`, and small settings (the TUI's theme...)."""

    def check(self) -> list[str]:
        """Problems found in the archive, one line each; an empty list means it is sound.

        Checks SQLite's own integrity (and, where pages are damaged, which articles and
        rows cannot be read), foreign keys, the full-text indexes against their tables,
        and that every highlight's range lies inside its article's text.
        """
        return self.diagnose().problems

    def diagnose(self) -> Diagnosis:
        """`check`'s problems, with what they call for (reader.archive.checking)."""
        return diagnose(self.conn, readonly=self.readonly)

    def rebuild_search_index(self) -> list[str]:
        """Rebuild every full-text index from its table, and the kept counts (repairs a
        damaged or out of step index, which `check` reports); the names of those rebuilt.

        Raises DamagedError when a table they index has damaged pages: that is for
        `reader recover`, not for a rebuild.
        """
        indexes = full_text_indexes(self.conn)
        try:
            with self.write() as conn:
                for index in indexes:
                    conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
                if self.has_counts:
                    refill_counts(conn)
                    indexes.append("counts")
        except DamagedError as error:
            raise DamagedError(
                f"{self.path}: the search indexes cannot be rebuilt: the archive has damaged"
                f" pages ({error.__cause__}); {RECOVER_HINT}"
            ) from error
        return indexes

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
