"""KOReader's XPointers into any chapter reader writes lead back to the same offsets:
for every character of every block, the pointer the "device" makes (tests/importer/
device.py) resolves (reader.ingest.ereader.xpointer) to that character's offset, with
the chapter's highlights as marks and its notes' references in the way."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from reader.document import Block, Document, Mark
from reader.export.epub_xhtml import chapter_xhtml, xml_text
from reader.ingest.ereader.xpointer import parse_xpointer, resolve_xpointer
from reader.models import Annotation, Article

from .device import xpointer

_TEXT = st.text(string.ascii_letters + " .,“”é\n", min_size=1, max_size=40)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(["heading", "paragraph", "list_item", "quote", "code"]))
    text = draw(_TEXT).strip() or "x"
    marks = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        mark_kind = draw(st.sampled_from(["em", "strong", "code", "link"]))
        marks.append(Mark(mark_kind, start, end, "https://e.com" if mark_kind == "link" else None))
    return Block(kind, text, tuple(marks), level=draw(st.integers(0, 2)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(blocks(), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 150), st.integers(1, 20)), max_size=3),
)
def test_every_offset_comes_back(
    document_blocks: list[Block], ranges: list[tuple[int, int]]
) -> None:
    document = Document(tuple(document_blocks))
    article = Article(id=5, title="t", document=document)
    annotations = [
        Annotation(n + 1, 5, start, min(len(document.text), start + length), note="a note")
        for n, (start, length) in enumerate(ranges)
        if start < len(document.text)
    ]
    xhtml = chapter_xhtml(article, annotations)
    text = xml_text(document.text)
    root = etree.fromstring(xhtml.encode())
    starts = sorted(
        int(name.rsplit("-", 1)[1])
        for name in (e.get("id") or "" for e in root.iter())
        if name.startswith("r5-")
    )
    checked = 0
    for start in starts:
        for offset in range(start, len(text)):
            if offset > start and offset in starts:
                break
            try:
                pointer = xpointer(xhtml.encode(), 1, 5, offset)
            except AssertionError:
                break  # past the block's text (the newline between blocks)
            parsed = parse_xpointer(pointer)
            assert parsed is not None
            found = resolve_xpointer(xhtml, parsed)
            assert found is not None and found.offset == offset, pointer
            checked += 1
    assert checked >= len(starts) > 0
