"""What an import or a reindex tells its caller: progress while it runs, a report after.

Nothing here prints: the CLI prints `ImportReport.summary()` and the TUI notifies it, so
both say the same thing in the same words.
"""

from __future__ import annotations

import dataclasses
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
class ServiceCounts:
    """What one export did: articles new, merged or unchanged (already known as they
    are), how many are missing pages, highlights anchored and waiting, entries refused,
    and pages it carried that could not be extracted (those entries are missing pages)."""

    service: str
    path: str
    new: list[int] = field(default_factory=list)  # the ids of the articles it made
    merged: int = 0
    unchanged: int = 0
    missing: int = 0
    anchored: int = 0
    waiting: int = 0
    refused: int = 0
    unextracted: int = 0
    # An e-reader's file (reader.ingest.ereader): highlights already here, and chapters
    # or books that match no article here (passed over: a device holds other books).
    ereader: bool = False
    known: int = 0
    passed: int = 0

    def copy(self) -> ServiceCounts:
        return dataclasses.replace(self, new=list(self.new))

    def restore(self, saved: ServiceCounts) -> None:
        """Go back to `saved` (a batch that was rolled back counts for nothing)."""
        for name in (f.name for f in dataclasses.fields(self)):
            setattr(self, name, getattr(saved, name))

    def line(self) -> str:
        """ "Pocket (export.zip): 120 articles new, 3 merged, 2 unchanged, 118 missing
        pages; 40 highlights anchored, 12 waiting; 1 entry refused"."""
        if self.ereader:
            return self._highlights_line()
        parts = [f"{plural(len(self.new), 'article')} new"]
        if self.merged:
            parts.append(f"{self.merged} merged")
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        parts.append(plural(self.missing, "missing page"))
        text = f"{self.service} ({self.path}): " + ", ".join(parts)
        text += f"; {plural(self.anchored, 'highlight')} anchored, {self.waiting:,} waiting"
        if self.refused:
            text += f"; {plural(self.refused, 'entry', 'entries')} refused"
        if self.unextracted:
            text += f"; {plural(self.unextracted, 'page')} without article text (kept as missing)"
        return text

    def _highlights_line(self) -> str:
        """ "KOReader (metadata.epub.lua): 5 highlights anchored, 2 merged (already
        there), 1 waiting as a quote; on 3 articles; 1 chapter not in the archive"."""
        waiting = "waiting as a quote" if self.waiting == 1 else "waiting as quotes"
        text = (
            f"{self.service} ({self.path}): {plural(self.anchored, 'highlight')} anchored,"
            f" {self.known:,} merged (already there), {self.waiting:,} {waiting}"
        )
        if self.merged + self.unchanged:
            text += f"; on {plural(self.merged + self.unchanged, 'article')}"
        if self.passed:
            text += f"; {plural(self.passed, 'book or chapter', 'books or chapters')}"
            text += " not in the archive, passed over"
        if self.refused:
            text += f"; {plural(self.refused, 'entry', 'entries')} refused"
        return text


@dataclass
class ImportReport(HighlightCounts):
    """What one import did, page by page, for the summary line and the exit status."""

    imported: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (path, existing id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    interrupted: int = 0  # pages left when Ctrl-C stopped the import
    stopped: int = 0  # pages left when the archive failed (a full disk, a read-only file)
    # Missing pages that a saved page filled, and what became of their waiting highlights.
    filled: list[int] = field(default_factory=list)
    filled_anchored: int = 0
    filled_waiting: int = 0
    services: list[ServiceCounts] = field(default_factory=list)  # one per export file
    # (path, "picture 3 not kept: truncated or damaged") of the pages saved.
    pictures_refused: list[tuple[str, str]] = field(default_factory=list)

    def service(self, name: str, path: str) -> ServiceCounts:
        """The counts of a new export file, listed in the report."""
        counts = ServiceCounts(name, path)
        self.services.append(counts)
        return counts

    @property
    def total(self) -> int:
        entries = sum(len(c.new) + c.merged + c.unchanged + c.passed for c in self.services)
        return (
            len(self.imported)
            + len(self.updated)
            + len(self.filled)
            + len(self.duplicates)
            + len(self.failed)
            + entries
        )

    def merge(self, other: ImportReport) -> None:
        """Add another import's results (standard input beside the paths) to this one."""
        self.imported += other.imported
        self.updated += other.updated
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.filled += other.filled
        self.filled_anchored += other.filled_anchored
        self.filled_waiting += other.filled_waiting
        self.services += other.services
        self.pictures_refused += other.pictures_refused
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
        """The summary the CLI prints and the TUI notifies: a line for each export
        (ServiceCounts.line), then "Imported 3 articles (#1, #2, #3), skipped 1
        duplicate, 0 failed" (new ids listed up to `ids_shown`)."""
        parts = [f"Imported {plural(len(self.imported), 'article')}"]
        if self.imported and len(self.imported) <= ids_shown:
            parts[0] += " (" + ", ".join(f"#{i}" for i in self.imported) + ")"
        pages = self.imported or self.updated or self.filled or self.duplicates or update
        if self.services and not pages:
            parts = ["In all"]  # only exports: their lines say what was imported
        if self.updated or update:
            updated = f"updated {len(self.updated)}"
            if self.reanchored or self.orphaned:
                updated += f" ({highlights_line(self.reanchored, self.moved, self.orphaned)})"
            parts.append(updated)
        if self.filled:
            parts.append(
                f"filled {plural(len(self.filled), 'missing page')}"
                f" ({plural(self.filled_anchored, 'waiting highlight')} anchored,"
                f" {self.filled_waiting} still waiting)"
            )
        if self.duplicates:
            parts.append(f"skipped {plural(len(self.duplicates), 'duplicate')}")
        parts.append(f"{len(self.failed)} failed")
        if self.interrupted:
            parts.append(f"interrupted with {plural(self.interrupted, 'page')} left")
        if self.stopped:
            parts.append(f"stopped with {plural(self.stopped, 'page')} left")
        # An export's counts first, one line a file; the line of pages last.
        return "\n".join([*(counts.line() for counts in self.services), ", ".join(parts)])


@dataclass
class ReindexReport(HighlightCounts):
    """What `reindex_archive` did: articles re-extracted, failures, highlights moved or lost."""

    updated: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, reason)
    interrupted: int = 0  # articles left when Ctrl-C stopped it
    missing: int = 0  # missing pages passed over: no page to extract yet
    # (article id, "picture 3 not kept: truncated or damaged") of the articles saved.
    pictures_refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0
