"""Saved pages -> ingest pipeline -> archive: the one import path the CLI and the TUI share.

The work splits where the cost is. Reading, decoding and extracting a page (readability
over lxml) is pure and CPU-bound, so it runs in worker processes; writing to SQLite is
cheap and must be serial, so only this (parent) process touches the archive, one
transaction per article. Workers get paths, not bytes, and send back only the RawPage
and ExtractedPage the archive stores (or a one-line reason), so the pool pays for its
pickling. Work is submitted in small chunks with a bounded number in flight: 10,000
files never queue 10,000 results in memory, and results are written in input order, so
a pool and `jobs=1` give the same archive.

Nothing here prints: callers get a `progress(done, total, path)` callback and an
`ImportReport` (the TUI calls `import_paths` from a worker thread).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from reader.archive import ArchiveError
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.sources import DEFAULT_MAX_SIZE
from reader.textrules import one_line, plural

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.models import ReanchorReport

__all__ = [
    "DEFAULT_MAX_SIZE",
    "STDIN",
    "ImportReport",
    "ProgressCallback",
    "ReindexReport",
    "extract_bytes",
    "extract_paths",
    "import_bytes",
    "import_paths",
    "reindex_archive",
]

STDIN = "-"

ProgressCallback = Callable[[int, int, str], None]
"""`progress(done, total, path)`: called once with the total before any page (path ""),
then after each page is written, skipped or failed."""

# A page the pipeline made, or the one-line reason it could not.
Outcome = tuple[RawPage, ExtractedPage] | str
Item = TypeVar("Item")  # what a pool worker is given: a path, or an article id
Arg = TypeVar("Arg")  # what every task shares: the size limit, or the archive's path


@dataclass
class _HighlightCounts:
    """What re-extraction did to highlights, added up over articles."""

    reanchored: int = 0  # placed in the new text (moved or not)
    moved: int = 0  # of those, the ones whose offsets changed
    orphaned: int = 0  # no longer placed: kept and flagged

    def count_highlights(self, result: ReanchorReport) -> None:
        self.reanchored += result.kept + result.moved
        self.moved += result.moved
        self.orphaned += result.orphaned


@dataclass
class ImportReport(_HighlightCounts):
    """What one import did, page by page, for the summary line and the exit status."""

    imported: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (path, existing id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    interrupted: int = 0  # pages left when Ctrl-C stopped the import

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

    @property
    def exit_code(self) -> int:
        """0 when everything was imported, updated or skipped as a duplicate; 1 on failures;
        130 (the shell's code for Ctrl-C) when interrupted."""
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
        return ", ".join(parts)


def highlights_line(reanchored: int, moved: int, orphaned: int) -> str:
    """What re-extraction did to highlights: "3 highlights re-anchored (1 moved), 0 orphaned"."""
    return f"{plural(reanchored, 'highlight')} re-anchored ({moved} moved), {orphaned} orphaned"


@dataclass
class ReindexReport(_HighlightCounts):
    """What `reindex_archive` did: articles re-extracted, failures, highlights moved or lost."""

    updated: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, reason)
    interrupted: int = 0  # articles left when Ctrl-C stopped it

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0


# --- worker side (runs in pool processes; pure, no archive) ------------------------


def _reason(text: str) -> str:
    """A failure's reason on one line, never empty: it goes after "path: " in the summary."""
    return one_line(text) or "cannot import this file"


def _extract_path(path: str, max_size: int) -> Outcome:
    """Read, decode and extract one file; any failure becomes a one-line reason."""
    from reader.ingest.pipeline import ingest_path

    try:
        return ingest_path(Path(path), max_size=max_size)
    except IngestError as error:
        return _reason(str(error))
    except RecursionError:
        return "the page is nested too deeply to extract"
    except MemoryError:
        return "not enough memory to extract this page"
    except Exception as error:  # a bug must cost one file, never the batch
        return _reason(f"unexpected error: {type(error).__name__}: {error}")


def _extract_chunk(paths: list[str], max_size: int) -> list[Outcome]:
    """The worker's task: a few paths at a time, so each round trip carries real work."""
    return [_slim(_extract_path(path, max_size)) for path in paths]


def _slim(outcome: Outcome) -> Outcome:
    """The outcome without what the parent does not store: the HTML part unpacked from an
    MHTML or webarchive (the archive keeps the container's bytes), so it is not pickled."""
    if isinstance(outcome, str) or outcome[0].html is outcome[0].data:
        return outcome
    raw, page = outcome
    return dataclasses.replace(raw, html=b""), page


