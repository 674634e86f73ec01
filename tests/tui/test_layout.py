"""The reading view's layout: wrapped lines that map every cell back to Document.text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.document import Block, Document, Mark
from reader.textrules import display
from reader.tui.layout import Header, Layout, Layouts, layout_document
from reader.tui.wrapping import wrap_prose


def rich_document() -> Document:
    return Document(
        (
            Block("heading", "A rich article", level=1),
            Block(
                "paragraph",
                "Text with emphasis, strong words, inline code and a link to the docs.",
                marks=(
                    Mark("em", 10, 18),
                    Mark("strong", 20, 32),
                    Mark("code", 34, 45),
                    Mark("link", 53, 69, "https://example.com"),
                ),
            ),
            Block("list_item", "First item, long enough to wrap in a narrow column.", level=0),
            Block("list_item", "Nested item", level=1),
            Block("list_item", "Numbered", ordered=True, number=3),
            Block("quote", "A quotation from somebody wise.", level=1),
            Block("code", "def f(x):\n\treturn x * 2  # a comment long enough to wrap here"),
            Block("figure", "A caption", alt="a cat on a mat", src="https://example.com/c.png"),
            Block("table", "Name\tAge\nAda\t36", rows=(("Name", "Age"), ("Ada", "36"))),
            Block("rule"),
            Block("paragraph", "漢字のテキストも折り返す。 Emoji 🎉 too."),
        )
    )


def shown(layout: Layout) -> list[str]:
    return ["".join(run.text for run in line.runs) for line in layout.lines]


def shown_offsets(layout: Layout) -> dict[int, int]:
    """Each drawn text offset -> the line it is drawn on (asserting it is drawn once)."""
    seen: dict[int, int] = {}
    for y, line in enumerate(layout.lines):
        for run in line.runs:
            if not run.is_text:
                continue
            for offset in range(run.start, run.end):
                assert offset not in seen, (offset, seen[offset], y)
                seen[offset] = y
    return seen


def ranges_of(layout: Layout) -> list[tuple[int, int, int]]:
    """(start, end, line) of every range a text line covers, by start."""
    out = []
    for y, line in enumerate(layout.lines):
        if line.ranges:
            assert line.has_text
            assert (line.start, line.end) == (line.ranges[0][0], line.ranges[-1][1])
            out += [(start, end, y) for start, end in line.ranges]
        elif line.has_text:
            out.append((line.start, line.end, y))
    return sorted(out)


def check_invariants(document: Document, layout: Layout, every: int = 1) -> None:
    """The layout's promises; the cell<->offset round trip is checked on every `every`th."""
    text = document.text
    # The lines' ranges, by start, tile the text: every offset is covered by exactly one
    # line; a line with no text covers nothing, where the next text line starts.
    covered = 0
    for start, end, _ in ranges_of(layout):
        assert start == covered and end >= start, (start, end, covered)
        covered = end
    assert covered == len(text)
    following = len(text)
    for line in reversed(layout.lines):
        assert line.cell_length <= layout.width, (line, layout.width)
        if line.has_text:
            following = line.start
        else:
            assert line.start == line.end == following
        # What a line draws is text it covers.
        for run in line.runs:
            if run.is_text:
                assert all(line.covers(o) for o in range(run.start, run.end)), (run, line)
    for offset in range(len(text)):
        y = layout.line_of(offset)
        assert layout.lines[y].covers(offset)
    # Every character that is not whitespace is drawn, as itself, on the line covering it.
    drawn = shown_offsets(layout)
    for line in layout.lines:
        for run in line.runs:
            if run.is_text and len(run.text) == run.end - run.start:
                for i, char in enumerate(run.text):
                    assert char == display(text[run.start + i])
    for offset, char in enumerate(text):
        if not char.isspace():
            assert offset in drawn, (offset, char)
            # The mouse's way back: the cell an offset is drawn at maps to that offset.
            x = layout.cell_of(drawn[offset], offset)
            assert x is not None
            if cell_len(char) and offset % every == 0:  # a combining mark shares a cell
                assert layout.offset_at(drawn[offset], x) == offset
            assert layout.line_of(offset) == drawn[offset]


