"""Tables: data (rows and columns, kept as a table block) or page layout (read as blocks)."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.convert.elements import SKIP_TAGS
from reader.textrules import clean_line


def _own_rows(table: HtmlElement) -> list[HtmlElement]:
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


_LAYOUT_SIGNS = ("p", "div", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3")


def is_data_table(table: HtmlElement) -> bool:
    """Whether a table holds data (rows and columns) rather than page layout.

    The same signals Mozilla's Readability uses: role=presentation and nested tables
    mean layout; a caption, header cells or column groups mean data; else the shape
    decides (one row or one column is layout, ten rows or more than four columns data).
    """
    if (table.get("role") or "").lower() == "presentation":
        return False
    if (table.get("datatable") or "") == "0":
        return False
    if table.get("summary"):
        return True
    if table.find(".//table") is not None:
        return False
    for tag in ("caption", "thead", "tfoot", "colgroup", "col", "th"):
        if table.find(".//" + tag) is not None:
            return True
    if next(table.iter(*_LAYOUT_SIGNS), None) is not None:
        return False  # cells holding paragraphs or lists: the table lays out a page
    rows = _own_rows(table)
    columns = max((len(_cells(r)) for r in rows), default=0)
    if len(rows) <= 1 or columns <= 1:
        return False
    if len(rows) >= 10 or columns > 4:
        return True
    return len(rows) * columns > 10


def table_rows(table: HtmlElement) -> tuple[tuple[str, ...], ...]:
    """The table's own rows (not a nested table's) as cleaned cell texts; empty rows go."""
    rows = []
    for row in _own_rows(table):
        cells = tuple(clean_line(_cell_text(c)) for c in _cells(row))
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _cell_text(cell: HtmlElement) -> str:
    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in SKIP_TAGS:
                continue
            if tag in ("br", "p", "div", "li"):
                parts.append(" ")
            if el.text and tag not in SKIP_TAGS:
                parts.append(el.text)
        elif el is not cell and el.tail:
            parts.append(el.tail)
    return "".join(parts)
