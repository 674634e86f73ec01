"""`recover_archive`: a damaged archive's readable rows into a new archive, and its lost
articles made again from their saved originals where those were not lost.

The copy is the archive's (reader.archive.recovery); what needs the ingest pipeline is
here: an article whose row was on a damaged page, but whose original was not, is
extracted again from it and put back under its old id, with its tags, its highlights
(re-anchored in the new text) and what the archive's indexes still knew of its state.
"""

from __future__ import annotations

from pathlib import Path

from reader.archive import Archive, DamagedError
from reader.archive.recovery import Recovery, RecoveryReport
from reader.importer.extraction import extract_bytes

__all__ = ["recover_archive"]


def recover_archive(source: Archive, dest: Path) -> RecoveryReport:
    """Copy everything readable of `source` (opened read-only) into a new archive at
    `dest`, put back what its originals can give, and report what was saved and lost.
    Raises ArchiveError (one line) when the new archive cannot be written; nothing is
    then left at `dest`."""
    with Recovery(source, dest) as recovery:
        recovery.copy()
        archive = recovery.archive
        assert archive is not None
        for lost in recovery.lost_with_originals():
            try:
                original = archive.original_of(lost.id)
            except DamagedError:  # copied, but its bytes no longer decompress
                continue
            if original is None:
                continue
            outcome = extract_bytes(original.data, original.filename or f"#{lost.id}")
            if isinstance(outcome, str):
                continue
            archive.restore_article(lost.id, outcome[1], lost.state)
            recovery.restored(lost.id)
        return recovery.finish()
