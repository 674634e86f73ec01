"""The archive: one SQLite file, and the only place in reader that speaks SQL.

`Archive` is a facade over stores split by what they keep (articles, tags,
annotations, search, maintenance), each a mixin in its own module sharing one
connection (base.StoreBase); a store method that calls another store's names what it
needs with a Protocol (base.Store) as its `self` type. Every write runs in its own
short transaction (`Archive.write()`), so a crash loses at most the change being
made, never half of one.

Beside the stores: `opening` (read-write, or read-only where the file or folder cannot
be written), `checking` (`reader check`: what is wrong, and the remedy), `salvage`
(reading past damaged pages) and `recovery` (`reader recover`: what can be read, into
a new archive). A damaged page is one line (base.DamagedError), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from reader.archive.annotations import (
    AnnotationEntry,
    AnnotationError,
    AnnotationNotFoundError,
    AnnotationStore,
    Highlighted,
    HighlightNotPlacedError,
)
from reader.archive.articles import ArticleStore
from reader.archive.base import (
    ArchiveError,
    Clock,
    DamagedError,
    NotFoundError,
    ReadOnlyError,
    SearchIndexError,
    now,
    timestamp,
    utc_now,
)
from reader.archive.images import ImageStore
from reader.archive.items import ItemStore, KnownItem, QuotePlacement
from reader.archive.maintenance import MaintenanceStore
from reader.archive.opening import must_open_read_only, open_connection
from reader.archive.plans import Count
from reader.archive.schema import SCHEMA_VERSION, MigrationError
from reader.archive.search import SearchStore
from reader.archive.stats import ReadingStats, StatsStore, Week
from reader.archive.tags import TagError, TagStore, clean_tag_name

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationEntry",
    "AnnotationError",
    "AnnotationNotFoundError",
    "Archive",
    "ArchiveError",
    "Clock",
    "Count",
    "DamagedError",
    "HighlightNotPlacedError",
    "Highlighted",
    "KnownItem",
    "MigrationError",
    "NotFoundError",
    "QuotePlacement",
    "ReadOnlyError",
    "ReadingStats",
    "SearchIndexError",
    "TagError",
    "Week",
    "clean_tag_name",
    "now",
    "timestamp",
]

# How long a connection waits for another's write lock (tests shorten it).
BUSY_TIMEOUT_MS = 10_000


class Archive(
    ArticleStore,
    TagStore,
    AnnotationStore,
    ItemStore,
    SearchStore,
    MaintenanceStore,
    ImageStore,
    StatsStore,
):
    """An open archive file. Use as a context manager or call `close()`.

    `readonly`: open it read-only (reading works, a write raises ReadOnlyError); a file
    this process may not write is opened so whatever is asked (reader.archive.opening).
    `clock` gives the time the archive stamps on what it writes (added, read, changed);
    the default is the system's, in UTC.
    """

    def __init__(
        self, path: str | Path, *, readonly: bool = False, clock: Clock | None = None
    ) -> None:
        self.path = Path(path)
        # Looked up when opened, not when defined: a test of the CLI or the TUI, which
        # open their own archive, fixes the time with monkeypatch on `utc_now` here.
        self.clock = clock if clock is not None else utc_now
        self.is_new = not self.path.exists() or self.path.stat().st_size == 0
        self.readonly = readonly or (not self.is_new and must_open_read_only(self.path))
        self.damaged_articles = set()
        self.conn = open_connection(self.path, readonly=self.readonly, timeout_ms=BUSY_TIMEOUT_MS)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
