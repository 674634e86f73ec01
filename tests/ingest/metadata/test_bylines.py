"""Bylines as names only: what pages write, and what is kept."""

from __future__ import annotations

import pytest

from reader.ingest.metadata.bylines import clean_byline


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe | Staff Writer", "Jane Doe"),
        ("by JANE DOE", "JANE DOE"),
        ("Par Sébastien Farcis", "Sébastien Farcis"),
        ("Ann Lee, Bo Chen and Cy Dee", "Ann Lee, Bo Chen and Cy Dee"),
        ("Ann Lee & Bo Chen", "Ann Lee and Bo Chen"),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", "Bradley M. Kuhn"),
        ("Alex Perry 1 day ago", "Alex Perry"),
        ("By Brenda Goodman, MA\n WebMD Health News", "Brenda Goodman"),
        ("Jane Doe, Associated Press", "Jane Doe"),
        ("Associated Press", "Associated Press"),
        ("Updated March 3, 2020", None),
        ("https://example.com/author/x", None),
        ("Sign In", None),
        ("", None),
        # Text of several elements run together: a month glued on, an avatar's initials.
        ("Luke KimDecember 17, 2025", "Luke Kim"),
        ("CM\nCraig McCarthy", "Craig McCarthy"),
        ("J\nJulian Gee", "Julian Gee"),
        ("raoul\n(raoul)", "raoul"),
        ("Sun Dec", None),
        ("The Author", None),
        ("Liz Kenny\nFormer McKinsey Consultant", "Liz Kenny"),
    ],
)
def test_clean_byline(raw: str, expected: str | None) -> None:
    assert clean_byline(raw) == expected
