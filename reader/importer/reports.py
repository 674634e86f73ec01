"""What an import or a reindex tells its caller: progress while it runs, a report after.

Nothing here prints: the CLI prints `ImportReport.summary()` and the TUI notifies it, so
both say the same thing in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reader.models import ReanchorReport
from reader.textrules import plural

__all__ = ["HighlightCounts", "ImportReport", "ProgressCallback", "ReindexReport"]

ProgressCallback = Callable[[int, int, str], None]
"""`progress(done, total, path)`: called once with the total before any page (path ""),
then after each page is written, skipped or failed."""


@dataclass
class HighlightCounts:
    """What re-extraction did to highlights, added up over articles."""

    reanchored: int = 0  # placed in the new text (moved or not)
    moved: int = 0  # of those, the ones whose offsets changed
    orphaned: int = 0  # no longer placed: kept and flagged

    def count_highlights(self, result: ReanchorReport) -> None:
        self.reanchored += result.kept + result.moved
        self.moved += result.moved
        self.orphaned += result.orphaned


def highlights_line(reanchored: int, moved: int, orphaned: int) -> str:
    """What re-extraction did to highlights: "3 highlights re-anchored (1 moved), 0 orphaned"."""
    return f"{plural(reanchored, 'highlight')} re-anchored ({moved} moved), {orphaned} orphaned"


@dataclass
class ImportReport(HighlightCounts):
    """What one import did, page by page, for the summary line and the exit status."""

    imported: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (path, existing id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    interrupted: int = 0  # pages left when Ctrl-C stopped the import
    stopped: int = 0  # pages left when the archive failed (a full disk, a read-only file)

    @property
    def total(self) -> int:
        return len(self.imported) + len(self.updated) + len(self.duplicates) + len(self.failed)

    def merge(self, other: ImportReport) -> None:
        """Add another import's results (standard input beside the paths) to this one."""
        self.imported += other.imported
        self.updated += other.updated
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.reanchored += other.reanchored
        self.moved += other.moved
        self.orphaned += other.orphaned
        self.interrupted += other.interrupted
        self.stopped += other.stopped

    @property
    def exit_code(self) -> int:
        """0 when everything was imported, updated or skipped as a duplicate; 1 on failures
        (a stop by the archive is one: its page failed); 130 (the shell's code for Ctrl-C)
        when interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def summary(self, *, update: bool = False, ids_shown: int = 20) -> str:
        """The one summary line the CLI prints and the TUI notifies: "Imported 3 articles
        (#1, #2, #3), skipped 1 duplicate, 0 failed" (new ids listed up to `ids_shown`)."""
        parts = [f"Imported {plural(len(self.imported), 'article')}"]
        if self.imported and len(self.imported) <= ids_shown:
            parts[0] += " (" + ", ".join(f"#{i}" for i in self.imported) + ")"
        if self.updated or update:
            updated = f"updated {len(self.updated)}"
            if self.reanchored or self.orphaned:
                updated += f" ({highlights_line(self.reanchored, self.moved, self.orphaned)})"
            parts.append(updated)
        if self.duplicates:
            parts.append(f"skipped {plural(len(self.duplicates), 'duplicate')}")
        parts.append(f"{len(self.failed)} failed")
        if self.interrupted:
            parts.append(f"interrupted with {plural(self.interrupted, 'page')} left")
        if self.stopped:
            parts.append(f"stopped with {plural(self.stopped, 'page')} left")
        return ", ".join(parts)


@dataclass
class ReindexReport(HighlightCounts):
    """What `reindex_archive` did: articles re-extracted, failures, highlights moved or lost."""

    updated: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, reason)
    interrupted: int = 0  # articles left when Ctrl-C stopped it

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0
