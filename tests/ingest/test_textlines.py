"""The line rules of text articles: dates, bylines, promos, the source URL."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.ingest.textlines import (
    PROMO_PATTERNS,
    byline_of,
    header_facts,
    is_promo,
    mend_url,
    parse_date,
    site_from_url,
    source_label,
)


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("January 10, 2022", "2022-01-10"),
        ("Jan. 10, 2022", "2022-01-10"),
        ("10 Jan 2022", "2022-01-10"),
        ("10 January 2022", "2022-01-10"),
        ("Monday, January 10, 2022", "2022-01-10"),
        ("January 10th, 2022", "2022-01-10"),
        ("2022-01-10", "2022-01-10"),
        ("20220110", "2022-01-10"),
        ("10.01.2022", "2022-01-10"),  # dots: day first
        ("1.2.2022", "2022-02-01"),
        ("2022/01/10", "2022-01-10"),
        ("Updated: January 10, 2022", "2022-01-10"),
        ("Last updated 10 Jan 2022", "2022-01-10"),
        ("Published on 10.01.2022", "2022-01-10"),
        ("Posted: Jan 10, 2022 at 9:15 am", "2022-01-10T09:15:00"),
        ("10 January 2022 14:30 GMT", "2022-01-10T14:30:00+00:00"),
        ("2022-01-10T12:00:00+01:00", "2022-01-10T12:00:00+01:00"),
        ("2022-01-10T12:00:00Z", "2022-01-10T12:00:00+00:00"),
        ("2024-02-01T09:30:00 (UTC +01:00)", "2024-02-01T09:30:00+01:00"),  # MarkDownload
        ("January 10, 2022.", "2022-01-10"),
    ],
)
def test_date_lines(line: str, iso: str) -> None:
    assert parse_date(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "May 2022",  # no day
        "January 10",  # no year
        "Monday",
        "2022",
        "3 4 2005",  # numbers, no month and no date separators
        "Putin said Monday.",
        "By Jane Doe",
        "AFP contributed reporting.",
        "10 min read",
        "January 10, 2022, the council met and voted on the budget for the harbour.",
        "February 30, 2022",
        "January 10, 1066",  # not a publication date
        "",
    ],
)
def test_lines_that_are_not_dates(line: str) -> None:
    assert parse_date(line) is None


def test_dates_yaml_reads() -> None:
    assert parse_date(dt.date(2024, 3, 5)) == "2024-03-05"
    assert parse_date(dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)) == "2024-03-05T10:00:00+00:00"
    assert parse_date(20240305) is None and parse_date(None) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("BY JANE DOE", "JANE DOE"),
        ("Written by Jane Doe", "Jane Doe"),
        ("Author: Jane Doe", "Jane Doe"),
        ("By Jane Doe, Reuters", "Jane Doe"),
    ],
)
def test_bylines(line: str, names: str) -> None:
    assert byline_of(line) == names


@pytest.mark.parametrize(
    "line",
    ["By the time we arrived, the ferry had gone.", "Byzantine walls", "Jane Doe", "By"],
)
def test_not_bylines(line: str) -> None:
    assert byline_of(line) is None


def test_header_lines_combine_facts() -> None:
    assert header_facts("By Jane Doe | January 10, 2022 | 5 min read") == (
        "2022-01-10",
        "Jane Doe",
        False,
    )
    assert header_facts("Updated: 10.01.2022") == ("2022-01-10", None, True)
    assert header_facts("January 10, 2022 · Opinion piece") is None
    assert header_facts("5 min read") is None  # nothing worth keeping


# One example of each promo pattern, in the order of PROMO_PATTERNS.
PROMOS = (
    "Related article: Harbour Traffic Back to Normal",
    "Read more: What the storm left behind",
    "Also read: The canal's long history",
    "More: Harbour news",
    "More from the harbour: Ferries",
    "Recommended",
    "Advertisement",
    "Story continues below advertisement",
    "Continue reading the main story",
    "Scroll to continue with content",
    "Subscribe to our newsletter",
    "Sign up for the morning briefing",
    "Get our free daily newsletter",
    "Follow us on Mastodon",
    "Share this article",
    "Click here to read the full report",
    "Watch: The ferry leaves the dock",
    "Listen to this article",
    "Trending now: Canal repairs",
    "Download our app",
)


def test_one_example_of_each_promo() -> None:
    assert len(PROMOS) == len(PROMO_PATTERNS)
    import re

    for example, pattern in zip(PROMOS, PROMO_PATTERNS, strict=True):
        assert re.fullmatch(pattern, example, re.IGNORECASE), (example, pattern)
        assert is_promo(example)
        assert is_promo(example.upper())


@pytest.mark.parametrize(
    "line",
    [
        "AFP contributed reporting.",
        "Reuters contributed to this report.",
        "Additional reporting by Jane Doe.",
        "Subscribers to the ferry service said the change was overdue.",
        "Readers wrote in by the hundred.",
        "Related issues were left for the next meeting of the council.",
        "Sign language interpreters were present.",
        "Share prices rose.",
        "Advertisements for the ferry ran for a month before the vote was held.",
    ],
)
def test_credit_lines_and_prose_are_no_promos(line: str) -> None:
    assert not is_promo(line)


def test_a_long_line_is_never_a_promo() -> None:
    assert not is_promo("Read more: " + "word " * 60)


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("Original url:", ""),
        ("Original URL: https://e.x/a", "https://e.x/a"),
        ("Source: https://e.x/a", "https://e.x/a"),
        ("URL: https://e.x/a", "https://e.x/a"),
        ("Saved from: https://e.x/a", "https://e.x/a"),
        ("Source: Reuters", "Reuters"),
        ("The source: none", None),
        ("Sources say so", None),
    ],
)
def test_source_labels(line: str, rest: str | None) -> None:
    assert source_label(line) == rest


@pytest.mark.parametrize(
    ("text", "whole", "url"),
    [
        (
            "https://e.x/2022/01/10/story-put in-a76000",
            False,
            "https://e.x/2022/01/10/story-putin-a76000",
        ),
        (
            "https://e.x/2022/01/10/story-put\nin-a76000",
            True,
            "https://e.x/2022/01/10/story-putin-a76000",
        ),
        ("https://e.x/a-long-\npath/to/it", False, "https://e.x/a-long-path/to/it"),
        ("https://e.x/some thing", True, "https://e.x/something"),
        ("https://e.x/some thing", False, "https://e.x/some"),  # a plain word after a URL
        ("https://e.x/story Reuters reported", False, "https://e.x/story"),
        ("https://e.x/story.", False, "https://e.x/story"),
        ("<https://e.x/story>", False, None),
        ("javascript:alert(1)", True, None),
        ("ftp://e.x/file", True, None),
        ("Reuters", True, None),
    ],
)
def test_mend_url(text: str, whole: bool, url: str | None) -> None:
    assert mend_url(text, whole=whole) == url


def test_site_from_url() -> None:
    assert site_from_url("https://www.harbour-news.example/2022/x") == "harbour-news.example"
    assert site_from_url("https://blog.example.org/") == "blog.example.org"
    assert site_from_url(None) is None and site_from_url("not a url") is None
