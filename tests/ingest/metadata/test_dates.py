"""Dates as ISO 8601, as precise as the page was."""

from __future__ import annotations

import html

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from reader.ingest.metadata import extract_metadata
from reader.ingest.metadata.dates import clean_date, found_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T09:30", "2024-03-05T09:30"),
        ("2024-03-05 09:30:15", "2024-03-05T09:30:15"),
        ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
        ("2019-01-03T07:00:02.000Z", "2019-01-03T07:00:02.000Z"),
        ("Thu, 05 Apr 2018 06:00:00 GMT", "2018-04-05T06:00:00+00:00"),
        ("April 5, 2018", "2018-04-05"),
        ("5 April 2018", "2018-04-05"),
        ("yesterday", None),
        ("2024-13-40", None),
    ],
)
def test_clean_date(raw: str, expected: str | None) -> None:
    assert clean_date(raw) == expected


# --- a date the page shows but does not declare (htmldate) -------------------------


def _page(body: str, head: str = "") -> HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_found_date_reads_a_date_the_page_shows() -> None:
    body = (
        "<article><h1>Rivers rise</h1>"
        '<p class="post-meta">Posted on <span class="date">March 5, 2024</span></p>'
        "<p>The river rose overnight and the bridge closed.</p></article>"
    )
    assert found_date(_page(body)) == "2024-03-05"


def test_found_date_none_without_a_date() -> None:
    assert found_date(_page("<p>Nothing dated here, only words.</p>")) is None


def test_found_date_never_fetches_and_leaves_the_tree_alone() -> None:
    # A canonical URL is only read for a dated path; nothing is downloaded (the test
    # suite has no network: a fetch would fail, and the date would be missing).
    head = '<link rel="canonical" href="https://news.example/2021/06/07/story">'
    doc = _page("<p>Words, and more words.</p>", head)
    before = lxml.html.tostring(doc)
    assert found_date(doc) == "2021-06-07"
    assert lxml.html.tostring(doc) == before


def test_a_big_page_is_not_searched() -> None:
    # htmldate copies the tree it searches: a caller holding a big page opts out.
    body = '<p class="date">Posted March 5, 2024</p><p>Text of the article.</p>'
    assert extract_metadata(_page(body)).published == "2024-03-05"
    assert extract_metadata(_page(body), search_dates=False).published is None


def test_declared_date_comes_before_the_found_one() -> None:
    head = '<meta property="article:published_time" content="2020-01-02">'
    body = '<p class="date">Updated March 5, 2024</p><p>Text of the article.</p>'
    doc = _page(body, head)
    assert extract_metadata(doc).published == "2020-01-02"


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_found_date_is_iso_or_none_on_any_text(text: str) -> None:
    text = "".join(ch for ch in text if ch.isprintable())
    doc = _page(f"<p>{html.escape(text)}</p>")
    value = found_date(doc)
    assert value is None or clean_date(value) == value
