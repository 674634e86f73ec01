"""The one shape of a metadata string: a clean line, HTML entities decoded."""

from __future__ import annotations

import html
import re

from reader.textrules import clean_line

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def clean_text(value: str | None) -> str:
    """A metadata string as one clean line, with HTML entities left escaped decoded."""
    if not value:
        return ""
    # Twice at most: CMSs escape a title once more for JSON-LD or a meta tag
    # ("And finally&amp;#8230;"), and no title means an entity's own spelling.
    for _ in range(2):
        if not _ENTITY.search(value):
            break
        value = html.unescape(value)
    return clean_line(value)
