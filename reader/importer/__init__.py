"""Saved pages -> ingest pipeline -> archive: the one import path the CLI and the TUI share.

A module a job:
- `extraction`: files -> what the pipeline makes of each page (no archive; `reader extract`)
- `pool`: the worker processes that extraction runs in: started, supervised, timed out
  and stopped in one place, and dying with the process that started them
- `imports`: extracted pages -> the archive, one transaction an article (`reader import`)
- `reindex`: the archive's stored originals -> the pipeline again (`reader reindex`)
- `reports`: what those tell their callers: progress while they run, a report after
"""

from reader.importer.extraction import Outcome, extract_bytes, extract_paths
from reader.importer.imports import STDIN, import_bytes, import_paths
from reader.importer.reindex import reindex_archive
from reader.importer.reports import (
    ImportReport,
    ProgressCallback,
    ReindexReport,
    highlights_line,
)
from reader.ingest.sources import DEFAULT_MAX_SIZE

__all__ = [
    "DEFAULT_MAX_SIZE",
    "STDIN",
    "ImportReport",
    "Outcome",
    "ProgressCallback",
    "ReindexReport",
    "extract_bytes",
    "extract_paths",
    "highlights_line",
    "import_bytes",
    "import_paths",
    "reindex_archive",
]
