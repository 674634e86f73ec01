"""Titles on any input: what a rule gives is always a piece of what the page says."""

from __future__ import annotations

import html

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.metadata import extract_metadata
from reader.ingest.metadata.sites import trim_site_name
from reader.ingest.metadata.titles import whole_title

WORDS = st.sampled_from(["Rivers", "rise", "The", "Daily", "Blog", "Forum", "2025", "a", "®"])
SEPARATORS = st.sampled_from([" | ", " - ", " – ", ": ", " · ", " / ", " "])


@st.composite
def titles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(WORDS, min_size=1, max_size=8))
    out = parts[0]
    for part in parts[1:]:
        out += draw(SEPARATORS) + part
    return out


@settings(max_examples=300, deadline=None)
@given(titles(), st.lists(titles(), max_size=2))
def test_trimming_the_site_leaves_a_piece_of_the_title(title: str, sites: list[str]) -> None:
    trimmed = trim_site_name(title, sites, "www.thedaily.example")
    assert trimmed.strip()
    assert trimmed in title


@settings(max_examples=300, deadline=None)
@given(titles(), titles())
def test_a_whole_title_is_one_of_the_two(headline: str, title: str) -> None:
    assert whole_title(headline, title, [], None) in (headline, title)


@settings(max_examples=200, deadline=None)
@given(titles(), titles(), titles(), st.booleans(), st.booleans())
def test_the_title_is_declared_or_shown(
    declared: str, h1: str, h2: str, article: bool, br: bool
) -> None:
    kind = '<meta property="og:type" content="article">' if article else ""
    head = f'<meta property="og:title" content="{html.escape(declared)}">{kind}'
    shown = html.escape(h1).replace(" ", "<br>", 1) if br else html.escape(h1)
    body = f"<article><h1>{shown}</h1><h2>{html.escape(h2)}</h2><p>Text.</p></article>"
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    title = extract_metadata(lxml.html.document_fromstring(markup)).title
    assert title
    # A piece of the heading: a manual's chapter heading is the title less its number.
    assert title in declared or title in h1 or title in h2


def _title_of(page_title: str, url: str, head: str = "") -> str:
    markup = f"<html><head><title>{html.escape(page_title)}</title>{head}</head></html>"
    return extract_metadata(lxml.html.document_fromstring(markup), url).title


def test_the_site_name_in_brackets_after_the_title_goes() -> None:
    assert _title_of("Welcome to LWN.net [LWN.net]", "https://lwn.net/") == "Welcome to LWN.net"
    assert _title_of("Release notes [draft]", "https://example.com/notes") == (
        "Release notes [draft]"
    )


def test_a_bookshops_author_and_isbn_go_together() -> None:
    amazon = "https://www.amazon.com/dp/0735211299"
    title = "Atomic Habits: An Easy Way: Clear, James: 9780735211292: Amazon.com: Books"
    assert _title_of(title, amazon) == "Atomic Habits: An Easy Way"
    assert _title_of("Atomic Habits: Clear, James: 0-7352-1129-9", amazon) == "Atomic Habits"
    # A number alone is no ISBN to cut: an order's, a phone's.
    assert _title_of("Call us: 5551234567", "https://example.com/") == "Call us: 5551234567"
