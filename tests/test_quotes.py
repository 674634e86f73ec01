"""reader.quotes: when two quotes are the same highlight."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.quotes import comparable_quote


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("It’s here", "It's here"),
        ("“Quoted”", '"quoted"'),
        ("a — b", "a - b"),
        ("wait…", "wait..."),
        ("two\n\nparagraphs", "two paragraphs"),
        ("non\u00a0breaking", "non breaking"),
        ("soft\u00adhyphen", "softhyphen"),
        ("ﬁne", "fine"),
    ],
)
def test_the_same_quote(one: str, other: str) -> None:
    assert comparable_quote(one) == comparable_quote(other)


def test_other_words_are_another_quote() -> None:
    assert comparable_quote("the cat sat") != comparable_quote("the cat sits")


@given(st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    once = comparable_quote(text)
    assert comparable_quote(once) == once
