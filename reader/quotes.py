"""When two quotes are the same highlight: `comparable_quote`.

An export's quote and the page's words differ in what exporters and pages change and a
reader never notices: typographic quotes and apostrophes, dashes, the ellipsis, spaces
of every kind, soft hyphens and zero-width characters, case. Importing the same
highlight twice (the same export again, or from two services) must keep one. Pure code.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["comparable_quote"]

_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": "...",
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)
_SPACE = re.compile(r"\s+")


def comparable_quote(text: str) -> str:
    """`text` with quotes, dashes, the ellipsis and spacing folded, case folded and
    compatibility forms (ligatures, full-width letters) made plain: equal for two
    renderings of the same words."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", folded).strip()