def test_rich_document_keeps_every_offset() -> None:
    document = rich_document()
    for width in (12, 20, 33, 50, 76):
        check_invariants(document, layout_document(document, width))


def test_header_lines_cover_no_text() -> None:
    header = Header("[bold]Oops[/] \x1b[31mred", "A. Writer", "Site", "2024-05-01", "https://e.x")
    layout = layout_document(rich_document(), 60, header)
    top = "".join(run.text for run in layout.lines[0].runs)
    assert top == "[bold]Oops[/] ␛[31mred"
    assert layout.lines[0].start == layout.lines[0].end == 0
    assert layout.line_of(0) > 4
    check_invariants(rich_document(), layout)


def test_blocks_are_styled_and_decorated() -> None:
    layout = layout_document(rich_document(), 40)
    rows = ["".join(run.text for run in line.runs) for line in layout.lines]
    styles = {run.style for line in layout.lines for run in line.runs}
    assert rows[0] == "A rich article" and rows[1].startswith("═")
    assert {"h1", "p em", "p strong", "p code", "p link", "li", "quote", "code_block"} <= styles
    assert any(row.startswith("• First item") for row in rows)
    assert any(row.startswith("  ◦ Nested") for row in rows)
    assert any(row.startswith("3. Numbered") for row in rows)
    assert any(row.startswith("▌ A quotation") for row in rows)
    assert any(row.startswith(" ↪ ") for row in rows), "wrapped code is marked"
    assert "[image: a cat on a mat]" in rows
    assert any(row.startswith("Name │ Age") for row in rows)
    assert all(line.fill == "code_block" for line in layout.lines if "def f" in str(line.runs))
    assert layout.headings == [0]


def test_positions_map_between_cells_and_offsets() -> None:
    document = rich_document()
    layout = layout_document(document, 40)
    text = document.text
    start = text.index("emphasis")
    y = layout.line_of(start)
    x = layout.cell_of(y, start)
    assert x is not None
    assert layout.offset_at(y, x) == start
    assert text[layout.offset_at(y, x + 3)] == "h"
    # Past the end of a line: its last drawn character.
    assert layout.offset_at(y, 500) < layout.lines[y].end
    # Wide characters: both cells of a CJK character map to it.
    kanji = text.index("字")
    ky = layout.line_of(kanji)
    kx = layout.cell_of(ky, kanji)
    assert kx is not None
    assert layout.offset_at(ky, kx) == layout.offset_at(ky, kx + 1) == kanji


def test_wrap_prose_breaks_long_words_and_keeps_newlines() -> None:
    text = "short " + "x" * 25 + "\nnext line"
    lines = wrap_prose(text, 10)
    shown = [text[s:e] for _, s, e in lines]
    assert shown == ["short", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx", "next line"]
    assert [start for start, _, _ in lines] == [0, 6, 16, 26, 32]


block_kinds = st.sampled_from(["heading", "paragraph", "list_item", "quote", "code", "figure"])
alphabet = st.sampled_from(
    [*"abc xyz .,\n\t\x1b\u202e\xa0\u0301", "漢", "字", "é", "🎉", "  ", "supercalifragilistic"]
)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(["table", "rule", "any", "any", "any"]))
    if kind == "rule":
        return Block("rule")
    if kind == "table":
        rows = draw(
            st.lists(
                st.lists(
                    st.lists(alphabet.filter(lambda c: c not in "\n\t"), max_size=8).map("".join),
                    min_size=1,
                    max_size=5,
                ),
                min_size=1,
                max_size=5,
            )
        )
        text = "\n".join("\t".join(row) for row in rows)
        marks: tuple[Mark, ...] = ()
        if text and draw(st.booleans()):
            a = draw(st.integers(0, len(text) - 1))
            marks = (Mark("code", a, draw(st.integers(a + 1, len(text)))),)
        return Block("table", text, marks=marks, rows=tuple(tuple(r) for r in rows))
    kind = draw(block_kinds)
    text = "".join(draw(st.lists(alphabet, max_size=40)))
    if kind != "code":
        text = text.strip()
    marks: tuple[Mark, ...] = ()
    if text and kind != "code":
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        marks = (Mark(draw(st.sampled_from(["em", "strong", "code", "link"])), a, b),)
    alt = text if kind == "figure" and draw(st.booleans()) else "alt"
    return Block(
        kind,
        text,
        marks=marks,
        level=draw(st.integers(0, 7)),
        ordered=draw(st.booleans()),
        number=draw(st.one_of(st.none(), st.integers(0, 10_000))),
        alt=alt,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(blocks(), max_size=8), st.integers(1, 100))
