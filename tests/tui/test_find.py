"""Find in an article (reader.tui.find): pure matching over the text, no screen."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.tui.find import MAX_MATCHES, Finder, first_from, fold, fold_char, step

TEXT = "Café society. The CAFE opened; a café's crème brûlée.\nStraße and STRASSE."


def found(text: str, query: str) -> list[str]:
    return [text[s:e] for s, e in Finder(text).find(query)]


def test_case_and_accents_do_not_matter() -> None:
    assert found(TEXT, "cafe") == ["Café", "CAFE", "café"]
    assert found(TEXT, "CAFÉ") == ["Café", "CAFE", "café"]
    assert found(TEXT, "creme brulee") == ["crème brûlée"]
    assert found(TEXT, "brûlée.\nstr") == ["brûlée.\nStr"]
    assert found(TEXT, "brulee. straße") == ["brûlée.\nStraße"]  # whitespace is whitespace
    assert found(TEXT, "strasse") == ["STRASSE"]  # ß is not two letters here
    assert found(TEXT, "nothing") == [] and found(TEXT, "  ") == [] and found("", "a") == []


def test_folding_keeps_one_character_for_one() -> None:
    assert fold("Ärger É Å ß İ 한 ﬁ\t\n") == "arger e a ß i 한 ﬁ  "
    assert fold_char("한") == "한"  # Hangul decomposes into letters, not accents: kept


def test_matches_do_not_overlap_and_are_capped() -> None:
    assert Finder("aaaa").find("aa") == [(0, 2), (2, 4)]
    assert len(Finder("a" * (MAX_MATCHES + 5)).find("a")) == MAX_MATCHES
    assert Finder("ab " * 10).find("ab", limit=3) == [(0, 2), (3, 5), (6, 8)]


def test_stepping_wraps_round() -> None:
    matches = [(2, 4), (10, 12), (20, 22)]
    assert first_from(matches, 0) == 0 and first_from(matches, 10) == 1
    assert first_from(matches, 11) == 2 and first_from(matches, 21) == 0
    assert step(matches, 10) == 2 and step(matches, 20) == 0 and step(matches, 5) == 1
    assert step(matches, 10, forward=False) == 0 and step(matches, 2, forward=False) == 2
    assert step(matches, 15, forward=False) == 1
    assert first_from([], 3) is None and step([], 3) is None


texts = st.lists(st.sampled_from([*"aAbBé É\nß", "e\u0301", "İ", "한"]), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_fold_is_one_for_one(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(texts, texts.filter(lambda q: bool(q.strip())))
def test_find_is_every_folded_occurrence(text: str, query: str) -> None:
    matches = Finder(text).find(query)
    # Each match reads as the query, folded; in order, none overlapping.
    for start, end in matches:
        assert fold(text[start:end]) == fold(query)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(matches))
    # The same as a plain search of the folded text for the folded query.
    expected = [(m.start(), m.end()) for m in re.finditer(re.escape(fold(query)), fold(text))]
    assert matches == expected
    # Case does not matter (where changing the case keeps the length).
    upper = query.upper()
    if len(upper) == len(query):
        assert Finder(text).find(upper) == matches
