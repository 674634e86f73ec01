"""reader.anchor: selectors, and finding highlights again after the text changed.

Unit tests name the cases re-extraction produces (text inserted or removed before,
inside and after a quote, whitespace reflowed, the quote gone); Hypothesis checks the
round trip with repeated quotes, that edits outside a quote never lose it, and that no
text or selector makes `locate` crash or return a range outside the text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.anchor import (
    _OUTWARD_EDITS,
    TextQuoteSelector,
    _closest_edge,
    _Collapsed,
    _column_distances,
    _distance,
    _regions,
    _search_ends,
    find_quote,
    locate,
    make_selector,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARTICLE = (
    "The borrow checker is the part of the compiler that enforces ownership. "
    "Every value has a single owner, and the value is dropped when the owner goes "
    "out of scope. References let you use a value without taking ownership of it.\n\n"
    "Mutable references are exclusive: while one exists, no other reference to the "
    "same value may be used. This rule prevents data races at compile time, which is "
    "why concurrent Rust programs are easier to get right than their C counterparts."
)


def select(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    """The range of the nth occurrence of `quote` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- make_selector --------------------------------------------------------------------


def test_make_selector_takes_context_each_side() -> None:
    start, end = select(ARTICLE, "single owner")
    selector = make_selector(ARTICLE, start, end)
    assert selector.exact == "single owner"
    assert selector.prefix == ARTICLE[start - 32 : start]
    assert selector.suffix == ARTICLE[end : end + 32]
    assert make_selector(ARTICLE, start, end, context=5).prefix == "as a "


def test_make_selector_at_the_edges_has_short_context() -> None:
    assert make_selector("hello world", 0, 5) == TextQuoteSelector("hello", "", " world")
    assert make_selector("hello world", 6, 11) == TextQuoteSelector("world", "hello ", "")


@pytest.mark.parametrize("start, end", [(3, 3), (5, 2), (-1, 3), (0, 12), (11, 12)])
def test_make_selector_refuses_bad_ranges(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="bad range"):
        make_selector("hello world", start, end)


def test_selectors_are_hashable_values() -> None:
    assert {TextQuoteSelector("a", "b", "c"), TextQuoteSelector("a", "b", "c")} == {
        TextQuoteSelector("a", "b", "c")
    }


# --- Exact ----------------------------------------------------------------------------


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    text = "the cat sat on the mat. the dog sat on the cat. the cat ran."
    for nth in range(3):
        start, end = select(text, "the cat", nth)
        selector = make_selector(text, start, end)
        assert locate(text, selector) == (start, end)
        assert locate(text, selector, hint=0) == (start, end)  # context beats a far hint


def test_context_edited_on_both_sides_still_beats_a_chance_agreement() -> None:
    text = "Zebras run fast. the cat sat. Many dogs bark at the cat now and then. Birds fly."
    start, end = select(text, "the cat", 1)
    selector = make_selector(text, start, end)
    changed = text.replace("at the cat now", "at: the cat, now")
    # Exactly counted, the first "the cat" agrees on two characters, this one on one.
    new_start = changed.index("the cat", 20)
    assert locate(changed, selector) == (new_start, new_start + 7)
    assert locate(changed, selector, hint=0) == (new_start, new_start + 7)


def test_hint_breaks_ties_when_the_context_is_the_same() -> None:
    text = "ab " * 40
    selector = TextQuoteSelector("ab", "ab ", " ab")
    assert locate(text, selector, hint=60) == (60, 62)
    assert locate(text, selector, hint=61) == (60, 62)
    assert locate(text, selector, hint=0)[0] == 3  # the first with context both sides


def test_text_inserted_before_moves_the_highlight() -> None:
    start, end = select(ARTICLE, "data races")
    selector = make_selector(ARTICLE, start, end)
    changed = "A new lead paragraph.\n\n" + ARTICLE
    assert locate(changed, selector, hint=start) == (start + 23, end + 23)


def test_text_removed_before_and_after_keeps_the_highlight() -> None:
    start, end = select(ARTICLE, "Mutable references are exclusive")
    selector = make_selector(ARTICLE, start, end)
    changed = ARTICLE[start - 2 :]  # the first paragraph gone
    assert locate(changed, selector, hint=start) == (2, 2 + end - start)
    changed = ARTICLE[: end + 3]  # everything after gone
    assert locate(changed, selector, hint=start) == (start, end)


# --- Whitespace -----------------------------------------------------------------------


