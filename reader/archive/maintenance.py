"""MaintenanceStore: checking the archive, merging its search indexes, backing it up, and
the settings table."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
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

# Pages of a full-text index one merge step writes (about 8 MB), each step a transaction
# of its own: the WAL stays that small, and an interruption loses one step.
MERGE_STEP_PAGES = 2000


class MaintenanceStore(StoreBase):
    """`reader check`, `reader optimize`, `reader backup`, and small settings (the TUI's
    theme...)."""

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

    def merge_search_indexes(self, step: Callable[[str], None] | None = None) -> int:
        """Merge each full-text index into one piece (one b-tree segment), the steps it
        took that wrote anything (0: merged already). `step(index)` after each.

        Every write leaves the terms it indexed in a segment of its own, which FTS5
        merges a few at a time (10 segments at 300,000 articles imported in batches,
        more after imports one page at a time), and a search reads a term's matches
        from each. One segment reads them in one place: at 300,000 articles two words'
        first page took 19% less CPU, a phrase's 19%, a word from an article's text 10%
        (bench/search.py, the archive before and after, alternated per query).

        FTS5's `merge` command with a negative page count merges every segment into
        one, MERGE_STEP_PAGES pages at a time; it frees the pages it has read as it goes,
        so the file hardly grows. Each step is a transaction: interrupted, the archive
        keeps the steps done, and a second call goes on from there.
        """
        steps = 0
        # No index has more pages than the file: a bound, should a step ever go on
        # reporting writes with nothing left to merge.
        (pages,) = self.conn.execute("PRAGMA page_count").fetchone()
        for index in full_text_indexes(self.conn):
            for _ in range(2 * int(pages) // MERGE_STEP_PAGES + 10):
                with self.write() as conn:
                    before = conn.total_changes
                    conn.execute(
                        f"INSERT INTO {index}({index}, rank) VALUES ('merge', ?)",
                        (-MERGE_STEP_PAGES,),
                    )
                    # A step with nothing left to merge rewrites the index's structure
                    # record alone: one change.
                    wrote = conn.total_changes - before > 1
                if not wrote:
                    break
                steps += 1
                if step is not None:
                    step(index)
        return steps

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
