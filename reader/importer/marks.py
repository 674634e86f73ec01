"""An e-reader's highlights onto the articles they were made on.

An e-reader's item (reader.ingest.ereader) is one chapter of a book, most often a book
reader made, so its chapter is an article already here: found by the importer
(reader.importer.services), its highlights are placed at the position the device kept
(a KOReader XPointer resolved against the chapter as the book had it,
reader.importer.positions) when the text there is the quote, else by the quote alone;
the same highlight twice is one. Nothing new is made: an item that matches no article
(a book of the device's own) is passed over and counted.
"""

from __future__ import annotations

from reader.archive import Archive
from reader.importer.positions import ChapterPositions
from reader.importer.reports import ServiceCounts
from reader.ingest.services import Quote

__all__ = ["land_marks"]


def land_marks(
    archive: Archive,
    quotes: list[Quote],
    notes: list[str],
    article_id: int | None,
    counts: ServiceCounts,
) -> None:
    """Place `quotes` and add `notes` on the article (inside the caller's transaction),
    counting what became of each; with no article, count the item as passed over."""
    counts.ereader = True
    if article_id is None:
        counts.passed += 1
        return
    positions = ChapterPositions(archive, article_id)
    changed = False
    for quote in quotes:
        placed = archive.add_quote(
            article_id,
            quote.text,
            note=quote.note,
            color=quote.color,
            created_at=quote.created_at,
            at=positions.offsets(quote),
        )
        counts.anchored += placed.anchored
        counts.waiting += placed.waiting
        counts.known += placed.known
        changed = changed or not placed.known or placed.noted
    for note in notes:
        changed = archive.add_note_once(article_id, note) or changed
    if changed:
        counts.merged += 1
    else:
        counts.unchanged += 1
