"""A table's geometry in the reading column: its cells, and how wide each column is
drawn when the table is a grid (or that it cannot be one, and is stacked).

Pure, and about widths only; reader.tui.layout draws the grid (or the stack) from it.
"""

from __future__ import annotations

from rich.cells import cell_len

from reader.document import Block, Mark
from reader.textrules import display

TABLE_SEPARATOR = " │ "
#: The narrowest a column of a grid is drawn (a wider cell wraps within it); a table
#: whose columns cannot all have this much (or their own width, when less) is stacked.
TABLE_MIN_COLUMN = 8


def cell_block(block: Block, start: int, end: int) -> Block:
    """Cell `block.text[start:end]` as a paragraph, with the marks inside it."""
    marks = tuple(
        Mark(m.kind, max(m.start, start) - start, min(m.end, end) - start, m.href)
        for m in block.marks
        if m.start < end and m.end > start
    )
    return Block("paragraph", block.text[start:end], marks=marks)


class TableGrid:
    """A table block's rows of cells (`(start, end)` in `block.text`) and the width of
    each column when drawn as a grid in `width` cells (`widths`, None when it cannot
    be: stack it). An empty column (no text in any row) is drawn 0 wide: left out."""

    def __init__(self, block: Block, width: int) -> None:
        self.block = block
        text = block.text
        shown = display(text)
        self.rows: list[list[tuple[int, int]]] = []
        row_start = 0
        for row_text in text.split("\n"):
            cells = []
            cell_start = row_start
            for cell_text in row_text.split("\t"):
                cells.append((cell_start, cell_start + len(cell_text)))
                cell_start += len(cell_text) + 1
            self.rows.append(cells)
            row_start += len(row_text) + 1
        columns = max(len(row) for row in self.rows)
        natural = [0] * columns
        longest = [0] * columns
        for row in self.rows:
            if len(row) == 1 and columns > 1:
                continue  # spans the table: its width is no column's
            for c, (s, e) in enumerate(row):
                cell = shown[s:e].strip()
                natural[c] = max(natural[c], cell_len(cell), 1 if cell else 0)
                longest[c] = max(longest[c], *map(cell_len, shown[s:e].split() or [""]))
        if columns > 1 and not any(natural):
            natural[0] = max(
                1, *(cell_len(shown[s:e].strip()) for row in self.rows for s, e in row)
            )
        widths = column_widths(natural, longest, width)
        if widths is not None and columns > 1:
            # A cell spanning the table (a caption row) widens its last column rather
            # than wrap in a narrow grid.
            spanning = [
                cell_len(shown[s:e].strip()) for row in self.rows if len(row) == 1 for s, e in row
            ]
            drawn = [c for c, w in enumerate(widths) if w]
            total = sum(widths) + len(TABLE_SEPARATOR) * (len(drawn) - 1)
            wanted = min(width, max(spanning, default=0))
            if drawn and wanted > total:
                widths[drawn[-1]] += wanted - total
        self.widths = widths


def column_widths(natural: list[int], longest: list[int], width: int) -> list[int] | None:
    """Widths for columns of `natural` widths (`longest`: their longest words) in
    `width` cells, with TABLE_SEPARATOR between those drawn (not 0 wide).

    Each its own width when all fit. Else a column narrower than an even share keeps
    its width, and the others get their longest word (when there is room for that, else
    TABLE_MIN_COLUMN) and share what is left in proportion to what more they would
    take. None when not even TABLE_MIN_COLUMN each fits: the table is stacked.
    """
    drawn = [c for c, n in enumerate(natural) if n]
    available = width - len(TABLE_SEPARATOR) * (len(drawn) - 1)
    if not drawn or sum(natural) <= available:
        return list(natural)
    if sum(min(natural[c], TABLE_MIN_COLUMN) for c in drawn) > available:
        return None
    widths = list(natural)
    flexible = list(drawn)
    budget = available
    while True:
        share = budget / len(flexible)
        fixed = [c for c in flexible if natural[c] <= share]
        if not fixed:
            break
        for c in fixed:
            budget -= natural[c]
            flexible.remove(c)
    floors = {c: min(natural[c], max(TABLE_MIN_COLUMN, longest[c])) for c in flexible}
    if sum(floors.values()) > budget:
        floors = {c: min(natural[c], TABLE_MIN_COLUMN) for c in flexible}
    spare = budget - sum(floors.values())
    wants = {c: natural[c] - floors[c] for c in flexible}
    total = sum(wants.values()) or 1
    for c in flexible:
        widths[c] = floors[c] + spare * wants[c] // total
    # What rounding left goes to the column that wanted most.
    widths[max(flexible, key=lambda c: wants[c])] += budget - sum(widths[c] for c in flexible)
    return widths