def test_reflowed_whitespace_is_matched_and_mapped_back() -> None:
    start, end = select(ARTICLE, "Every value has a single owner")
    selector = make_selector(ARTICLE, start, end)
    changed = ARTICLE.replace("Every value has a", "Every\n  value\thas\xa0a")
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == "Every\n  value\thas\xa0a single owner"


def test_quote_spanning_paragraphs_survives_a_changed_paragraph_break() -> None:
    start, end = select(ARTICLE, "ownership of it.\n\nMutable")
    selector = make_selector(ARTICLE, start, end)
    changed = ARTICLE.replace("of it.\n\nMutable", "of it.\nMutable")
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == "ownership of it.\nMutable"


def test_whitespace_only_quote_is_not_placed_by_whitespace_or_fuzz() -> None:
    assert locate("no spaces here", TextQuoteSelector("\n\n"), hint=0) is None


def test_find_quote_lists_every_place_whitespace_insensitively() -> None:
    text = "one two\nthree, one  two three, one two"
    assert find_quote(text, " one two three ") == [(0, 13), (15, 29)]
    assert find_quote(text, "two") == [(4, 7), (20, 23), (35, 38)]
    assert find_quote(text, "four") == []
    assert find_quote(text, " \n ") == []


# --- Fuzzy ----------------------------------------------------------------------------


def test_words_changed_inside_the_quote() -> None:
    quote = "This rule prevents data races at compile time"
    start, end = select(ARTICLE, quote)
    selector = make_selector(ARTICLE, start, end)
    changed = ARTICLE.replace(quote, "This rule prevents all data races at build time")
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == "This rule prevents all data races at build time"


def test_words_removed_inside_the_quote_and_text_inserted_before() -> None:
    quote = "References let you use a value without taking ownership of it."
    start, end = select(ARTICLE, quote)
    selector = make_selector(ARTICLE, start, end)
    shorter = "References let you use a value without taking ownership."
    changed = "Preface.\n\n" + ARTICLE.replace(quote, shorter)
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == shorter
    # A fifth of the quote gone is too much to call it the same highlight.
    gutted = ARTICLE.replace(quote, "References let you use a value without ownership.")
    assert locate(gutted, selector, hint=start) is None


def test_quote_and_its_context_edited_together() -> None:
    quote = "no other reference to the same value may be used"
    start, end = select(ARTICLE, quote)
    selector = make_selector(ARTICLE, start, end)
    changed = ARTICLE.replace(
        "are exclusive: while one exists, no other reference to the same value may be used. "
        "This rule",
        "are exclusive; while it lives, no other reference to that same value can be used! "
        "The rule",
    )
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == "no other reference to that same value can be used"


def test_typographic_changes_are_small_edits() -> None:
    text = 'He said "it\'s fine" -- and left the room before anyone could answer him.'
    start, end = 3, len(text) - 1
    selector = make_selector(text, start, end)
    changed = text.replace('"', "\u201c", 1).replace('"', "\u201d").replace("'", "\u2019")
    changed = changed.replace("--", "\u2014")
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == changed[3:-1]


def test_edited_quotes_at_the_very_start_and_end_of_the_text() -> None:
    first = "The borrow checker is the part of the compiler"
    selector = make_selector(ARTICLE, 0, len(first))
    changed = ARTICLE.replace("The borrow checker is", "The borrow-checker is")
    assert locate(changed, selector, hint=0) == (0, len(first))
    last = "easier to get right than their C counterparts."
    start = len(ARTICLE) - len(last)
    selector = make_selector(ARTICLE, start, len(ARTICLE))
    changed = ARTICLE.replace("their C counterparts.", "their C++ counterparts.")
    assert locate(changed, selector, hint=start) == (start, len(changed))


def test_fuzzy_match_far_from_the_hint_is_still_found() -> None:
    quote = "the value is dropped when the owner goes out of scope"
    start, end = select(ARTICLE, quote)
    selector = make_selector(ARTICLE, start, end)
    filler = " ".join(f"word{i}" for i in range(3000)) + "\n\n"
    changed = filler + ARTICLE.replace("goes out of", "leaves its")
    found = locate(changed, selector, hint=start)
    assert found is not None
    assert changed[found[0] : found[1]] == "the value is dropped when the owner leaves its scope"