def _warm_up() -> None:
    """Import the pipeline once per worker (before the first task, not during it), and
    leave Ctrl-C to the parent: it stops the import and reports what was saved, where
    every worker would otherwise print its own KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import reader.ingest.pipeline  # noqa: F401


# --- parent side -------------------------------------------------------------------


def _pool_context() -> multiprocessing.context.BaseContext:
    """How workers start. On Linux: fork when this process runs a single thread (the CLI):
    workers begin with the pipeline already imported, at no start-up cost. From a threaded
    parent (the TUI runs imports in a worker thread), forking could copy a lock another
    thread holds, so forkserver, which preloads the pipeline once. Elsewhere the platform
    default (spawn)."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            import reader.ingest.pipeline  # noqa: F401  (inherited by every worker)

            return multiprocessing.get_context("fork")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["reader.importer", "reader.ingest.pipeline"])
        return context
    return multiprocessing.get_context()


def _chunked(items: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ping() -> bool:
    return True


def _start_pool(jobs: int) -> ProcessPoolExecutor | None:
    """A pool whose workers are known to start, or None (then the caller works alone).

    Workers can fail before running anything (no /dev/shm, a sandbox without fork, a
    `__main__` they cannot re-import); one round trip finds out before pages are sent.
    """
    try:
        pool = ProcessPoolExecutor(jobs, mp_context=_pool_context(), initializer=_warm_up)
    except Exception:  # e.g. OSError from a sandbox, ValueError from an odd sys.stderr
        return None
    try:
        pool.submit(_ping).result()
    except Exception:
        pool.shutdown(wait=True, cancel_futures=True)
        return None
    return pool


CRASHED = "the extractor crashed on this file"
# Seconds a worker may spend on one page before it is stopped: far beyond any real
# page at the 50 MB limit, short enough that one pathological page cannot stall a batch.
PAGE_TIMEOUT = 300.0


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down now, killing workers still busy (on a page that never ends)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=True)


