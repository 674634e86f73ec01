"""One saved page in, one extracted article out, or one IngestError: the whole of ingest.

The importer's worker processes, `reader extract` and the welcome page all go through
here, so they agree on what a page yields and on how a bad one fails. Pages are
untrusted input: lxml, readability and our own code can raise anything on hostile or
broken markup (a RecursionError on 10,000 nested `<div>`s, a ValueError on odd
characters, MemoryError on a pathological page). Each becomes an IngestError with a
short one-line reason, so a batch import reports the file and goes on; a page over the
size limit is refused before any parsing, which bounds the work one page can cost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.sources import (
    DEFAULT_MAX_SIZE,
    TRUNCATED_MHTML,
    check_size,
    is_truncated_mhtml,
    parse_page,
    read_page,
)
from reader.textrules import clean_line

__all__ = ["DEFAULT_MAX_SIZE", "ingest_bytes", "ingest_path"]

T = TypeVar("T")

_MAX_DETAIL = 120


def ingest_path(
    path: Path, *, max_size: int | None = DEFAULT_MAX_SIZE
) -> tuple[RawPage, ExtractedPage]:
    """Read, open and extract the saved page at `path`.

    Raises only IngestError (one line, without the path: the caller names the file).
    `max_size` (bytes; None for no limit) is checked before the file is read.
    """
    raw = _guarded(lambda: read_page(Path(path), max_size=_limit(max_size)))
    return _with_saved_at(raw, _with_images(Path(path), raw, _extract(raw, max_size)))


def ingest_bytes(
    data: bytes, filename: str, *, max_size: int | None = DEFAULT_MAX_SIZE
) -> tuple[RawPage, ExtractedPage]:
    """Open and extract a saved page given as bytes (standard input, the welcome page).

    `filename` is kept with the page (it is what the archive records as its source).
    Raises only IngestError; a page over `max_size` bytes (None: no limit) is refused
    before any parsing.
    """
    if max_size is not None:
        check_size(len(data), max_size)
    raw = _guarded(lambda: parse_page(data, filename))
    return _with_saved_at(raw, _with_images(None, raw, _extract(raw, max_size)))


def _with_saved_at(raw: RawPage, page: ExtractedPage) -> tuple[RawPage, ExtractedPage]:
    """The page with its original, which records when it was saved: the container says
    so for a saved page, the front matter for a Markdown article."""
    if page.saved_at and not raw.saved_at:
        raw = dataclasses.replace(raw, saved_at=page.saved_at)
    return raw, page


def _with_images(path: Path | None, raw: RawPage, page: ExtractedPage) -> ExtractedPage:
    """The page with the pictures its figures show that its original holds (MHTML
    parts, webarchive resources, SingleFile `data:` URIs) or, for a page read from
    `path`, its `X_files/` folder; with why any was refused. A picture is never worth
    the page: whatever goes wrong reading them, none are kept."""
    if not any(block.kind == "figure" for block in page.document.blocks):
        return page  # most pages: no second look at the original, no Pillow
    from reader.ingest.images import PageTake
    from reader.ingest.original_images import original_images

    take = PageTake()
    try:
        original_images(raw, page.document, take)
        if path is not None and raw.kind == "html":
            from reader.ingest.assets import page_images

            page_images(path, raw, page.document, take)
    except Exception:  # files on disk and untrusted bytes: the article stands without them
        return page
    if not take.images and not take.refused:
        return page
    return dataclasses.replace(page, images=tuple(take.images), image_notes=tuple(take.refused))


def _limit(max_size: int | None) -> int:
    # read_page needs a number; "no limit" still reads at most what a bytes object holds.
    return max_size if max_size is not None else 2**62


def _extract(raw: RawPage, max_size: int | None) -> ExtractedPage:
    # Imported here, not at the top: extract pulls in lxml and readability, and this
    # module must stay importable (and cheap) for callers that only read containers.
    # An ImportError is a broken install, not a bad page, so it is not wrapped.
    if raw.kind == "text":
        from reader.ingest.plaintext import read_text_article

        return _guarded(lambda: read_text_article(raw))
    if raw.kind == "markdown":
        from reader.ingest.markdown import read_markdown_article

        return _guarded(lambda: read_markdown_article(raw))

    from reader.ingest.extract import extract_page

    if max_size is not None:
        check_size(len(raw.html), max_size)
    try:
        return _guarded(lambda: extract_page(raw))
    except IngestError:
        # An MHTML file cut inside its HTML part: what made it in holds no article.
        if raw.kind == "mhtml" and is_truncated_mhtml(raw.data):
            raise IngestError(TRUNCATED_MHTML) from None
        raise


def _guarded(work: Callable[[], T]) -> T:
    """Run `work`; whatever it raises leaves as an IngestError with a one-line reason."""
    try:
        return work()
    except IngestError as error:
        message = clean_line(str(error))
        if message == str(error) and message:
            raise
        raise IngestError(message or "cannot import this page") from error
    except RecursionError:
        raise IngestError("the page is nested too deeply to read") from None
    except MemoryError:
        raise IngestError("not enough memory to read this page") from None
    except Exception as error:
        raise IngestError(_reason(error)) from error


def _reason(error: Exception) -> str:
    """`could not read the page (ValueError: ...)`, short, on one line, no traceback."""
    detail = clean_line(str(error))
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 1].rstrip() + "…"
    name = type(error).__name__
    return (
        f"could not read the page ({name}: {detail})"
        if detail
        else f"could not read the page ({name})"
    )
