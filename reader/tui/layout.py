"""Lay out a Document for the reading view: wrapped, styled lines mapped back to the text.

Pure (no widgets, no database): `layout_document(document, width)` wraps every block to
`width` cells once and returns a `Layout`, a list of `Line`s of `Run`s. A run is a piece
of display text with a style name; a run cut from the article's text also says which
offsets of `Document.text` it shows, so highlights, the selection, the cursor, headings
and the saved reading position all map between text offsets and screen cells through
this one table. Decoration (bullets, quote bars, rules, the header) has no offsets.

Every offset of `Document.text` belongs to exactly one line (`Layout.line_of`), the
line it is drawn on when it is drawn. A line covers `[line.start, line.end)`, and
consecutive text lines tile the text (the blank line between two blocks belongs to the
line before it), with one exception: a table drawn as a grid shows its cells side by
side, so one of its lines shows a piece of each cell. Such a line covers several ranges
(`line.ranges`, in order; `start`/`end` bound them), and it is the ranges of all lines,
taken in the order of their starts, that tile the text: each piece of a cell owns the
text up to the next piece's start (the tab after a cell belongs to its last piece).
Lines with nothing from the text (blank lines, rules, the header) cover nothing
(`start == end`).

Style names are plain words (`"p"`, `"h1"`, `"em"`, `"code_block"`, ...); a run's style
is its block's name followed by its inline marks' names (`"p em link"`). The widget turns
each name into a Rich style from its CSS component classes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.cells import cell_len, split_graphemes

from reader.document import Block, Document
from reader.textrules import display, one_line
from reader.tui.pictures import picture_cells
from reader.tui.tables import TABLE_SEPARATOR, TableGrid, cell_block
from reader.tui.wrapping import Wrapped, wrap_prose

#: The widest reading column; narrower views wrap to their own width.
MAX_COLUMN = 76
#: Narrowest width we lay out to (below this lines would be unreadable anyway).
MIN_WIDTH = 12
TAB_SIZE = 4
BULLETS = ("•", "◦", "▪")
CODE_WRAP_MARK = "↪ "


class Run(NamedTuple):
    """Display `text` in `style`; `start`/`end` are the text offsets it shows (-1: decoration).

    For text runs `len(text) == end - start` (one character for one), except a tab in
    code, which is drawn as spaces up to the next tab stop and maps to its one offset.
    """

    text: str
    style: str
    start: int = -1
    end: int = -1

    @property
    def is_text(self) -> bool:
        return self.start >= 0


@dataclass(slots=True)
class Line:
    """One screen line of the column.

    `start`/`end`: the text offsets the line covers (equal when it covers none).
    `block`: index of the block it belongs to (-1 for the header). `fill`: the style
    that pads the line to the column's width ("" for none, code blocks have one).
    `ranges`: for a line of a table drawn as a grid, the ranges it covers (one a cell
    shown on it), which `start`/`end` only bound; empty for every other line.
    """

    runs: tuple[Run, ...]
    start: int = 0
    end: int = 0
    block: int = -1
    fill: str = ""
    has_text: bool = False
    ranges: tuple[tuple[int, int], ...] = ()
    #: On a row of a figure's picture: (row, columns, rows) of the picture (no text).
    picture: tuple[int, int, int] | None = None

    @property
    def cell_length(self) -> int:
        return sum(cell_len(run.text) for run in self.runs)

    def covers(self, offset: int) -> bool:
        """Whether `offset` belongs to this line."""
        if self.ranges:
            return any(start <= offset < end for start, end in self.ranges)
        return self.start <= offset < self.end


@dataclass
class Header:
    """What the reading view shows above the text; any field may be empty."""

    title: str = ""
    byline: str = ""
    site: str = ""
    published: str = ""
    url: str = ""
    reading: str = ""


@dataclass
class Layout:
    """A document laid out to `width` cells."""

    width: int
    lines: list[Line]
    text_length: int
    headings: list[int] = field(default_factory=list)  # line index of each heading
    _starts: list[int] = field(default_factory=list, repr=False)
    _owners: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # Every range a text line covers, by start, with the line it belongs to.
        owned: list[tuple[int, int]] = []
        grid = False
        for y, line in enumerate(self.lines):
            if line.ranges:
                grid = True
                owned.extend((start, y) for start, _ in line.ranges)
            elif line.has_text:
                owned.append((line.start, y))
        if grid:
            owned.sort()
        self._starts = [start for start, _ in owned]
        self._owners = [y for _, y in owned]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """Index of the line that covers `offset` (the last line for the end of the text)."""
        if not self.lines:
            return 0
        if offset >= self.text_length or not self._starts:
            return len(self.lines) - 1
        index = bisect_right(self._starts, max(0, offset)) - 1
        return self._owners[max(0, index)]

    def offset_at(self, y: int, x: int) -> int:
        """The text offset drawn at cell `x` of line `y` (nearest one on that line)."""
        if not self.lines:
            return 0
        y = max(0, min(y, len(self.lines) - 1))
        line = self.lines[y]
        if not line.has_text:
            return min(line.start, max(0, self.text_length - 1))
        cx = 0
        last = line.start
        for run in line.runs:
            width = cell_len(run.text)
            if run.is_text:
                if x < cx + width:
                    if len(run.text) != run.end - run.start:
                        return run.start
                    for i, char in enumerate(run.text):
                        cx += cell_len(char)
                        if x < cx:
                            return run.start + i
                    return run.end - 1
                last = run.end - 1 if run.end > run.start else run.start
            elif x < cx + width and last == line.start:
                return line.start
            cx += width
        return max(line.start, min(last, self.text_length - 1))

    def cell_of(self, y: int, offset: int) -> int | None:
        """The cell where `offset` is drawn on line `y`, None when it is not drawn there."""
        if not 0 <= y < len(self.lines):
            return None
        cx = 0
        for run in self.lines[y].runs:
            if run.is_text and run.start <= offset < run.end:
                if len(run.text) != run.end - run.start:
                    return cx
                return cx + cell_len(run.text[: offset - run.start])
            cx += cell_len(run.text)
        return None

    def next_heading(self, y: int) -> int | None:
        for index in self.headings:
            if index > y:
                return index
        return None

    def previous_heading(self, y: int) -> int | None:
        for index in reversed(self.headings):
            if index < y:
                return index
        return None


class _Styler:
    """Cuts a block's text into runs styled by its block style and inline marks."""

    def __init__(self, block: Block, base: str, offset: int) -> None:
        self.text = display(block.text)
        self.offset = offset
        cuts = {0, len(block.text)}
        marks = [m for m in block.marks if 0 <= m.start < m.end <= len(block.text)]
        for mark in marks:
            cuts.add(mark.start)
            cuts.add(mark.end)
        self.cuts = sorted(cuts)
        self.styles: list[str] = []
        for a in self.cuts[:-1]:
            names = [base]
            for kind in ("strong", "em", "code", "link"):
                if any(m.kind == kind and m.start <= a < m.end for m in marks):
                    names.append(kind)
            self.styles.append(" ".join(names))

    def runs(self, start: int, end: int) -> list[Run]:
        """Runs showing block text `[start, end)`."""
        out: list[Run] = []
        if start >= end:
            return out
        cuts = self.cuts
        i = bisect_right(cuts, start) - 1
        pos = start
        while pos < end:
            stop = min(end, cuts[i + 1])
            out.append(
                Run(self.text[pos:stop], self.styles[i], self.offset + pos, self.offset + stop)
            )
            pos = stop
            i += 1
        return out


