"""Other services' exports into the archive: one path for every source.

A reader of a format (reader.ingest.services) yields items; here each lands whole or
not at all, through the same steps whatever the service:

1. cleaned and bounded (control characters, lengths, tag names): exports are untrusted;
2. matched to an article by any URL it is known by (reader.urls.url_key), or, for an
   entry with no URL (a Readwise book), by title and author;
3. new: an article (from the page the export carries, extracted like a saved page) or
   a missing page (no page: the user's data, highlights as quotes); known: merged
   (tags united, states ORed, the earliest saved time), and a missing page the export
   carries a page for is filled;
4. its highlights placed on the text (exact, normalised, fuzzy) or kept waiting, and
   the same quote never twice, so importing an export again changes nothing.

An e-reader's item (a chapter's highlights, reader.ingest.ereader) takes a path of its
own at step 3 (reader.importer.marks): it only ever lands on an article already here.

Items are written a batch to a transaction, each in a savepoint of its own: a bad item
rolls back alone and is reported with its file and line; Ctrl-C or a failing archive
loses at most the batch being written, never half an item. The pages a batch carries
are extracted first, by the same worker processes as saved pages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.archive import Archive, ArchiveError, KnownItem, clean_tag_name
from reader.export.epub import book_identifier
from reader.importer.extraction import PIPELINE, Outcome, extract_page_chunk, reason_line
from reader.importer.marks import land_marks
from reader.importer.pool import pool_outcomes
from reader.importer.reports import ImportReport, ServiceCounts
from reader.ingest.ereader import EREADER_READERS
from reader.ingest.ereader.books import BOOK_URN
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.services import ExportReader, Quote, Refused, ServiceItem
from reader.textrules import clean_line, strip_controls
from reader.urls import url_key

__all__ = ["import_export"]

# Bounds on what one item may bring (an export is untrusted; these are far beyond any
# real one): longer fields are cut, further highlights refused with the item's name.
MAX_TITLE = 1_000
MAX_FIELD = 2_000
MAX_QUOTE = 20_000
MAX_NOTE = 100_000
MAX_HIGHLIGHTS = 10_000
MAX_TAGS = 200
# Items written per transaction: one commit per item would cost a 50,000-item export
# a minute of fsyncs; a batch keeps Ctrl-C's loss small. A batch of items that carry
# their pages (Omnivore, wallabag) is cut shorter: they are held until written.
BATCH = 500
PAGES_PER_BATCH = 100


@dataclass
class _Cleaned:
    known: KnownItem
    quotes: list[Quote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    article_id: int | None = None  # the article an e-reader's item names
    book_title: str | None = None  # set for an e-reader's item (see ServiceItem)
    book_key: str | None = None  # its book's identifier


def _cut(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    cleaned = clean_line(text)[:limit]
    return cleaned or None


def _tags(names: tuple[str, ...]) -> tuple[str, ...]:
    kept: dict[str, str] = {}
    for name in names[:MAX_TAGS]:
        try:
            tag = clean_tag_name(name)
        except ValueError:
            continue  # a name no tag can have (empty, all punctuation): the rest are kept
        kept.setdefault(tag.casefold(), tag)
    return tuple(kept.values())


def _clean(item: ServiceItem, extra_tags: tuple[str, ...]) -> _Cleaned:
    """The item as the archive may store it (see the module's docstring, step 1)."""
    url = item.url.strip() if item.url else None
    title = _cut(item.title, MAX_TITLE)
    if title is not None and url is not None and title == url:
        title = None  # services put the URL where they had no title
    read_at = item.saved_at or "" if item.read or item.archived else None
    known = KnownItem(
        url=url,
        title=title,
        byline=_cut(item.author, MAX_FIELD),
        site_name=_cut(item.site_name, MAX_FIELD),
        published=_cut(item.published, 64),
        lang=_cut(item.lang, 35),
        excerpt=_cut(item.excerpt, MAX_FIELD),
        added_at=_cut(item.saved_at, 64),
        read_at=read_at or None,
        archived_at=(item.saved_at or None) if item.archived else None,
        starred=item.starred,
        progress=item.progress,
        tags=_tags((*extra_tags, *item.tags)),
    )
    quotes = [
        dataclasses.replace(
            quote,
            text=strip_controls(quote.text)[:MAX_QUOTE].strip(),
            note=_with_tags(strip_controls(quote.note)[:MAX_NOTE], quote.tags),
        )
        for quote in item.highlights
    ]
    notes = [strip_controls(note)[:MAX_NOTE].strip() for note in item.notes]
    book_title = None if item.book_title is None else clean_line(item.book_title)[:MAX_TITLE]
    return _Cleaned(
        known,
        [q for q in quotes if q.text],
        [n for n in notes if n],
        article_id=item.article_id,
        book_title=book_title,
        book_key=item.key,
    )


def _with_tags(note: str, tags: tuple[str, ...]) -> str:
    """A highlight's own tags (Readwise's) kept in its note as #words, which is how a
    note names a highlight's tags; a tag the note already has is not added again."""
    words = []
    for tag in _tags(tags):
        word = "#" + "-".join(tag.split())
        if word.casefold() not in note.casefold():
            words.append(word)
    return "\n\n".join(part for part in (note.strip(), " ".join(words)) if part)


Page = tuple[RawPage, ExtractedPage]
# The article of each one-article book an import has looked for (None: not here).
Books = dict[str, int | None]


def _page(outcome: Outcome | None, cleaned: _Cleaned) -> Page | str | None:
    """The item's page as extracted (the export's metadata first), the reason it could
    not be, or None when the export carries none."""
    if outcome is None or isinstance(outcome, str):
        return outcome
    raw, page = outcome
    known = cleaned.known
    raw = dataclasses.replace(
        raw, url=raw.url or known.url, saved_at=raw.saved_at or known.added_at
    )
    page = dataclasses.replace(
        page,
        url=page.url or known.url,
        title=known.title or page.title,
        byline=known.byline or page.byline,
        site_name=known.site_name or page.site_name,
        published=known.published or page.published,
        lang=known.lang or page.lang,
        excerpt=known.excerpt or page.excerpt,
    )
    return raw, page


def _land(
    archive: Archive,
    cleaned: _Cleaned,
    page: Page | None,
    counts: ServiceCounts,
    books: Books,
) -> None:
    """Write one cleaned item (inside the caller's transaction; see the module's steps)
    and count what it did."""
    if cleaned.book_title is not None:
        article_id = _marked(archive, cleaned, books)
        land_marks(archive, cleaned.quotes, cleaned.notes, article_id, counts)
        return
    known = cleaned.known
    urls = [known.url]
    if page is not None:
        urls += [page[1].url, page[0].url]
    article_id = archive.article_for_urls(urls)
    if article_id is None and known.url is None and known.title:
        article_id = archive.article_for_title(known.title, known.byline)
    new = article_id is None
    changed = False
    if article_id is None:
        if page is not None:
            raw, extracted = page
            article_id = archive.add_article(
                extracted, raw, tags=known.tags, added_at=known.added_at
            )
            archive.merge_item(article_id, dataclasses.replace(known, tags=()))
        else:
            article_id = archive.add_missing(known)
    else:
        if page is not None and archive.is_missing(article_id):
            result = archive.fill_missing(article_id, page[1], page[0])
            counts.anchored += result.kept + result.moved
            counts.waiting += result.orphaned
            changed = True
        changed = archive.merge_item(article_id, known) or changed
    for quote in cleaned.quotes[:MAX_HIGHLIGHTS]:
        placed = archive.add_quote(
            article_id, quote.text, note=quote.note, color=quote.color, created_at=quote.created_at
        )
        counts.anchored += placed.anchored
        counts.waiting += placed.waiting
        changed = changed or not placed.known or placed.noted
    for note in cleaned.notes:
        changed = archive.add_note_once(article_id, note) or changed
    if new:
        counts.new.append(article_id)
    elif changed:
        counts.merged += 1
    else:
        counts.unchanged += 1
    if archive.is_missing(article_id):
        counts.missing += 1


def _marked(archive: Archive, cleaned: _Cleaned, books: Books) -> int | None:
    """The article an e-reader's item is about: the one it names, else the one whose
    one-article book has its book's identifier, else the one titled as its chapter,
    else as its book (a one-article book); None when none is here."""
    if cleaned.article_id is not None and archive.get_article(cleaned.article_id) is not None:
        return cleaned.article_id
    if cleaned.book_key and BOOK_URN.fullmatch(cleaned.book_key):
        found = _one_article_book(archive, cleaned.book_key, books)
        if found is not None:
            return found
    for title in (cleaned.known.title, cleaned.book_title):
        if title:
            found = archive.article_for_title(title, None)
            if found is not None:
                return found
    return None


def _one_article_book(archive: Archive, key: str, known: Books) -> int | None:
    """The article whose one-article book has identifier `key`: a book of one article is
    identified by that id alone, so hashing every id finds it however it is titled (a
    100,000-article archive costs ~0.1 s). Remembered in `known` for the import, since a
    sidecar names its book once for each of its highlights."""
    if key not in known:
        known[key] = next(
            (i for i in archive.iter_article_ids() if book_identifier([i]) == key), None
        )
    return known[key]


def _entries(reader: ExportReader, path: Path) -> Iterator[ServiceItem | Refused | str]:
    """The export's entries; a whole file that cannot be read ends them with its reason."""
    try:
        yield from reader.read(path)
    except IngestError as error:
        yield reason_line(str(error))
    except RecursionError:
        yield "the file is nested too deeply to read"
    except MemoryError:
        yield "not enough memory to read this file"


Entry = ServiceItem | Refused | str


def _batches(entries: Iterator[Entry]) -> Iterator[list[Entry]]:
    """The entries a transaction at a time: BATCH of them, or fewer once they carry
    PAGES_PER_BATCH pages (held in memory until written)."""
    batch: list[Entry] = []
    pages = 0
    for entry in entries:
        batch.append(entry)
        pages += isinstance(entry, ServiceItem) and entry.page is not None
        if len(batch) >= BATCH or pages >= PAGES_PER_BATCH:
            yield batch
            batch, pages = [], 0
    if batch:
        yield batch


def _extracted(batch: list[Entry], jobs: int, max_size: int) -> dict[int, Outcome]:
    """The pages a batch carries, extracted (by index in the batch): in worker
    processes when there are several and `jobs` allows, as saved pages are; before the
    batch's transaction, so no write lock is held while pages are extracted."""
    wanted = [
        (index, (entry.page.data, Path(entry.page.filename).name))
        for index, entry in enumerate(batch)
        if isinstance(entry, ServiceItem) and entry.page is not None
    ]
    if not wanted:
        return {}
    pages = [page for _, page in wanted]
    if jobs <= 1 or len(pages) <= 1:
        outcomes = extract_page_chunk(pages, max_size)
    else:
        results = pool_outcomes(
            pages, min(jobs, len(pages)), max_size, extract_page_chunk, preload=[PIPELINE]
        )
        outcomes = [outcome for _, outcome in results]  # in input order
    return {index: outcome for (index, _), outcome in zip(wanted, outcomes, strict=True)}


def import_export(
    archive: Archive,
    path: Path,
    reader: ExportReader,
    report: ImportReport,
    *,
    tags: tuple[str, ...] = (),
    max_size: int,
    jobs: int = 1,
) -> bool:
    """Import every item of the export at `path` (read by `reader`) into `archive`.

    The pages an export carries are extracted by `jobs` worker processes. What it did
    goes into `report` (its service's counts; refused rows and items as failures named
    by file and line). False when the archive itself failed (a full disk): the batch
    being written is rolled back and reported, and the caller stops. Ctrl-C
    (KeyboardInterrupt) rolls back the batch being written and propagates.
    """
    counts = report.service(reader.name, str(path))
    counts.ereader = any(reader is known for known in EREADER_READERS)
    books: Books = {}
    for batch in _batches(_entries(reader, path)):
        outcomes = _extracted(batch, jobs, max_size)
        before = counts.copy()
        try:
            with archive.write():
                for index, entry in enumerate(batch):
                    if isinstance(entry, str):
                        report.failed.append((str(path), entry))
                    elif isinstance(entry, Refused):
                        counts.refused += 1
                        where = f"{path}: {entry.where}"
                        report.failed.append((where, reason_line(entry.reason)))
                    else:
                        _import_item(
                            archive, path, entry, outcomes.get(index), report, counts, tags, books
                        )
        except ArchiveError as error:
            counts.restore(before)  # the batch was rolled back: it counts for nothing
            report.failed.append((str(path), reason_line(f"cannot save: {error}")))
            report.stopped += sum(isinstance(entry, ServiceItem) for entry in batch)
            return False
        except BaseException:
            counts.restore(before)
            raise
    return True


def _import_item(
    archive: Archive,
    path: Path,
    item: ServiceItem,
    outcome: Outcome | None,
    report: ImportReport,
    counts: ServiceCounts,
    tags: tuple[str, ...],
    books: Books,
) -> None:
    """One item in its own savepoint: landed whole, or rolled back and reported."""
    where = f"{path}: {item.where}"
    cleaned = _clean(item, tags)
    if cleaned.known.url is not None and url_key(cleaned.known.url) is None:
        counts.refused += 1
        report.failed.append((where, "not the URL of a web page (http or https)"))
        return
    if cleaned.known.url is None and not cleaned.known.title:
        counts.refused += 1
        report.failed.append((where, "neither a URL nor a title to know it by"))
        return
    page = _page(outcome, cleaned)
    if isinstance(page, str):
        counts.unextracted += 1  # the entry is kept (a missing page); its page said why not
        page = None
    try:
        with archive.write():
            _land(archive, cleaned, page, counts, books)
        if page is not None:
            report.pictures_refused += [(where, note) for note in page[1].image_notes]
    except ArchiveError:
        raise
    except Exception as error:  # a bug or a value SQLite refuses costs one item, not the export
        counts.refused += 1
        report.failed.append((where, reason_line(f"cannot save: {type(error).__name__}: {error}")))
