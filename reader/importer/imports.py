"""Saved pages into the archive: `import_paths` (files, folders) and `import_bytes` (one page).

The work splits where the cost is. Extracting a page is pure and CPU-bound, so it runs
in worker processes (`extraction`); writing to SQLite is cheap and must be serial, so
only this process touches the archive, one transaction per article, in input order: a
pool and `jobs=1` give the same archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from reader.archive import Archive, ArchiveError, clean_tag_name
from reader.importer.extraction import (
    Outcome,
    collect,
    extract_bytes,
    extract_files,
    reason_line,
    workers,
)
from reader.importer.reports import ImportReport, ProgressCallback
from reader.importer.services import import_export
from reader.ingest.services import detect_export
from reader.ingest.sources import DEFAULT_MAX_SIZE

__all__ = ["STDIN", "import_bytes", "import_paths"]

STDIN = "-"  # standard input, as a path on the command line and in reports


def _save(
    archive: Archive,
    path: str,
    outcome: Outcome,
    report: ImportReport,
    *,
    tags: tuple[str, ...],
    update: bool,
) -> bool:
    """Write one page to the archive (or record why not): all of it, or nothing.

    False when the archive itself failed (a full disk, a read-only file): the page is
    a failure with that reason, and the import stops, since the next page would fail
    the same way; the pages before it are saved, whole.
    """
    if isinstance(outcome, str):
        report.failed.append((path, outcome))
        return True
    raw, page = outcome
    result = None
    all_tags = _merged_tags(tags, page.tags)
    try:
        # One write transaction from the duplicate check to the last row: another
        # process importing the same page (the TUI, a second `reader import`) waits on
        # the lock instead of passing the same check, and a failure rolls back all.
        with archive.write():
            existing = archive.find_duplicate(page.url, raw.sha256, also=[raw.url])
            if existing is not None and archive.is_missing(existing):
                # Known from an export: the page fills that article, never a second one.
                result = archive.fill_missing(existing, page, raw)
                if all_tags:
                    archive.add_tags([existing], all_tags)
                _add_highlights(archive, existing, page.highlights)
                report.filled.append(existing)
                report.filled_anchored += result.kept + result.moved
                report.filled_waiting += result.orphaned
                report.pictures_refused += [(path, note) for note in page.image_notes]
                return True
            if existing is None:
                article_id = archive.add_article(page, raw, tags=all_tags)
                _add_highlights(archive, article_id, page.highlights)
            elif update:
                article_id = existing
                result = archive.update_article(existing, page, raw)
                if all_tags:
                    archive.add_tags([existing], all_tags)
                _add_highlights(archive, existing, page.highlights)
    except Exception as error:  # the transaction rolled back: nothing half-written
        report.failed.append((path, reason_line(f"cannot save: {error}")))
        return not isinstance(error, ArchiveError)
    if existing is None or result is not None:
        report.pictures_refused += [(path, note) for note in page.image_notes]
    if existing is None:
        report.imported.append(article_id)
    elif result is None:
        report.duplicates.append((path, existing))
    else:
        report.updated.append(article_id)
        report.count_highlights(result)
    return True


def _merged_tags(given: tuple[str, ...], own: tuple[str, ...]) -> list[str]:
    """The command's tags, then the page's own (a Markdown file's front matter), each
    name once whatever its case; a page's name that is no valid tag name is left out."""
    names: dict[str, str] = {}
    for name in given:
        names.setdefault(name.casefold(), name)
    for name in own:
        try:
            tag = clean_tag_name(name)
        except ValueError:
            continue
        names.setdefault(tag.casefold(), tag)
    return list(names.values())


def _add_highlights(archive: Archive, article_id: int, ranges: tuple[tuple[int, int], ...]) -> None:
    """Highlight the ranges a page marks (a Markdown file's `==marks==`), inside the
    caller's transaction. A range already highlighted is not added again: importing
    with --update keeps the highlights the last import made (re-anchored), and adds
    only the marks that are new in the file."""
    if not ranges:
        return
    have = {(a.start, a.end) for a in archive.annotations_for(article_id)}
    for start, end in dict.fromkeys(ranges):
        if (start, end) not in have:
            archive.add_highlight(article_id, start, end)


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
    pages were left; an archive that fails (a full disk) stops it too, its page failed
    with the reason and `stopped` the pages left. Nothing here prints: callers get
    `progress` and the report (the TUI calls this from a worker thread).
    """
    report = ImportReport()
    tag_names = tuple(tags)
    # The walk happens up front: the total makes the progress bar honest, and 10,000
    # path strings are small next to one extracted page.
    collected = list(collect(paths))
    files = [path for path, reason in collected if reason is None]
    report.failed.extend((path, reason) for path, reason in collected if reason is not None)
    total = len(collected)
    done = total - len(files)
    if progress is not None:
        progress(done, total, "")  # the total, before the first page takes its time
    exports = [(path, found) for path in files if (found := detect_export(Path(path)))]
    if exports:
        files = [path for path in files if path not in {path for path, _ in exports}]
    try:
        # Exports first: a page in the same import then fills its missing article.
        for path, reader in exports:
            if not import_export(
                archive,
                Path(path),
                reader,
                report,
                tags=tag_names,
                max_size=max_size,
                jobs=workers(jobs),
            ):
                report.stopped += len(files)
                return report
            done += 1
            if progress is not None:
                progress(done, total, path)
        with closing(extract_files(files, workers(jobs), max_size)) as outcomes:
            for path, outcome in outcomes:
                saved = _save(archive, path, outcome, report, tags=tag_names, update=update)
                done += 1
                if not saved:
                    report.stopped = total - done
                    break
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
