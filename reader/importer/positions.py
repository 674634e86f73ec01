"""A device's position of a highlight (a KOReader XPointer) as offsets in an article's
text, by resolving it against the article's chapter as reader writes it.

The chapter is made again (reader.export.epub_xhtml.chapter_xhtml is deterministic):
with the article's highlights as `<mark>`s, as the book most likely had them, then
without any, since marks split the text nodes a pointer counts. Its block ids
(`r<id>-<offset>`) turn the place into offsets (reader.ingest.ereader.xpointer). The
caller checks the quote there (Archive.add_quote), so a pointer into a book made before
the article changed costs nothing but falls back to the quote.
"""

from __future__ import annotations

from reader.archive import Archive
from reader.export.epub_xhtml import chapter_xhtml
from reader.ingest.ereader.xpointer import XPointer, parse_xpointer, resolve_xpointer
from reader.ingest.services import Quote

__all__ = ["ChapterPositions"]


class ChapterPositions:
    """Pointers into one article's chapter, resolved against it (made once, when a
    pointer first asks)."""

    def __init__(self, archive: Archive, article_id: int) -> None:
        self.archive = archive
        self.article_id = article_id
        self._chapters: list[str] | None = None

    def chapters(self) -> list[str]:
        if self._chapters is None:
            article = self.archive.get_article(self.article_id)
            if article is None or not article.text:
                self._chapters = []
            else:
                annotations = self.archive.annotations_for(self.article_id)
                with_marks = chapter_xhtml(article, annotations)
                plain = chapter_xhtml(article)
                self._chapters = list(dict.fromkeys((with_marks, plain)))
        return self._chapters

    def offsets(self, quote: Quote) -> tuple[int, int | None] | None:
        """Where the quote starts (and ends, when the device said) in the article's
        text, by its pointers; the start of its block when only that can be followed;
        None when it has no pointer into this article."""
        start = parse_xpointer(quote.start_xpointer or "")
        if start is None:
            return None
        end = parse_xpointer(quote.end_xpointer or "")
        block: tuple[int, int | None] | None = None
        for xhtml in self.chapters():
            found = self._offset(xhtml, start)
            if found is None:
                continue
            offset, block_start = found
            if offset is None:
                block = block or (block_start, None)
                continue
            stop = self._offset(xhtml, end) if end is not None else None
            return offset, stop[0] if stop is not None else None
        return block

    def _offset(self, xhtml: str, pointer: XPointer) -> tuple[int | None, int] | None:
        position = resolve_xpointer(xhtml, pointer)
        if position is None or position.article_id != self.article_id:
            return None
        return position.offset, position.block_start
