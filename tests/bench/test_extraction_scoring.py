"""How bench/extraction.py compares a title and an author with the expected ones: the
title as expected, or less its site's name (issue 19's allowance); the same people;
decided without reader's own code."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.extraction_scoring import (
    domain_names,
    page_site_names,
    people,
    same_author,
    same_title,
    squash,
)


@pytest.mark.parametrize(
    ("host", "names"),
    [
        ("www.example.co.uk", ["example", "example.co.uk"]),
        ("blog.example.com", ["example", "example.com"]),
        ("example.org", ["example", "example.org"]),
        ("m.example.com.au", ["example", "example.com.au"]),
        ("co.uk", ["co", "co.uk"]),
        ("localhost", ["localhost"]),
        (None, []),
        ("", []),
    ],
)
def test_a_domain_names_its_site(host: str | None, names: list[str]) -> None:
    assert domain_names(host) == names


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        ("Post title", "Post title"),
        ("Post  Title", "post title"),  # squashed: case and spaces
        ("It’s – here", "It's - here"),  # typographic quotes and dashes as plain
        ("Post title | Example News", "Post title"),  # the site's declared name
        ("Post title - example news", "Post title"),  # in any case
        ("Example-News: Post title", "Post title"),  # at the front, punctuation aside
        ("Post title — Sitename", "Post title"),  # the domain's name
        ("Sitename » Post title", "Post title"),
        ("Post title :: SITENAME", "Post title"),
        ("Sitename.co.uk - Post title", "Post title"),  # the domain itself
        ("Post title - Example News - Docs", "Post title"),  # a name holding a separator
        ("Example News: Part - Two", "Part - Two"),
    ],
)
def test_the_title_or_the_title_less_a_known_site(expected: str, got: str) -> None:
    assert same_title(expected, got, ["Example News", "Example News - Docs"], "www.sitename.co.uk")


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        # A product name holding the site's is not the site's name: its cut is wrong.
        ("Example Shirt - Black", "Black"),
        ("Example News Weekly | Post title", "Post title"),
        # Only a name at an end, behind a separator, goes.
        ("Post title by Example News", "Post title by"),
        ("Post title | Example News | More", "Post title"),
        ("Post title | Example News | Example News", "Post title"),  # one name goes
        ("Post title - Example.com", "Post title"),  # another domain
        # A part that is not a known name stays: no guessing what a site is.
        ("Post title | Professional Tutoring", "Post title"),
        ("Post title", "Post"),
        ("", "Post title"),
    ],
)
def test_nothing_looser(expected: str, got: str) -> None:
    assert not same_title(expected, got, ["Example News"], "sitename.com")


def test_without_known_names_only_the_title_as_expected() -> None:
    assert not same_title("Post title | Example News", "Post title", [], None)
    assert not same_title("Post title | Example News", "Post title", ["", "  "], None)


def test_it_does_not_use_readers_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The expectation is made without the code the bench judges: with reader's title
    rules out of reach, the comparison is the same."""
    monkeypatch.setitem(sys.modules, "reader.ingest.metadata.titles", None)
    monkeypatch.setitem(sys.modules, "reader.ingest.metadata.sites", None)
    monkeypatch.setitem(sys.modules, "reader.ingest.metadata", None)
    assert same_title("Post title | Example News", "Post title", ["Example News"], None)


def test_the_page_declares_its_site() -> None:
    page = b"""<html><head>
    <meta property="og:site_name" content=" Example News ">
    <script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",
      "publisher": {"@type": "Organization", "name": "Example Media"}}]}</script>
    <script type="application/ld+json">{"publisher": ["Acme"]}</script>
    <script type="application/ld+json">not json</script>
    </head><body></body></html>"""
    assert page_site_names(page) == ["Example News", "Example Media", "Acme"]
    assert page_site_names(b"") == []
    assert page_site_names("<p>no head</p>") == []


@given(
    st.text(alphabet="ab |-:–", max_size=30),
    st.text(alphabet="ab |-:–", max_size=30),
    st.lists(st.text(alphabet="ab", max_size=5), max_size=3),
)
def test_a_title_is_itself_or_a_part_of_it(title: str, other: str, names: list[str]) -> None:
    assert same_title(title, title, names, None)
    if same_title(title, other, names, "ab.com"):
        assert squash(other) in squash(title)


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        ("Jane Doe", "Jane Doe"),
        ("Jane  Doe", "jane doe"),  # squashed
        ("Jane Doe, John Roe", "John Roe and Jane Doe"),  # in any order, however joined
        ("Maria & Katerina", "Katerina and Maria"),
        ("Sergio M | The Texas Newsroom", "Sergio M, The Texas Newsroom"),
        ("By Ana Sandoiu", "Ana Sandoiu"),  # a byline as printed (Mozilla's)
        ("Written by Rob E\n  and Betsy B", "Rob E, Betsy B"),
        ("Dylan Bailey, MS, RD", "Dylan Bailey, MS, RD"),
    ],
)
def test_the_same_people(expected: str, got: str) -> None:
    assert same_author(expected, got)


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        ("Maria & Katerina", "Katerina"),  # one of them lost
        ("Rui Ma, Heba Ledwon", "Rui Ma"),
        ("Dylan Bailey, MS, RD, FAND", "Dylan Bailey, RD and FAND"),
        ("Pippin06", None),  # a forum's user is an author
        ("Follow Author", None),  # a ground truth that names no one still counts
        ("Matt Brooks", "Matt_Brooks"),
        ("Jane Doe", "Jane Doe and John Roe"),  # one too many
    ],
)
def test_no_one_lost_or_added(expected: str, got: str | None) -> None:
    assert not same_author(expected, got)


def test_the_author_comparison_does_not_use_readers_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "reader.ingest.metadata.bylines", None)
    monkeypatch.setitem(sys.modules, "reader.ingest.metadata", None)
    assert same_author("Jane Doe & John Roe", "John Roe, Jane Doe")


@given(st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=12), min_size=1, max_size=4))
def test_a_list_of_names_is_its_people_in_any_order(names: list[str]) -> None:
    joined = ", ".join(names)
    assert same_author(joined, " and ".join(reversed(names)))
    assert people(joined) == people(" | ".join(names))