def test_a_repeated_suffix_does_not_hide_the_edited_quote() -> None:
    # The suffix " mia" occurs four times within reach of the quote's end; the quote with
    # a word inserted ends before the last of them, not the first.
    text = "mii mii mii mii mii mii mia mia mii mia"
    selector = make_selector(text, 0, 35)
    changed = "mii mii mii mii mii mia mii mia mia mii mia"
    assert locate(changed, selector, hint=0) == (0, 39)


def test_removed_quote_is_not_found() -> None:
    quote = "This rule prevents data races at compile time, "
    start, end = select(ARTICLE, quote)
    selector = make_selector(ARTICLE, start, end)
    assert locate(ARTICLE.replace(quote, ""), selector, hint=start) is None
    rewritten = ARTICLE.replace(quote, "Compilers check the rule before any program runs, ")
    assert locate(rewritten, selector, hint=start) is None


def test_short_quote_with_an_edit_needs_its_context() -> None:
    text = "We met at the station at noon and left by the evening train."
    selector = TextQuoteSelector("the stations", "We met at ", " at noon")
    assert locate(text, selector) == (10, 21)  # context agrees: "the station"
    lone = TextQuoteSelector("the stations", "somewhere else ", " entirely")
    assert locate(text, lone) is None  # one edit in 12 characters is too easy to find


def test_nothing_to_find() -> None:
    assert locate("", TextQuoteSelector("x")) is None
    assert locate("text", TextQuoteSelector("")) is None
    assert locate("text", TextQuoteSelector("z")) is None


def test_long_article_worst_case_runs_every_stage() -> None:
    """A 20,000-word text where the quote is gone: every stage runs over the whole text."""
    rng = random.Random(5)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(500)
    ]
    text = " ".join(rng.choice(vocab) for _ in range(20_000))
    start = text.index(" ", len(text) // 2) + 1
    end = start + 300
    selector = make_selector(text, start, end)
    assert locate(text, selector, hint=0) == (start, end)
    edited = text[: start + 100] + "INSERTED WORDS" + text[start + 110 :]
    found = locate(edited, selector, hint=0)
    assert found == (start, end + 4)
    assert locate(text[:start] + text[end:], selector, hint=start) is None


# --- The approximate-matching core against a plain dynamic programme ------------------


def _levenshtein_row(pattern: str, text: str, free_start: bool) -> list[int]:
    row = [0 if free_start else j for j in range(len(text) + 1)]
    for i, a in enumerate(pattern, 1):
        new = [i]
        for j, b in enumerate(text, 1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (a != b)))
        row = new
    return row


@FAST
@given(st.text("abc", min_size=1, max_size=10), st.text("abcd", max_size=16), st.integers(0, 4))
def test_approximate_matching_agrees_with_dynamic_programming(
    pattern: str, text: str, k: int
) -> None:
    row = _levenshtein_row(pattern, text, False)  # row[n]: edits between pattern, text[:n]
    assert _column_distances(pattern, text, anchored=True, limit=99) == list(enumerate(row))
    free = list(enumerate(_levenshtein_row(pattern, text, True)))
    assert _column_distances(pattern, text, False, k) == [(n, d) for n, d in free if d <= k]
    closest = min(range(len(row)), key=lambda n: (row[n], abs(n - len(pattern))))
    assert _closest_edge(pattern, text) == (row[closest], closest)
    back = _levenshtein_row(pattern[::-1], text[::-1], False)  # the same from the end
    closest = min(range(len(back)), key=lambda n: (back[n], abs(n - len(pattern))))
    assert _closest_edge(pattern, text, at_end=True) == (back[closest], closest)
    assert _distance(pattern, text) == row[-1]
    scores = _levenshtein_row(pattern, text, True)
    ends = _search_ends(pattern, text, 0, len(text), k)
    good = {j for j in range(1, len(text) + 1) if scores[j] <= k}
    assert set(ends) <= good
    assert bool(ends) == bool(good)
    # Each reported end is the best of its run of adjacent matching ends.
    for end in ends:
        assert all(scores[end] <= scores[j] for j in (end - 1, end + 1) if j in good)


@pytest.mark.parametrize("seed", range(4))
def test_closest_edge_far_off_takes_one_pass_with_the_same_answer(seed: int) -> None:
    rng = random.Random(seed)
    pattern = "".join(rng.choice("abcd ") for _ in range(120))
    text = "".join(rng.choice("abcd ") for _ in range(150))  # some 60 edits away
    for at_end, p, t in ((False, pattern, text), (True, pattern[::-1], text[::-1])):
        row = _levenshtein_row(p, t, False)
        closest = min(range(len(row)), key=lambda n: (row[n], abs(n - len(pattern))))
        assert row[len(pattern)] > _OUTWARD_EDITS  # beyond the outward search's reach
        assert _closest_edge(pattern, text, at_end=at_end) == (row[closest], closest)


