"""Where the cursor goes by word and by sentence in the reading view's visual mode.

Pure (text offsets in, offsets out), so the motions are tested without a screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD_END = re.compile(r"\w(?!\w)")
_WORD_START = re.compile(r"(?<!\w)\w")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|\Z)|[^\n](?=\n\n|\Z)")
_SENTENCE_START = re.compile(r"(?:[.!?…][\"'”’)\]]*\s+|\n\n+)(?=\S)")
_BACK_WINDOW = 4000  # how far back a backward search looks at a time


def word_end_after(text: str, offset: int) -> int:
    """The last character of the next word ending after `offset` (else the text's end)."""
    match = _WORD_END.search(text, offset + 1)
    return match.start() if match else len(text) - 1


def word_start_before(text: str, offset: int) -> int:
    """The first character of the word starting before `offset` (else 0)."""
    return _search_back(text, _WORD_START, offset, lambda m: m.start())


def sentence_end_after(text: str, offset: int) -> int:
    """The last character of the sentence ending after `offset` (else the text's end)."""
    match = _SENTENCE_END.search(text, offset + 1)
    return match.start() if match else len(text) - 1


def sentence_start_before(text: str, offset: int) -> int:
    """The first character of the sentence starting before `offset` (else 0)."""
    return _search_back(text, _SENTENCE_START, offset, lambda m: m.end())


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """`[start, end]` (both inclusive) of the word at `offset`, None when it is on none."""
    if not 0 <= offset < len(text) or not _is_word(text[offset]):
        return None
    start = end = offset
    while start > 0 and _is_word(text[start - 1]):
        start -= 1
    while end + 1 < len(text) and _is_word(text[end + 1]):
        end += 1
    return start, end


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _search_back(
    text: str, pattern: re.Pattern[str], before: int, where: Callable[[re.Match[str]], int]
) -> int:
    """The last `where(match)` of `pattern` that is below `before` (0 if none), looking
    back a window at a time (a long article is not searched from its start)."""
    window = max(0, before - _BACK_WINDOW)
    while True:
        best = None
        for match in pattern.finditer(text, window, before):
            if where(match) < before:
                best = where(match)
        if best is not None or window == 0:
            return best or 0
        window = max(0, window - _BACK_WINDOW)
