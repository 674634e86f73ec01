"""How the reading view paints one line of its layout: the runs in their styles, with
highlights, find matches, the selection and the cursor laid over them by text offset.

Rich Segments and Styles only (no widget): the view hands over the line, what lies over
it, and how a style name becomes a Style. Page text only ever becomes the text of a
Segment, never markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from reader.tui.layout import Line

Overlay = tuple[int, int, str]  # [start, end) of the text, and a style name


@dataclass(frozen=True)
class Span:
    """A highlight as the view draws it: `[start, end)` in `colour`, `id` for the screen."""

    id: int
    start: int
    end: int
    color: str = "yellow"


def overlays_on(
    line: Line,
    spans: Sequence[Span],
    matches: Sequence[tuple[int, int]],
    match_starts: Sequence[int],
    current_match: int | None,
    selection: tuple[int, int] | None,
    cursor: int | None,
) -> list[Overlay]:
    """What lies over `line`, in the order it is laid (later wins): highlights, find
    matches (the current one apart), the selection, the cursor (None: not drawn)."""
    out: list[Overlay] = []
    for span in spans:
        if span.start >= line.end:
            break
        if span.end > line.start:
            out.append((span.start, span.end, f"highlight-{span.color}"))
    if matches:
        first = max(0, bisect_left(match_starts, line.start) - 1)
        for index in range(first, len(matches)):
            start, end = matches[index]
            if start >= line.end:
                break
            if end > line.start:
                out.append((start, end, "match-current" if index == current_match else "match"))
    if selection and selection[0] < line.end and selection[1] > line.start:
        out.append((selection[0], selection[1], "selection"))
    if cursor is not None and line.covers(cursor):
        out.append((cursor, cursor + 1, "cursor"))
    return out


def paint_line(
    line: Line,
    overlays: Sequence[Overlay],
    width: int,
    style_of: Callable[[str], Style],
    overlay_style: Callable[[str], Style],
    *,
    cursor: int | None = None,
    cursor_line: bool = False,
) -> list[Segment]:
    """`line`'s segments, padded to `width` cells: each run in `style_of(run.style)`,
    a piece under overlays in theirs added on; `cursor_line` adds the "cursor-line"
    style under everything. The cursor (when it is on this line, on a character not
    drawn: a space at a break, a newline) takes the cell after the text."""
    under = overlay_style("cursor-line") if cursor_line else None
    segments: list[Segment] = []
    used = 0
    cursor_drawn = False
    for run in line.runs:
        style = style_of(run.style)
        if under is not None:
            style += under
        used += cell_len(run.text)
        if not overlays or not run.is_text:
            segments.append(Segment(run.text, style))
            continue
        atomic = len(run.text) != run.end - run.start
        cuts = {run.start, run.end}
        if not atomic:
            for start, end, _ in overlays:
                if run.start < start < run.end:
                    cuts.add(start)
                if run.start < end < run.end:
                    cuts.add(end)
        for a, b in pairwise(sorted(cuts)):
            piece = run.text if atomic else run.text[a - run.start : b - run.start]
            piece_style = style
            for start, end, name in overlays:
                if start <= a < end:
                    piece_style += overlay_style(name)
                    cursor_drawn = cursor_drawn or name == "cursor"
            segments.append(Segment(piece, piece_style))
    fill = style_of(line.fill or "")
    if under is not None:
        fill += under
    if not cursor_drawn and cursor is not None and used < width and line.covers(cursor):
        segments.append(Segment(" ", fill + overlay_style("cursor")))
        used += 1
    if used < width:
        segments.append(Segment(" " * (width - used), fill))
    return segments
