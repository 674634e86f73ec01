"""Saved pages -> what the ingest pipeline makes of each, or the one-line reason it cannot.

No archive here: this is all of `reader extract`, and the first half of an import. The
files are found up front (folders walked), then extracted in input order by worker
processes (`pool`), or in this process for one page or `jobs=1`. Workers get paths,
not bytes, and send back only what the archive stores (`slim`), so the pool pays
little for its pickling.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

from reader.importer.pool import pool_outcomes
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.sources import DEFAULT_MAX_SIZE
from reader.textrules import one_line

__all__ = [
    "Outcome",
    "collect",
    "extract_bytes",
    "extract_page_chunk",
    "extract_paths",
    "reason_line",
    "slim",
]

# A page the pipeline made, or the one-line reason it could not.
Outcome = tuple[RawPage, ExtractedPage] | str

# Imported by pool workers before their first page (forked ones inherit it).
PIPELINE = "reader.ingest.pipeline"


def reason_line(text: str) -> str:
    """A failure's reason on one line, never empty: it goes after "path: " in a summary."""
    return one_line(text) or "cannot import this file"


def _extract_path(path: str, max_size: int) -> Outcome:
    """Read, decode and extract one file; any failure becomes a one-line reason."""
    from reader.ingest.pipeline import ingest_path

    try:
        return ingest_path(Path(path), max_size=max_size)
    except IngestError as error:
        return reason_line(str(error))
    except RecursionError:
        return "the page is nested too deeply to extract"
    except MemoryError:
        return "not enough memory to extract this page"
    except Exception as error:  # a bug must cost one file, never the batch
        return reason_line(f"unexpected error: {type(error).__name__}: {error}")


def extract_chunk(paths: list[str], max_size: int) -> list[Outcome]:
    """A pool worker's task: a few paths at a time, so each round trip carries real work."""
    return [slim(_extract_path(path, max_size)) for path in paths]


def extract_page_chunk(pages: list[tuple[bytes, str]], max_size: int) -> list[Outcome]:
    """A pool worker's task for pages given as bytes (an export's): each (data, name)."""
    return [slim(extract_bytes(data, name, max_size=max_size)) for data, name in pages]


def slim(outcome: Outcome) -> Outcome:
    """The outcome without what the parent does not store: the HTML part unpacked from an
    MHTML or webarchive (the archive keeps the container's bytes), so it is not pickled."""
    if isinstance(outcome, str) or outcome[0].html is outcome[0].data:
        return outcome
    raw, page = outcome
    return dataclasses.replace(raw, html=b""), page


def extract_bytes(data: bytes, filename: str, *, max_size: int | None = None) -> Outcome:
    """What the pipeline makes of one page given as bytes, or the one-line reason why not.

    `max_size` None: no limit (re-extracting an original the archive already holds).
    """
    from reader.ingest.pipeline import ingest_bytes

    try:
        return ingest_bytes(data, filename, max_size=max_size)
    except IngestError as error:
        return reason_line(str(error))
    except RecursionError:
        return "the page is nested too deeply to extract"
    except Exception as error:
        return reason_line(f"unexpected error: {type(error).__name__}: {error}")


def collect(paths: Iterable[str | Path]) -> Iterator[tuple[str, str | None]]:
    """The files to read, in argument order, each with None or the reason it cannot be.

    Folders are walked (recursive, `*_files/` skipped); files are taken as given even
    with an odd extension (the user named them); a missing path, and a folder that
    cannot be read, is a failure by name.
    """
    from reader.ingest.sources import find_pages

    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        found: list[tuple[str, str | None]]
        if path.is_dir():
            found = [(str(p), reason) for p, reason in find_pages([path])]
        elif path.is_file():
            found = [(str(path), None)]
        else:
            missing = "not a regular file" if path.exists() else "no such file or directory"
            found = [(str(path), missing)]
        for candidate, reason in found:
            key = os.path.realpath(candidate)  # the same file named twice is read once
            if key not in seen:
                seen.add(key)
                yield candidate, reason


def workers(jobs: int | None) -> int:
    """Processes to extract with: `jobs`, by default the CPU count."""
    return jobs if jobs is not None else (os.cpu_count() or 1)


def extract_files(
    files: list[str], jobs: int, max_size: int
) -> Generator[tuple[str, Outcome], None, None]:
    """Each file with its outcome, in input order; close the iterator to stop early."""
    if jobs <= 1 or len(files) <= 1:
        # In-process: no pool to start for one page, and what `--jobs 1` promises.
        for path in files:
            yield path, _extract_path(path, max_size)
        return
    yield from pool_outcomes(
        files, min(jobs, len(files)), max_size, extract_chunk, preload=[PIPELINE]
    )


def extract_paths(
    paths: Iterable[str | Path], *, jobs: int | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Generator[tuple[str, Outcome], None, None]:
    """Each saved page under `paths` with what the pipeline made of it (or why not).

    Pages come in input order; `jobs` processes extract them (1: this process; default:
    the CPU count). Close the iterator (or run it out) to stop the workers.
    """
    files: list[str] = []
    for path, reason in collect(paths):
        if reason is not None:
            yield path, reason
        else:
            files.append(path)
    yield from extract_files(files, workers(jobs), max_size)
