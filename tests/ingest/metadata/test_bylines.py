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
        # Credentials stay with their name, as written; an all-capitals byline has none.
        ("By Brenda Goodman, MA\n WebMD Health News", "Brenda Goodman, MA"),
        ("Dylan Bailey, MS, RD, FAND", "Dylan Bailey, MS, RD, FAND"),
        ("Michael Greger, M.D. FACLM", "Michael Greger, M.D. FACLM"),
        ("Holly Wilgus, E-RYT 200", "Holly Wilgus, E-RYT 200"),
        ("Ann Lee, PhD and Bo Chen, MD", "Ann Lee, PhD and Bo Chen, MD"),
        ("JANE DOE, JOHN ROE", "JANE DOE and JOHN ROE"),
        ("Jane Doe, AP", "Jane Doe"),
        # A name that begins like a month is a name; a month alone is not.
        ("Maria & Katerina", "Maria and Katerina"),
        ("Maria &amp; Katerina", "Maria and Katerina"),
        ("Mar 3", None),
        # A forum's user names end in digits; an id is no one's name.
        ("Pippin06", "Pippin06"),
        ("user3080392", "user3080392"),
        ("mdq6vkpg2ma0ci", None),
        ("via\nscvalex\n1 year ago", "scvalex"),
        # A house byline, when it is all there is; a role is no one.
        ("Podium Staff", "Podium Staff"),
        ("SFist Contributor", "SFist Contributor"),
        ("Jane Doe, Podium Staff", "Jane Doe"),
        ("Senior Staff", None),
        # A date glued before the name.
        ("Dec 17, 2025Julian K. Arni", "Julian K. Arni"),
        ("GILLIAN MOHNEY\nMarch 11, 2015 3:46 PM", "GILLIAN MOHNEY"),
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
