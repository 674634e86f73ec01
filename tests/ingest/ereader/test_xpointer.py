"""KOReader's XPointers resolved against a chapter as reader writes it (block ids
`r<id>-<offset>`; a block's text leaves out nested blocks and note references)."""

from __future__ import annotations

import pytest

from reader.ingest.ereader.xpointer import BlockPosition, parse_xpointer, resolve_xpointer

CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head>
<title>T</title></head><body><header class="article-meta"><h1>T</h1></header><p id="r7-0"
>First <mark>marked words</mark> and a note<a class="noteref" epub:type="noteref"
href="#n1">1</a> after it.</p><ul><li id="r7-40">Item one<ul><li id="r7-49">Nested</li></ul
></li></ul><p id="r7-60">Last paragraph.</p><table id="r7-76"><tr><td>a1</td><td>b1</td></tr
><tr><td>a2</td><td><em>b</em>2</td></tr></table></body></html>"""


def at(pointer: str) -> BlockPosition | None:
    parsed = parse_xpointer(pointer)
    assert parsed is not None
    return resolve_xpointer(CHAPTER, parsed)


def test_parse() -> None:
    pointer = parse_xpointer("/body/DocFragment[3]/body/div/p[12]/text()[2].15")
    assert pointer is not None
    assert (pointer.fragment, pointer.steps, pointer.text_node, pointer.offset) == (
        3,
        (("div", 1), ("p", 12)),
        2,
        15,
    )


@pytest.mark.parametrize(
    "text",
    ["", "12", "body/p", "/body/DocFragment[1]/p", "/body/p[x]/text().1", "/" * 3000],
)
def test_not_a_pointer(text: str) -> None:
    assert parse_xpointer(text) is None


@pytest.mark.parametrize(
    ("pointer", "offset"),
    [
        ("/body/DocFragment[1]/body/p[1]/text().0", 0),
        ("/body/DocFragment[1]/body/p[1]/text().3", 3),
        ("/body/DocFragment[1]/body/p[1]/mark/text().7", 13),  # "First " + 7
        ("/body/DocFragment[1]/body/p[1]/text()[2].5", 23),  # after the mark
        # the note reference "1" is no part of the block's text
        ("/body/DocFragment[1]/body/p[1]/text()[3].1", 30),
        ("/body/DocFragment[1]/body/ul/li/text().4", 44),
        ("/body/DocFragment[1]/body/ul/li/ul/li/text().2", 51),  # the nested block's own
        ("/body/DocFragment[1]/body/p[2]/text().5", 65),
        # a table's text has a tab between cells and a newline between rows
        ("/body/DocFragment[1]/body/table/tr/td[2]/text().1", 76 + 4),
        ("/body/DocFragment[1]/body/table/tr[2]/td[1]/text().0", 76 + 6),
        ("/body/DocFragment[1]/body/table/tr[2]/td[2]/text().0", 76 + 10),
    ],
)
def test_resolved_to_text_offsets(pointer: str, offset: int) -> None:
    found = at(pointer)
    assert found is not None and found.article_id == 7 and found.offset == offset


def test_a_path_that_differs_inside_the_block_keeps_the_block() -> None:
    found = at("/body/DocFragment[1]/body/p[1]/mark[2]/text().1")
    assert found == BlockPosition(7, 0, None) and found.offset is None


def test_outside_any_block() -> None:
    assert at("/body/DocFragment[1]/body/header/h1/text().0") is None
    assert at("/body/DocFragment[1]/body/p[9]/text().0") is None


def test_inside_a_note_reference_is_no_offset() -> None:
    found = at("/body/DocFragment[1]/body/p[1]/a/text().0")
    assert found is not None and found.offset is None


def test_not_xml() -> None:
    parsed = parse_xpointer("/body/p/text().0")
    assert parsed is not None
    assert resolve_xpointer("<not xml", parsed) is None
