"""Find in an article: where what was typed occurs in `Document.text`. Pure: no widgets.

Matching ignores case and accents, and any whitespace matches any other (a line break
in the page matches the space typed). Both sides are folded one character for one, so
a match's offsets in the folded text are its offsets in the text itself: a character
is lowered and loses its accents (é -> e, Å -> a, İ -> i); one that would not stay one
character that way (ß, a Hangul syllable, a ligature) is kept, lowered where lowering
keeps it one character. An accent stored apart from its letter (e + U+0301) is a
character of its own: "cafe" finds it, "café" does not. Folding is a
`str.translate` over a table of the text's distinct characters, so a 20,000-word
article folds in about a millisecond, once; each search is then `str.find`.
"""

from __future__ import annotations

import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

#: At most this many matches are found (a one-letter search in a long article).
MAX_MATCHES = 10_000

Match = tuple[int, int]  # [start, end) in the text

_FOLDED: dict[int, str] = {}  # every character folded so far (the table grows as needed)


def fold_char(char: str) -> str:
    """`char` folded: one character, lowered, without its accents (see the module)."""
    if char.isspace():
        return " "
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    bare = "".join(c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c))
    if len(bare) != 1:
        return lowered
    return bare.lower() if len(bare.lower()) == 1 else bare


def fold(text: str) -> str:
    """`text` folded character by character: `len(fold(text)) == len(text)`."""
    missing = {ord(char) for char in set(text)} - _FOLDED.keys()
    for code in missing:
        _FOLDED[code] = fold_char(chr(code))
    return text.translate(_FOLDED)


class Finder:
    """Finds in one text; the text is folded on the first search and kept."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: str | None = None

    def find(self, query: str, limit: int = MAX_MATCHES) -> list[Match]:
        """Where `query` occurs, in order, none overlapping (at most `limit`); nothing
        for a query of only whitespace."""
        if not query.strip():
            return []
        if self._folded is None:
            self._folded = fold(self.text)
        folded = self._folded
        needle = fold(query)
        size = len(needle)
        matches: list[Match] = []
        at = folded.find(needle)
        while at >= 0 and len(matches) < limit:
            matches.append((at, at + size))
            at = folded.find(needle, at + size)
        return matches


def first_from(matches: Sequence[Match], offset: int) -> int | None:
    """The index of the first match starting at or after `offset`, else the first one
    (the search wraps round); None when there are none."""
    if not matches:
        return None
    index = bisect_left(matches, (offset, -1))
    return index if index < len(matches) else 0


def step(matches: Sequence[Match], offset: int, forward: bool = True) -> int | None:
    """The index of the match after (or before) the one at `offset`, wrapping round;
    from an offset inside no match, the next (or previous) one from there."""
    if not matches:
        return None
    if forward:
        index = bisect_right(matches, (offset, sys.maxsize))
        return index if index < len(matches) else 0
    index = bisect_left(matches, (offset, -1)) - 1
    return index if index >= 0 else len(matches) - 1
