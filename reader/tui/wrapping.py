"""Word-wrapping a text to a width in terminal cells, keeping every offset.

Pure: `wrap_prose` says where each line starts and what it shows, as offsets into the
text, so the reading view's layout (reader.tui.layout) can map cells back to the text.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, split_graphemes

_WORD = re.compile(r"\S+")

Wrapped = list[tuple[int, int, int]]  # what wrap_prose returns


def _fit(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """The longest `text[start:j]` (whole graphemes) of at most `limit` cells: (j, cells).

    Always takes at least one grapheme, so a line always advances.
    """
    spans, _ = split_graphemes(text[start:end])
    used = 0
    j = start
    for _first, last, width in spans:
        if used + width > limit and j > start:
            break
        used += width
        j = start + last
    return j, used


def wrap_prose(text: str, width: int, rest_width: int | None = None) -> Wrapped:
    """Word-wrap `text`: one `(start, shown_start, shown_end)` per line.

    A line covers `text[start:next line's start]` and shows `text[shown_start:shown_end]`
    (no leading or trailing whitespace; the whitespace a line breaks at and a hard
    newline belong to the line before the break). `width` is the first line's width,
    `rest_width` every later line's. Words longer than a line are cut between graphemes.
    """
    rest = width if rest_width is None else rest_width
    # ASCII is one cell a character (`display` has turned control characters into
    # pictures already; were one left, counting it as a cell only errs on the short side).
    narrow = text.isascii()
    out: list[tuple[int, int, int]] = []
    limit = width
    hard_start = 0
    n = len(text)
    while True:
        newline = text.find("\n", hard_start)
        hard_end = n if newline < 0 else newline
        line_start = hard_start
        shown_start = -1
        shown_end = -1
        used = 0
        for match in _WORD.finditer(text, hard_start, hard_end):
            s, e = match.span()
            w = e - s if narrow else cell_len(match.group())
            if shown_start >= 0:
                gap = s - shown_end
                if used + gap + w <= limit:
                    used += gap + w
                    shown_end = e
                    continue
                out.append((line_start, shown_start, shown_end))
                limit = rest
                line_start = s
            if w <= limit:
                shown_start, shown_end, used = s, e, w
                continue
            i = s
            while True:
                j, cells = _fit(text, i, e, limit)
                if j >= e:
                    shown_start, shown_end, used = i, e, cells
                    break
                out.append((line_start, i, j))
                limit = rest
                line_start = i = j
        if shown_start < 0:
            shown_start = shown_end = line_start
        out.append((line_start, shown_start, shown_end))
        limit = rest
        if newline < 0:
            return out
        hard_start = newline + 1
