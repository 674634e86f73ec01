"""`reindex_archive`: every article re-extracted from its stored original with today's
pipeline, keeping tags, reading state and annotations (the archive re-anchors highlights)
and the pictures it has; those the original holds are kept too (an archive imported
before they were gets them; kept by content, so a second reindex adds nothing).

Worker processes read the originals from the archive file themselves (read-only), so
only article ids cross the pipes, not megabytes of pages; this process alone writes.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import closing

from reader.archive import Archive, ArchiveError, DamagedError, ReadOnlyError
from reader.importer.extraction import PIPELINE, Outcome, extract_bytes, reason_line, slim
from reader.importer.pool import pool_outcomes
from reader.importer.reports import ProgressCallback, ReindexReport

__all__ = ["reindex_archive"]

# One read-only connection per worker process, opened on its first task.
_READERS: dict[str, Archive] = {}


def reextract_chunk(article_ids: list[int], db_path: str) -> list[Outcome]:
    """A pool worker's task: read each original from the archive and run the pipeline."""
    if db_path not in _READERS:
        _READERS[db_path] = Archive(db_path, readonly=True)
    archive = _READERS[db_path]
    return [slim(_reextract(archive, article_id)) for article_id in article_ids]


def _reextract(archive: Archive, article_id: int) -> Outcome:
    try:
        original = archive.original_of(article_id)
    except DamagedError:  # this article's original only: the others are still worth doing
        return "its saved original is damaged (`reader check` says more)"
    if original is None:
        return "no stored original to re-extract"
    return extract_bytes(original.data, original.filename or f"#{article_id}")


def _outcomes(
    archive: Archive, ids: list[int], jobs: int
) -> Generator[tuple[int, Outcome], None, None]:
    if jobs > 1 and len(ids) > 1:
        db_path = str(archive.path)
        yield from pool_outcomes(
            ids, min(jobs, len(ids)), db_path, reextract_chunk, preload=[PIPELINE]
        )
        return
    for article_id in ids:
        yield article_id, _reextract(archive, article_id)


def _save(archive: Archive, article_id: int, outcome: Outcome, report: ReindexReport) -> str:
    """Write one re-extracted article (or record why not); what the progress shows."""
    if isinstance(outcome, str):
        report.failed.append((article_id, outcome))
        return f"#{article_id}"
    raw, page = outcome
    try:
        result = archive.update_article(article_id, page, raw, keep_images=True)
    except DamagedError:  # this article's row is on a damaged page: the next may not be
        report.failed.append((article_id, "cannot save: its row in the archive is damaged"))
    except ArchiveError:
        raise  # the archive itself (full disk, read-only file): no point in going on
    except KeyError:  # deleted meanwhile (the TUI is open on the same file)
        report.failed.append((article_id, "deleted while reindexing"))
    except Exception as error:
        report.failed.append((article_id, reason_line(f"cannot save: {error}")))
    else:
        report.updated.append(article_id)
        report.count_highlights(result)
        report.pictures_refused += [(article_id, note) for note in page.image_notes]
    return raw.filename


def reindex_archive(
    archive: Archive, *, jobs: int = 1, progress: ProgressCallback | None = None
) -> ReindexReport:
    """Re-extract every article from its stored original with today's pipeline.

    Missing pages (no page yet) are passed over and counted. An article without a
    stored original, or whose original no longer extracts, is left as it was and
    reported; so is one whose row or original is on a damaged page.
    `jobs` > 1 extracts in worker processes. Ctrl-C stops between articles;
    `interrupted` says how many were left.
    """
    if archive.readonly:  # refused before a single page is extracted for nothing
        raise ReadOnlyError.at(archive.path)
    report = ReindexReport()
    missing = archive.missing_ids()  # known from an export, no page yet: nothing to redo
    ids = [article_id for article_id in archive.iter_article_ids() if article_id not in missing]
    report.missing = len(missing)
    # Articles on damaged pages of the articles table: named, not re-extracted.
    report.failed += [
        (article_id, "its row in the archive cannot be read (`reader check` says more)")
        for article_id in sorted(archive.damaged_articles)
    ]
    total = len(ids)
    if progress is not None:
        progress(0, total, "")
    done = 0
    try:
        with closing(_outcomes(archive, ids, jobs)) as outcomes:
            for article_id, outcome in outcomes:
                done += 1
                label = _save(archive, article_id, outcome, report)
                if progress is not None:
                    progress(done, total, label)
    except KeyboardInterrupt:
        report.interrupted = total - done
    return report
