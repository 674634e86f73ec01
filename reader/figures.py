"""Which figure of an article shows which picture the archive keeps for it.

One matching for every view of the pictures (the reading view, the Markdown export):
a figure shows a kept picture when its URL is the path the page wrote for it, or ends
so (reader.ingest.assets.figure_shows). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.document import Document
from reader.ingest.assets import figure_shows
from reader.models import StoredImage


def figures_with_pictures(
    document: Document, stored: Sequence[StoredImage]
) -> dict[int, StoredImage]:
    """The kept picture each figure of `document` shows, by block index (the matching
    the EPUB export uses: the path the page wrote, or the figure's URL ending so)."""
    if not stored:
        return {}
    found: dict[int, StoredImage] = {}
    for index, block in enumerate(document.blocks):
        if block.kind != "figure" or not block.src:
            continue
        image = next((s for s in stored if figure_shows(block.src, s.src)), None)
        if image is not None:
            found[index] = image
    return found
