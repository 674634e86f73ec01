"""parse: a page's bytes -> its tree, a piece at a time, refused when it has too many elements."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from reader.ingest import parse
from reader.ingest.decode import decode_html
from reader.ingest.page import IngestError, RawPage
from reader.ingest.parse import MAX_ELEMENTS, check_elements, parse_html, parse_page_html


def raw(data: bytes, charset: str | None = None) -> RawPage:
    return RawPage(data=data, html=data, filename="page.html", kind="html", charset=charset)


def serialized(tree: etree._Element) -> bytes:
    return etree.tostring(tree)


# Text with what the pieces must not cut wrongly: CRLF and lone CRs, controls, an XML
# declaration, characters of several widths, markup.
_PIECES = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "<?xml version='1.0'?>",
        "  ",
        "<p>",
        "</p>",
        "<pre>",
        "</pre>",
        "<b>",
        "</b>",
        "word",
        "café",
        "日本語",
        "😀",
        "&amp;",
    ]
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(_PIECES, min_size=1, max_size=60),
    codec=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1251", "shift_jis", "gb18030"]),
    chunk=st.integers(min_value=1, max_value=16),
)
@example(pieces=["<pre>a\r", "\nb</pre>"], codec="utf-8", chunk=8)  # CRLF across a cut
def test_pieces_give_the_tree_the_whole_text_gives(
    monkeypatch: pytest.MonkeyPatch, pieces: list[str], codec: str, chunk: int
) -> None:
    text = "<html><body>" + "".join(pieces) + "</body></html>"
    data = text.encode(codec, "replace")
    page = raw(data, charset=None if codec.startswith("utf") else codec)
    try:
        whole = serialized(parse_html(decode_html(page)))
    except IngestError as error:
        with pytest.raises(IngestError, match=str(error)):
            parse_page_html(page)
        return
    monkeypatch.setattr(parse, "_CHUNK", chunk)  # cuts fall everywhere, mid-character too
    assert serialized(parse_page_html(page)) == whole


def test_the_decoded_text_is_never_held_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4 MB page of non-ASCII text decodes to 8 MB of str (two bytes a character),
    and its UTF-8 copy for libxml2 is 4 MB more: read in 64 KB pieces (checking its
    encoding too), Python never holds more than a few pieces of it."""
    from reader.ingest import decode

    monkeypatch.setattr(parse, "_CHUNK", 2**16)
    monkeypatch.setattr(decode, "_PIECE", 2**16)
    page = raw(("<p>" + "Привет мир, " * 50 + "</p>\n").encode() * 4_000)
    assert len(page.html) > 4 * 10**6
    tracemalloc.start()
    try:
        parse_page_html(page)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(page.html) // 8  # reading it whole: 3 times its size


def test_a_page_with_too_many_elements_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(parse, "_parse_clean", never)
    page = raw(b"<html><body>" + b"<br>" * (MAX_ELEMENTS + 10) + b"</body></html>")
    with pytest.raises(IngestError) as error:
        parse_page_html(page)
    assert str(error.value) == (
        "the page has 2.0 million elements, more than reader can extract within about 2 GB"
        " of memory (at most 2 million)"
    )


def test_end_tags_comments_and_declarations_are_not_counted() -> None:
    check_elements(b"<!DOCTYPE html>" + b"<p>x</p><!-- c --><?pi?>" * (MAX_ELEMENTS - 1))
    with pytest.raises(IngestError, match="million elements"):
        check_elements(b"<p>x</p><i>" * (MAX_ELEMENTS // 2 + 1))


def test_a_page_of_nothing_is_no_article() -> None:
    for data in (b"", b"  \n\t ", b"\x00\x01 \x1b", b"<?xml version='1.0'?>  "):
        with pytest.raises(IngestError, match="no article text found"):
            parse_page_html(raw(data))