def test_every_offset_on_exactly_one_line(block_list: list[Block], width: int) -> None:
    document = Document(tuple(block_list))
    layout = layout_document(document, width, Header(title="Title", url="https://e.x/a"))
    check_invariants(document, layout)


def test_table_too_wide_for_columns_stacks_its_cells() -> None:
    # Six columns cannot each have TABLE_MIN_COLUMN cells in 30.
    text = "Name\tA\tB\tC\tD\tE\nAda\t" + "\t".join(["a long cell of words"] * 5)
    document = Document((Block("table", text),))
    layout = layout_document(document, 30)
    rows = shown(layout)
    assert rows[:3] == ["│ Name", "│ A", "│ B"]
    assert any(row.startswith("───") for row in rows)
    check_invariants(document, layout)


def test_table_that_fits_is_a_grid_with_cells_wrapped_in_their_column() -> None:
    long_cell = "a long cell of words " * 3
    text = f"Name\tNotes\nAda\t{long_cell.strip()}\nGrace\tshort"
    document = Document((Block("table", text, marks=(Mark("code", 0, 4),)),))
    layout = layout_document(document, 30)
    assert shown(layout) == [
        "Name  │ Notes",
        "──────┼───────────────────────",
        "Ada   │ a long cell of words a",
        "      │ long cell of words a",
        "      │ long cell of words",
        "──────┼───────────────────────",
        "Grace │ short",
    ]
    assert {run.style for run in layout.lines[0].runs if run.is_text} == {
        "table_head code",
        "table_head",
    }
    # A line shows a piece of each cell: it covers their ranges, not what is between.
    ada = text.index("Ada")
    second = layout.lines[3]
    assert second.ranges and second.ranges[0][0] == text.index("long cell", ada + 10)
    assert layout.line_of(ada) == layout.line_of(ada + 3) == 2  # the tab after Ada too
    assert layout.line_of(text.index("Grace")) == 6
    check_invariants(document, layout)


def test_gridcolumn_widths() -> None:
    from reader.tui.tables import TABLE_MIN_COLUMN, column_widths

    assert column_widths([4, 5], [4, 5], 30) == [4, 5]  # all fit: their own widths
    # A narrow column keeps its width; the wide one takes the rest.
    assert column_widths([10, 90], [5, 9], 50) == [10, 37]
    # Two wide ones share, each at least its longest word.
    widths = column_widths([45, 75], [16, 10], 40)
    assert widths is not None and sum(widths) == 37 and widths[0] >= 16
    # An empty column is left out (no separator for it).
    assert column_widths([0, 60, 60], [0, 5, 5], 40) == [0, 19, 18]
    assert column_widths([20] * 6, [5] * 6, 30) is None  # stacked
    assert column_widths([20] * 3, [15] * 3, 3 * TABLE_MIN_COLUMN + 6) == [TABLE_MIN_COLUMN] * 3


WELCOME = Path(__file__).resolve().parents[2] / "reader" / "data" / "welcome.html"


def welcome_tables() -> list[Block]:
    from reader.ingest.pipeline import ingest_path

    _, extracted = ingest_path(WELCOME, max_size=2**20)
    return [b for b in extracted.document.blocks if b.kind == "table"]


def test_welcome_key_tables_are_grids() -> None:
    tables = welcome_tables()
    assert len(tables) >= 3
    document = Document(tuple(tables))
    for width in (76, 48):
        layout = layout_document(document, width)
        rows = shown(layout)
        assert any(row.startswith("Key") and row.endswith("│ What it does") for row in rows)
        assert not any(row.startswith("│ ") for row in rows), "nothing stacked"
        assert all("│" in row or row.startswith("─") or not row for row in rows)
        check_invariants(document, layout)
    rows = shown(layout_document(document, 76))
    space = next(i for i, row in enumerate(rows) if row.startswith("space "))
    assert rows[space].endswith("; escape")
    assert rows[space + 1].strip() == "│ clears the selection"