def _pool_outcomes(
    items: list[Item],
    jobs: int,
    arg: Arg,
    work: Callable[[list[Item], Arg], list[Outcome]],
    *,
    timeout: float = PAGE_TIMEOUT,
) -> Iterator[tuple[Item, Outcome]]:
    """Each item with its outcome, in input order, made by `jobs` worker processes running
    `work(chunk, arg)`, a picklable module-level function: `_extract_chunk` with the size
    limit for paths (import), `_reextract_chunk` with the archive's path for article ids
    (reindex).

    At most `jobs * 3` chunks are in flight. If a worker dies (a crash inside lxml, the
    OOM killer) or a chunk takes more than `timeout` seconds a page (a pathological
    page), the pool is replaced and the pages that were in flight are retried one at a
    time, so the page to blame is named and the others still import. When no pool can
    be started at all, the pages are extracted in this process.
    """
    pool = _start_pool(jobs)
    if pool is None:
        yield from _serial(items, arg, work)
        return
    # Small chunks keep workers evenly loaded (page sizes vary 100x); a chunk of a few
    # pages amortises the round trip on big batches.
    size = max(1, min(8, len(items) // (jobs * 16)))
    source = _chunked(items, size)
    suspects: deque[Item] = deque()  # retried one at a time after a worker died
    pending: deque[tuple[list[Item], bool, Future[list[Outcome]]]] = deque()

    def fill(pool: ProcessPoolExecutor) -> None:
        while True:
            if suspects:
                if pending:  # one suspect at a time, alone, so a crash names it
                    return
                chunk, suspect = [suspects.popleft()], True
            elif len(pending) < jobs * 3:
                chunk, suspect = next(source, []), False
                if not chunk:
                    return
            else:
                return
            try:
                future = pool.submit(work, chunk, arg)
            except BrokenProcessPool:  # a worker died meanwhile: keep the chunk for retry
                if suspect:
                    suspects.appendleft(chunk[0])
                else:
                    suspects.extend(chunk)
                raise
            pending.append((chunk, suspect, future))

    try:
        while True:
            try:
                fill(pool)
                if not pending:
                    return
                outcomes = pending[0][2].result(timeout=timeout * len(pending[0][0]))
            except (BrokenProcessPool, TimeoutError) as error:
                _stop(pool)
                if pending and pending[0][1]:  # the suspect alone in flight is to blame
                    reason = (
                        f"extracting took longer than {timeout:g} seconds (skipped)"
                        if isinstance(error, TimeoutError)
                        else CRASHED
                    )
                    yield pending.popleft()[0][0], reason
                retry = [item for chunk, _, _ in pending for item in chunk] + list(suspects)
                pending.clear()
                suspects.clear()
                suspects.extend(retry)
                restarted = _start_pool(jobs)
                if restarted is None:
                    rest = [*suspects, *(item for chunk in source for item in chunk)]
                    yield from _serial(rest, arg, work)
                    return
                pool = restarted
                continue
            chunk = pending.popleft()[0]
            try:
                fill(pool)  # keep the workers busy while the caller writes these
            except BrokenProcessPool:
                pass  # handled on the next turn, where fill or result raises it again
            yield from zip(chunk, outcomes, strict=True)
    finally:
        if pending:  # stopped early (Ctrl-C, the caller gave up): do not wait on pages
            _stop(pool)
        else:
            pool.shutdown(wait=True)


def _serial(
    items: Iterable[Item], arg: Arg, work: Callable[[list[Item], Arg], list[Outcome]]
) -> Iterator[tuple[Item, Outcome]]:
    for item in items:
        yield item, work([item], arg)[0]


def _outcomes(paths: list[str], jobs: int, max_size: int) -> Iterator[tuple[str, Outcome]]:
    if jobs <= 1 or len(paths) <= 1:
        # In-process: no pool to start for one page, and what `--jobs 1` promises.
        for path in paths:
            yield path, _extract_path(path, max_size)
        return
    yield from _pool_outcomes(paths, min(jobs, len(paths)), max_size, _extract_chunk)


def _collect(paths: Iterable[str | Path]) -> Iterator[tuple[str, str | None]]:
    """The files to read, in argument order, each with None or the reason it cannot be.

    Folders are walked (recursive, `*_files/` skipped); files are taken as given even
    with an odd extension (the user named them); a missing path is a failure by name.
    """
    from reader.ingest.sources import find_pages

    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = [str(p) for p in find_pages([path])]
        elif path.is_file():
            candidates = [str(path)]
        else:
            reason = "not a regular file" if path.exists() else "no such file or directory"
            yield str(path), reason
            continue
        for candidate in candidates:
            key = os.path.realpath(candidate)  # the same file named twice is read once
            if key not in seen:
                seen.add(key)
                yield candidate, None


def extract_paths(
    paths: Iterable[str | Path], *, jobs: int | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Iterator[tuple[str, Outcome]]:
    """Each saved page under `paths` with what the pipeline made of it (or why not).

    No archive: this is `reader extract`, and the first half of `import_paths`.
    Pages come in input order; `jobs` processes extract them (1: this process).
    """
    files: list[str] = []
    for path, reason in _collect(paths):
        if reason is not None:
            yield path, reason
        else:
            files.append(path)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    yield from _outcomes(files, workers, max_size)


def _save(
    archive: Archive,
    path: str,
    outcome: Outcome,
    report: ImportReport,
    *,
    tags: tuple[str, ...],
    update: bool,
) -> None:
    """Write one page to the archive (or record why not): all of it, or nothing."""
    if isinstance(outcome, str):
        report.failed.append((path, outcome))
        return
    raw, page = outcome
    result = None
    try:
        # One write transaction from the duplicate check to the last row: another
        # process importing the same page (the TUI, a second `reader import`) waits on
        # the lock instead of passing the same check, and a failure rolls back all.
        with archive.write():
            existing = archive.find_duplicate(page.url, raw.sha256)
            if existing is None:
                article_id = archive.add_article(page, raw, tags=tags)
            elif update:
                article_id = existing
                result = archive.update_article(existing, page, raw)
                if tags:
                    archive.add_tags([existing], list(tags))
    except ArchiveError:
        raise  # the archive itself (full disk, read-only file): no point in going on
    except Exception as error:  # the transaction rolled back: nothing half-written
        report.failed.append((path, _reason(f"cannot save: {error}")))
        return
    if existing is None:
        report.imported.append(article_id)
    elif result is None:
        report.duplicates.append((path, existing))
    else:
        report.updated.append(article_id)
        report.count_highlights(result)


def import_paths(
    archive: Archive,
    paths: Iterable[str | Path],
    *,
    jobs: int | None = None,
    tags: Iterable[str] = (),
    update: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every saved page under `paths` (files and folders) into `archive`.

    `jobs` worker processes extract pages (default: the CPU count; 1 runs in this
    process, no pool). Pages already in the archive (same URL, else same bytes) are
    skipped as duplicates, or with `update` re-extracted in place, keeping their tags,
    state and annotations. Every page lands whole or not at all; a bad file becomes a
    `(path, reason)` in `report.failed` and the batch goes on. `tags` must already be
    valid tag names (the CLI checks them with `clean_tag_name` first). Ctrl-C stops the
    import between pages: the report says what was saved and `interrupted` how many
    pages were left.
    """
    report = ImportReport()
    tag_names = tuple(tags)
    # The walk happens up front: the total makes the progress bar honest, and 10,000
    # path strings are small next to one extracted page.
    collected = list(_collect(paths))
    files = [path for path, reason in collected if reason is None]
    report.failed.extend((path, reason) for path, reason in collected if reason is not None)
    total = len(collected)
    done = total - len(files)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if progress is not None:
        progress(done, total, "")  # the total, before the first page takes its time
    try:
        for path, outcome in _outcomes(files, workers, max_size):
            _save(archive, path, outcome, report, tags=tag_names, update=update)
            done += 1
            if progress is not None:
                progress(done, total, path)
    except KeyboardInterrupt:
        # Every page written so far is whole (its transaction committed or rolled back);
        # the caller reports them and how many were left.
        report.interrupted = total - done
    return report


def import_bytes(
    archive: Archive,
    data: bytes,
    *,
    filename: str = STDIN,
    tags: Iterable[str] = (),
    update: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
) -> ImportReport:
    """Import one page given as bytes (standard input, a packaged page), in this process.

    `filename` names it in the report and hints at its kind (`.mhtml`, `.webarchive`).
    """
    report = ImportReport()
    outcome = extract_bytes(data, filename, max_size=max_size)
    _save(archive, filename, outcome, report, tags=tuple(tags), update=update)
    return report


def extract_bytes(data: bytes, filename: str, *, max_size: int | None = None) -> Outcome:
    """What the pipeline makes of one page given as bytes, or the one-line reason why not.

    `max_size` None: no limit (re-extracting an original the archive already holds).
    """
    from reader.ingest.pipeline import ingest_bytes

    try:
        return ingest_bytes(data, filename, max_size=max_size)
    except IngestError as error:
        return _reason(str(error))
    except RecursionError:
        return "the page is nested too deeply to extract"
    except Exception as error:
        return _reason(f"unexpected error: {type(error).__name__}: {error}")


# One read-only connection per worker process, opened on its first reindex task.
_READERS: dict[str, Archive] = {}


def _reextract_chunk(article_ids: list[int], db_path: str) -> list[Outcome]:
    """The reindex worker's task: read each original from the archive (read-only, so
    only ids cross the pipe, not megabytes of pages) and run the pipeline on it."""
    from reader.archive import Archive

    if db_path not in _READERS:
        _READERS[db_path] = Archive(db_path, readonly=True)
    archive = _READERS[db_path]
    return [_slim(_reextract(archive, article_id)) for article_id in article_ids]


def _reextract(archive: Archive, article_id: int) -> Outcome:
    original = archive.original_of(article_id)
    if original is None:
        return "no stored original to re-extract"
    return extract_bytes(original.data, original.filename or f"#{article_id}")


def reindex_archive(
    archive: Archive, *, jobs: int = 1, progress: ProgressCallback | None = None
) -> ReindexReport:
    """Re-extract every article from its stored original with today's pipeline.

    Tags, reading state and annotations stay (highlights re-anchored by the archive);
    an article without a stored original, or whose original no longer extracts, is
    left as it was and reported. `jobs` > 1 extracts in worker processes, each reading
    originals from the archive file itself; this process alone writes.
    """
    report = ReindexReport()
    ids = archive.iter_article_ids()
    total = len(ids)
    if progress is not None:
        progress(0, total, "")
    if jobs > 1 and total > 1:
        results = _pool_outcomes(ids, min(jobs, total), str(archive.path), _reextract_chunk)
    else:
        results = ((article_id, _reextract(archive, article_id)) for article_id in ids)
    done = 0
    try:
        for article_id, outcome in results:
            done += 1
            if isinstance(outcome, str):
                report.failed.append((article_id, outcome))
                label = f"#{article_id}"
            else:
                raw, page = outcome
                label = raw.filename
                try:
                    result = archive.update_article(article_id, page, raw)
                except ArchiveError:
                    raise
                except KeyError:  # deleted meanwhile (the TUI is open on the same file)
                    report.failed.append((article_id, "deleted while reindexing"))
                except Exception as error:
                    report.failed.append((article_id, _reason(f"cannot save: {error}")))
                else:
                    report.updated.append(article_id)
                    report.count_highlights(result)
            if progress is not None:
                progress(done, total, label)
    except KeyboardInterrupt:
        report.interrupted = total - done
    return report