# --- blocks ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, width: int, pictures: Mapping[int, tuple[int, int]]) -> None:
        self.width = width
        self.pictures = pictures  # block index -> its picture's size in pixels
        self.lines: list[Line] = []
        self.headings: list[int] = []
        # Lines of tables drawn as grids: line index -> where each piece of text on it starts.
        self.pieces: dict[int, list[int]] = {}

    def add(self, runs: Sequence[Run], block: int, start: int | None, fill: str = "") -> None:
        has_text = start is not None
        self.lines.append(
            Line(tuple(runs), start if start is not None else 0, 0, block, fill, has_text)
        )

    def add_pieces(self, runs: Sequence[Run], block: int, starts: list[int]) -> None:
        """A line showing several pieces of text side by side, starting at `starts`."""
        self.pieces[len(self.lines)] = starts
        self.add(runs, block, min(starts))

    def blank(self, block: int = -1) -> None:
        self.add((), block, None)

    def prose(
        self,
        block: Block,
        index: int,
        offset: int,
        base: str,
        first_prefix: Sequence[Run] = (),
        rest_prefix: Sequence[Run] = (),
        suffix: Sequence[Run] = (),
    ) -> None:
        first_w = sum(cell_len(r.text) for r in first_prefix)
        rest_w = sum(cell_len(r.text) for r in rest_prefix)
        suffix_w = sum(cell_len(r.text) for r in suffix)
        styler = _Styler(block, base, offset)
        wrapped = wrap_prose(
            styler.text,
            max(2, self.width - first_w - suffix_w),
            max(2, self.width - rest_w - suffix_w),
        )
        for k, (start, shown_start, shown_end) in enumerate(wrapped):
            runs = list(first_prefix if k == 0 else rest_prefix)
            runs += styler.runs(shown_start, shown_end)
            if k == len(wrapped) - 1:
                runs += suffix
            self.add(runs, index, offset + start)

    def heading(self, block: Block, index: int, offset: int) -> None:
        level = max(1, min(6, block.level or 1))
        self.headings.append(len(self.lines))
        first = len(self.lines)
        self.prose(block, index, offset, f"h{level}")
        if level <= 2:
            width = max(line.cell_length for line in self.lines[first:])
            self.add([Run(("═" if level == 1 else "─") * width, f"h{level}_rule")], index, None)

    def list_item(self, block: Block, index: int, offset: int) -> None:
        depth = max(0, block.level)
        indent = "  " * min(depth, max(0, (self.width - 20) // 2))
        if block.ordered:
            marker = f"{block.number if block.number is not None else 1}."
        else:
            marker = BULLETS[depth % len(BULLETS)]
        first = [Run(indent + marker + " ", "bullet")]
        rest = [Run(" " * cell_len(indent + marker + " "), "bullet")]
        self.prose(block, index, offset, "li", first, rest)

    def quote(self, block: Block, index: int, offset: int) -> None:
        bars = [Run("▌ " * max(1, min(block.level or 1, 4)), "quote_bar")]
        self.prose(block, index, offset, "quote", bars, bars)

    def figure(self, block: Block, index: int, offset: int) -> None:
        if index in self.pictures:
            # Rows of their own above the caption, with no text: offsets stay as they are.
            cols, rows = picture_cells(*self.pictures[index], self.width)
            for k in range(rows):
                self.lines.append(Line((), block=index, picture=(k, cols, rows)))
        alt = one_line(block.alt)
        if block.text and block.text == block.alt:
            # No caption: the alt text itself is the text, inside the placeholder.
            open_ = [Run("[image: ", "figure")]
            self.prose(block, index, offset, "figure", open_, [], [Run("]", "figure")])
            return
        label = f"[image: {alt}]" if alt else "[image]"
        for _, shown_start, shown_end in wrap_prose(label, self.width):
            self.add([Run(label[shown_start:shown_end], "figure")], index, None)
        if block.text:
            self.prose(block, index, offset, "caption")

    def code(self, block: Block, index: int, offset: int) -> None:
        text = block.text
        shown = display(text)
        inner = max(4, self.width - 2)
        self.add([], index, None, "code_block")
        line_start = 0
        raw_lines = text.split("\n")
        if len(raw_lines) > 1 and not raw_lines[-1]:
            raw_lines.pop()  # a final newline: it belongs to the last line, drawn or not
        for raw in raw_lines:
            line_end = line_start + len(raw)
            if "\t" not in raw and cell_len(shown[line_start:line_end]) <= inner:
                runs = [Run(" ", "code_block")]
                if raw:
                    runs.append(
                        Run(
                            shown[line_start:line_end],
                            "code_block",
                            offset + line_start,
                            offset + line_end,
                        )
                    )
                self.add(runs, index, offset + line_start, "code_block")
            else:
                self._code_line(text, shown, line_start, line_end, inner, index, offset)
            line_start = line_end + 1
        self.add([], index, None, "code_block")

    def _code_line(
        self, text: str, shown: str, start: int, end: int, inner: int, index: int, offset: int
    ) -> None:
        """One line of code too wide for the column (or with tabs): cut between
        graphemes, continuation lines marked; tabs drawn as spaces to the next stop."""
        runs: list[Run] = [Run(" ", "code_block")]
        used = 0
        chunk = start  # where this screen line starts
        pending = start  # text not yet put in a run
        spans, _ = split_graphemes(shown[start:end])
        for first, _last, width in spans:
            pos = start + first
            is_tab = text[pos] == "\t"
            cells = TAB_SIZE - used % TAB_SIZE if is_tab else width
            if used + cells > inner and pos > chunk:
                if pos > pending:
                    runs.append(
                        Run(shown[pending:pos], "code_block", offset + pending, offset + pos)
                    )
                self.add(runs, index, offset + chunk, "code_block")
                runs = [Run(" ", "code_block"), Run(CODE_WRAP_MARK, "wrap_mark")]
                used = cell_len(CODE_WRAP_MARK)
                chunk = pending = pos
                cells = TAB_SIZE - used % TAB_SIZE if is_tab else width
            if is_tab:
                if pos > pending:
                    runs.append(
                        Run(shown[pending:pos], "code_block", offset + pending, offset + pos)
                    )
                # The tab alone (a mark combining with it is drawn after, on its own).
                runs.append(Run(" " * cells, "code_block", offset + pos, offset + pos + 1))
                pending = pos + 1
            used += cells
        if end > pending:
            runs.append(Run(shown[pending:end], "code_block", offset + pending, offset + end))
        self.add(runs, index, offset + chunk, "code_block")

    def table(self, block: Block, index: int, offset: int) -> None:
        """A grid when its columns fit the column (cells wrapped within theirs), else
        each row's cells one under another."""
        grid = TableGrid(block, self.width)
        if grid.widths is not None:
            self._grid(grid, index, offset)
            return
        # Too many columns to fit: each row's cells one under another, rows ruled apart.
        bar = [Run("│ ", "table_rule")]
        for k, row in enumerate(grid.rows):
            if k:
                self.add([Run("─" * min(self.width, 24), "table_rule")], index, None)
            style = "table_head" if k == 0 and len(grid.rows) > 1 else "table"
            for s, e in row:
                self.prose(cell_block(block, s, e), index, offset + s, style, bar, bar)

    def _grid(self, grid: TableGrid, index: int, offset: int) -> None:
        """The table as a grid: cells wrapped within their columns, the first row ruled
        off as the header, and rows ruled apart where one takes more than a line."""
        widths = grid.widths
        assert widths is not None
        shown = display(grid.block.text)
        stylers = {style: _Styler(grid.block, style, offset) for style in ("table", "table_head")}
        drawn = [w for w in widths if w]
        full = sum(drawn) + len(TABLE_SEPARATOR) * (len(drawn) - 1)
        rows: list[tuple[list[tuple[tuple[int, int] | None, int]], list[Wrapped]]] = []
        for row in grid.rows:
            cells: list[tuple[tuple[int, int] | None, int]]
            if len(row) == 1 and len(widths) > 1:
                cells = [(row[0], full)]  # one cell on its own spans the table
            else:
                cells = [(row[c] if c < len(row) else None, w) for c, w in enumerate(widths) if w]
            wrapped = [wrap_prose(shown[c[0] : c[1]], w) if c else [] for c, w in cells]
            rows.append((cells, wrapped))
        heights = [max([1, *(len(pieces) for pieces in wrapped)]) for _, wrapped in rows]
        for k, (row, (cells, wrapped)) in enumerate(zip(grid.rows, rows, strict=True)):
            style = "table_head" if k == 0 and len(rows) > 1 else "table"
            styler = stylers[style]
            for j in range(heights[k]):
                runs: list[Run] = []
                starts: list[int] = []
                for c, ((cell, width), pieces) in enumerate(zip(cells, wrapped, strict=True)):
                    if c:
                        runs.append(Run(TABLE_SEPARATOR, "table_rule"))
                    used = 0
                    if cell is not None and j < len(pieces):
                        piece_start, shown_start, shown_end = pieces[j]
                        starts.append(offset + cell[0] + piece_start)
                        runs += styler.runs(cell[0] + shown_start, cell[0] + shown_end)
                        used = cell_len(shown[cell[0] + shown_start : cell[0] + shown_end])
                    if c < len(cells) - 1 and width > used:
                        runs.append(Run(" " * (width - used), style))
                if j == 0:  # the row's first line owns what no drawn cell does before them
                    first = min(starts, default=None)
                    starts = [offset + row[0][0] if p == first else p for p in starts]
                    starts = starts or [offset + row[0][0]]
                self.add_pieces(runs, index, starts)
            if k == len(rows) - 1 or (k and heights[k] == heights[k + 1] == 1):
                continue
            # ┼ between rows of cells; ┬ / ┴ where a spanning row is above / below.
            above, below = len(cells) > 1, len(rows[k + 1][0]) > 1
            joint = "┼" if above and below else "┴" if above else "┬" if below else "─"
            rule = f"─{joint}─".join("─" * w for w in drawn)
            self.add([Run(rule, "table_rule")], index, None)

    def rule(self, index: int) -> None:
        width = min(self.width, 40)
        left = (self.width - width) // 2
        self.add([Run(" " * left + "─" * width, "rule")], index, None)

    def header(self, header: Header) -> None:
        title = one_line(header.title)
        if title:
            for _, s, e in wrap_prose(title, self.width):
                self.add([Run(title[s:e], "title")], -1, None)
        byline = " · ".join(
            part
            for part in (one_line(header.byline), one_line(header.site), one_line(header.published))
            if part
        )
        for text, style in (
            (byline, "meta"),
            (one_line(header.url), "url"),
            (one_line(header.reading), "meta"),
        ):
            if text:
                for _, s, e in wrap_prose(text, self.width):
                    self.add([Run(text[s:e], style)], -1, None)
        if self.lines:
            self.add([Run("─" * self.width, "header_rule")], -1, None)
            self.blank()


class Layouts:
    """A document's layouts at the last `kept` widths asked for, each made once (resizing
    back and forth, the annotations panel opening and closing)."""

    def __init__(
        self,
        document: Document,
        header: Header | None,
        kept: int = 4,
        pictures: Mapping[int, tuple[int, int]] | None = None,
    ) -> None:
        self.document = document
        self.header = header
        self.pictures = dict(pictures or {})
        self.kept = kept
        self._by_width: dict[int, Layout] = {}

    def at(self, width: int) -> Layout:
        layout = self._by_width.pop(width, None)
        if layout is None:
            layout = layout_document(self.document, width, self.header, self.pictures)
        self._by_width[width] = layout  # the newest last
        while len(self._by_width) > self.kept:
            del self._by_width[next(iter(self._by_width))]
        return layout


def layout_document(
    document: Document,
    width: int,
    header: Header | None = None,
    pictures: Mapping[int, tuple[int, int]] | None = None,
) -> Layout:
    """Lay `document` out in a column `width` cells wide (at least MIN_WIDTH); the
    figures in `pictures` (block index -> pixel size) get their picture's rows."""
    width = max(MIN_WIDTH, width)
    builder = _Builder(width, pictures or {})
    if header is not None:
        builder.header(header)
    offset = 0
    previous: Block | None = None
    for index, block in enumerate(document.blocks):
        kind = block.kind
        if not block.text and kind not in ("rule", "figure"):
            continue
        if previous is not None and not (kind == "list_item" and previous.kind == "list_item"):
            builder.blank(index)
        if kind == "heading":
            builder.heading(block, index, offset)
        elif kind == "list_item":
            builder.list_item(block, index, offset)
        elif kind == "quote":
            builder.quote(block, index, offset)
        elif kind == "code":
            builder.code(block, index, offset)
        elif kind == "figure":
            builder.figure(block, index, offset)
        elif kind == "table":
            builder.table(block, index, offset)
        elif kind == "rule":
            builder.rule(index)
        elif block.text:
            builder.prose(block, index, offset, "p")
        if block.text:
            offset += len(block.text) + 2
        previous = block
    text_length = len(document.text)
    lines = builder.lines
    # Each range of text owns the text up to the next one's start; lines without text
    # cover nothing, at the start of the next text line.
    pieces = builder.pieces
    if pieces:
        starts = sorted(
            (start, y)
            for y, line in enumerate(lines)
            if line.has_text
            for start in pieces.get(y, (line.start,))
        )
        ranges: dict[int, list[tuple[int, int]]] = {}
        for (start, y), (following, _) in zip(
            starts, [*starts[1:], (text_length, -1)], strict=True
        ):
            ranges.setdefault(y, []).append((start, following))
        for y, owned in ranges.items():
            line = lines[y]
            line.start, line.end = owned[0][0], owned[-1][1]
            if y in pieces:
                line.ranges = tuple(owned)
    following = text_length
    for line in reversed(lines):
        if line.has_text:
            if not pieces:
                line.end = following
            following = line.start
        else:
            line.start = line.end = following
    return Layout(width, lines, text_length, builder.headings)