@FAST
@given(st.text("abc", min_size=1, max_size=12), st.text("abcd", max_size=40), st.integers(0, 4))
def test_qgram_filter_keeps_every_match(pattern: str, text: str, k: int) -> None:
    regions = _regions(pattern, text, 0, len(text), k)
    assert all(0 <= lo < hi <= len(text) for lo, hi in regions)
    assert all(a[1] < b[0] for a, b in pairwise(regions))
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - len(pattern) - k), end):
            if _distance(pattern, text[start:end]) <= k:
                assert any(lo <= start and end <= hi for lo, hi in regions), (start, end)


@FAST
@given(st.text("ab \n\t\xa0", max_size=40), st.text("ab \n", max_size=8))
def test_collapsed_text_maps_back_to_the_original(text: str, quote: str) -> None:
    collapsed = _Collapsed(text)
    assert collapsed.text == re.sub(r"\s+", " ", text)
    for pos, char in enumerate(collapsed.text):
        original = collapsed.original(pos)
        if char == " ":  # the first character of its run of whitespace
            assert text[original].isspace()
            assert original == 0 or not text[original - 1].isspace()
        else:
            assert text[original] == char
    needle = squash(quote)
    places = find_quote(text, quote)
    if needle:
        assert len(places) == occurrences(collapsed.text, needle)
    for start, end in places:
        assert squash(text[start:end]) == needle
        assert not text[start].isspace() and not text[end - 1].isspace()


# --- Properties -----------------------------------------------------------------------


@st.composite
def text_and_range(draw: st.DrawFn, alphabet: str = "ab \n") -> tuple[str, int, int]:
    text = draw(st.text(alphabet, min_size=1, max_size=80))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@FAST
@given(text_and_range(), st.integers(0, 40))
def test_round_trip_with_repeated_quotes(case: tuple[str, int, int], context: int) -> None:
    text, start, end = case
    selector = make_selector(text, start, end, context)
    assert locate(text, selector, hint=start) == (start, end)
    found = locate(text, selector)  # without the hint: an equally good occurrence
    assert found is not None
    assert text[found[0] : found[1]] == selector.exact


WORDS = [f"{a}{b}" for a in ("lo", "ra", "mi", "tesu", "vak", "nor") for b in "aeiouxyz"]