INFOBOX = (
    "New Zealand Aotearoa (Māori)\n"
    "Location of New Zealand, including outlying islands, its territorial claim in the "
    "Antarctic, and Tokelau\n"
    "Capital\tWellington 41°17′S 174°27′E\ufeff / \ufeff41.283°S 174.450°E\n"
    "Largest city\tAuckland\n"
    "Official languages\t\n"
    "Government\tUnitary parliamentary constitutional monarchy\n"
    "• Monarch\tElizabeth II\n"
    "Area\n"
    "• Total\t268,021 km2 (103,483 sq mi) (75th)"
)


def test_wikipedia_infobox_is_a_grid_with_spanning_rows() -> None:
    document = Document((Block("paragraph", "Before."), Block("table", INFOBOX)))
    layout = layout_document(document, 60)
    rows = shown(layout)
    top = rows.index("New Zealand Aotearoa (Māori)")
    assert rows[top + 1] == "─" * 60  # a spanning row under a spanning row
    assert rows[top + 2].startswith("Location of New Zealand, including outlying")
    assert "┬" in rows[top + 4]  # the grid starts under it
    assert rows[top + 5].startswith("Capital            │ Wellington")
    assert any(row.startswith("Official languages │") for row in rows)
    assert "Area" in rows
    check_invariants(document, layout)
    check_invariants(document, layout_document(document, 12))


@pytest.mark.slow
def test_corpus_pages_keep_every_offset(corpus_dir: Path) -> None:
    """Real articles (Mozilla Readability's test pages) through the real pipeline."""
    from reader.ingest.page import IngestError
    from reader.ingest.pipeline import ingest_path

    checked = 0
    for source in sorted(corpus_dir.glob("*/source.html"))[::3]:  # a third: ingest is slow
        try:
            _, extracted = ingest_path(source, max_size=50 * 2**20)
        except IngestError:
            continue
        for width in (12, 76):
            layout = layout_document(extracted.document, width)
            check_invariants(extracted.document, layout, every=7)
        checked += 1
    assert checked > 30


def test_a_line_break_inside_a_paragraph_starts_a_new_line() -> None:
    # A <br> arrives as "\n" in the block's text: a new line, never a drawn ␊.
    document = Document((Block("paragraph", "Easier than ever.\nNo other browser."),))
    lines = layout_document(document, 60).lines
    shown = ["".join(run.text for run in line.runs) for line in lines]
    assert shown == ["Easier than ever.", "No other browser."]
    assert [(line.start, line.end) for line in lines] == [(0, 18), (18, 35)]
    assert display("a\nb\x1bc") == "a\nb␛c"


def test_a_real_wikipedia_infobox_is_a_grid(corpus_dir: Path) -> None:
    """Wikipedia's New Zealand page (Mozilla's corpus): its infobox, at 76 columns (an
    80- or 120-column terminal) and at 60 (the annotations panel open)."""
    from reader.ingest.pipeline import ingest_path

    _, extracted = ingest_path(corpus_dir / "wikipedia-2" / "source.html", max_size=2**26)
    infobox = next(b for b in extracted.document.blocks if b.kind == "table")
    document = Document((infobox,))
    for width in (76, 60):
        layout = layout_document(document, width)
        rows = shown(layout)
        capital = next(row for row in rows if row.startswith("Capital"))
        assert "│ Wellington" in capital
        assert not any(row.startswith("│ ") for row in rows), "nothing stacked"
        check_invariants(document, layout)


def test_layouts_are_made_once_a_width_and_the_last_few_kept() -> None:
    layouts = Layouts(rich_document(), None, kept=2)
    first = layouts.at(40)
    assert layouts.at(40) is first
    layouts.at(50)
    assert layouts.at(40) is first  # and 40 is the newest again
    layouts.at(60)  # 50 goes
    assert layouts.at(40) is first
    assert layouts.at(50).width == 50