@st.composite
def article_and_quote(draw: st.DrawFn, min_words: int = 1) -> tuple[list[str], int, int]:
    """Words (from a small vocabulary, so phrases repeat) and a quote of whole words."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=max(4, min_words), max_size=120))
    first = draw(st.integers(0, len(words) - min_words))
    last = draw(st.integers(first + min_words - 1, min(len(words) - 1, first + 12)))
    return words, first, last + 1


def occurrences(text: str, quote: str) -> int:
    """How many times `quote` occurs in `text`, overlapping ones included."""
    return sum(text.startswith(quote, i) for i in range(len(text)))


def places_within(quote: str, text: str, edits: int) -> Iterator[tuple[int, int]]:
    """Every range of `text` at most `edits` edits from `quote` (exhaustively)."""
    for start in range(len(text)):
        shortest = start + max(1, len(quote) - edits)
        for end in range(shortest, min(len(text), start + len(quote) + edits) + 1):
            if _distance(quote, text[start:end]) <= edits:
                yield start, end


def _offsets(words: list[str], first: int, stop: int) -> tuple[int, int]:
    start = sum(len(w) + 1 for w in words[:first])
    return start, start + len(" ".join(words[first:stop]))


@FAST
@given(article_and_quote(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=20), st.data())
def test_edits_outside_the_quote_never_lose_it(
    case: tuple[list[str], int, int], inserted: list[str], data: st.DataObject
) -> None:
    words, first, stop = case
    text = " ".join(words)
    start, end = _offsets(words, first, stop)
    selector = make_selector(text, start, end)
    where = data.draw(st.sampled_from(["before", "after", "delete-before", "delete-after"]))
    if where == "before":
        at = data.draw(st.integers(0, first))
        new_words, new_first = words[:at] + inserted + words[at:], first + len(inserted)
    elif where == "after":
        at = data.draw(st.integers(stop, len(words)))
        new_words, new_first = words[:at] + inserted + words[at:], first
    elif where == "delete-before":
        at = data.draw(st.integers(0, first))
        new_words, new_first = words[:at] + words[first:], at
    else:
        new_words, new_first = words[:stop], first
    new_text = " ".join(new_words)
    found = locate(new_text, selector, hint=start)
    assert found is not None
    assert new_text[found[0] : found[1]] == selector.exact
    new_start, new_end = _offsets(new_words, new_first, new_first + stop - first)
    if occurrences(text, selector.exact) == occurrences(new_text, selector.exact) == 1:
        assert found == (new_start, new_end)


@FAST
@given(article_and_quote(), st.lists(st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\xa0"])))
def test_reflowed_whitespace_finds_the_same_words(
    case: tuple[list[str], int, int], separators: list[str]
) -> None:
    words, first, stop = case
    text = " ".join(words)
    start, end = _offsets(words, first, stop)
    selector = make_selector(text, start, end)
    seps = separators or [" "]
    new_text = "".join(w + seps[i % len(seps)] for i, w in enumerate(words))
    found = locate(new_text, selector, hint=start)
    assert found is not None
    assert squash(new_text[found[0] : found[1]]) == squash(selector.exact)


@FAST
@given(
    article_and_quote(min_words=8),
    st.sampled_from(WORDS),
    st.sampled_from(["replace", "insert", "delete"]),
    st.data(),
)
def test_a_word_changed_inside_a_long_quote_is_found_fuzzily(
    case: tuple[list[str], int, int], word: str, edit: str, data: st.DataObject
) -> None:
    words, first, stop = case
    text = " ".join(words)
    start, end = _offsets(words, first, stop)
    selector = make_selector(text, start, end)
    at = data.draw(st.integers(first + 1, stop - 2))  # not the first or last word
    if edit == "replace":
        new_words, new_stop = [*words[:at], word, *words[at + 1 :]], stop
    elif edit == "insert":
        new_words, new_stop = [*words[:at], word, *words[at:]], stop + 1
    else:
        new_words, new_stop = [*words[:at], *words[at + 1 :]], stop - 1
    new_text = " ".join(new_words)
    new_start, new_end = _offsets(new_words, first, new_stop)
    quote = new_text[new_start:new_end]

    def the_same_place(start: int, end: int) -> bool:
        placed = new_text[start:end]
        return start < new_end and end > new_start and _distance(quote, placed) <= len(quote) // 5

    # The matcher takes the place closest to the old quote (context and hint break ties).
    # In repetitive text an edit can leave another place at least as close: the old quote
    # itself elsewhere, or the quote shifted by a word ("tesua" inserted after the first of
    # eight quoted "loa" that follow "tesua " makes "tesua " and seven "loa", 4 edits from
    # the old quote with all its context, while the edited quote is 6 edits away). Nothing
    # in the selector says which was meant, so the test asks only when no rival is there.
    edits = _distance(selector.exact, quote)
    assume(all(the_same_place(*place) for place in places_within(selector.exact, new_text, edits)))
    found = locate(new_text, selector, hint=start)
    assert found is not None
    assert found[0] < new_end and found[1] > new_start  # the same place
    assert _distance(quote, new_text[found[0] : found[1]]) <= len(quote) // 5


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=120),
    st.builds(
        TextQuoteSelector,
        st.text(min_size=0, max_size=40),
        st.text(max_size=40),
        st.text(max_size=40),
    ),
    st.none() | st.integers(-50, 200),
)
def test_random_texts_and_selectors_give_valid_ranges_or_none(
    text: str, selector: TextQuoteSelector, hint: int | None
) -> None:
    found = locate(text, selector, hint)
    if found is not None:
        start, end = found
        assert 0 <= start < end <= len(text)


@FAST
@given(text_and_range("abc \n"), text_and_range("abc \n"))
def test_selector_from_another_text_gives_a_close_match_or_none(
    case: tuple[str, int, int], other: tuple[str, int, int]
) -> None:
    text, start, _ = case
    selector = make_selector(other[0], other[1], other[2])
    found = locate(text, selector, hint=start)
    if found is not None:
        quote = selector.exact
        placed = text[found[0] : found[1]]
        assert (
            placed == quote
            or squash(placed) == squash(quote)
            or (_distance(quote, placed) <= max(len(quote), len(placed)) // 5)
        )
