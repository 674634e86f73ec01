"""reader.archive.snippets: a page's snippets for a query of very common words, made
in Python the way FTS5's snippet() marks them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from reader.archive.snippets import opening, plain_words, snippet, unmatched
from reader.models import MATCH_END, MATCH_START

THE = frozenset({"the"})


def shown(text: str) -> str:
    return text.replace(MATCH_START, "[").replace(MATCH_END, "]")


def test_the_window_starts_a_few_tokens_before_the_first_match_and_marks_each() -> None:
    text = "One two three four five six the seven, The eight nine ten theory"
    assert shown(snippet(text, THE, 10, "…") or "") == (
        "…three four five six [the] seven, [The] eight nine ten…"
    )
    # A short window keeps the match in it: fewer tokens before it.
    assert shown(snippet(text, THE, 3, "…") or "") == "…six [the] seven…"
    # A window that would run past the end starts earlier, as FTS5's does.
    assert shown(snippet(text, THE, 11, "…") or "") == (
        "…three four five six [the] seven, [The] eight nine ten theory"
    )
    assert shown(snippet(text, THE, 20, "…") or "") == (
        "One two three four five six [the] seven, [The] eight nine ten theory"
    )


def test_a_match_at_the_start_has_no_ellipsis_before_it() -> None:
    assert shown(snippet("The end", THE, 24, "…") or "") == "[The] end"


def test_a_word_only_inside_another_or_absent_is_no_match() -> None:
    assert snippet("theory other bathe", THE, 24, "…") is None
    # `_` separates tokens for unicode61, as punctuation does.
    assert shown(snippet("x the_y", THE, 24, "…") or "") == "x [the]_y"


def test_only_plain_ascii_words_are_made_here() -> None:
    assert plain_words(["The", "of"]) == frozenset({"the", "of"})
    assert plain_words(["café"]) is None  # the tokenizer folds its diacritics
    assert plain_words(["don't"]) is None  # two tokens
    assert plain_words([]) is None


@given(
    st.lists(st.sampled_from(["the", "The", "of", "cat", "théory", "x_y", "42", ",", ".", "\n"])),
    st.integers(1, 30),
)
def test_a_snippet_is_the_text_with_its_matches_marked(words: list[str], tokens: int) -> None:
    text = " ".join(words)
    made = snippet(text, frozenset({"the", "of"}), tokens, "…")
    if made is None:
        assert not re.search(r"(?<![^\W_])(the|of)(?![^\W_])", text, re.IGNORECASE)
        return
    marked = re.findall(f"{MATCH_START}(.*?){MATCH_END}", made)
    assert marked and all(m.lower() in ("the", "of") for m in marked)
    plain = made.replace(MATCH_START, "").replace(MATCH_END, "").strip("…")
    assert plain in text
    assert len(re.findall(r"[^\W_]+", plain)) <= tokens


def test_a_long_text_before_the_match_is_cut_at_a_token() -> None:
    text = "x" * 150 + " " + "abcdefghij " * 10 + "the end" + " more" * 30
    made = shown(snippet(text, THE, 24, "…") or "")
    assert made == "…abcdefghij abcdefghij abcdefghij abcdefghij [the] end" + " more" * 18 + "…"


def test_a_prefix_marks_each_token_that_begins_with_it() -> None:
    text = "A quaternion, two quats and one equator; Quattro."
    made = snippet(text, frozenset(), 24, "…", frozenset({"quat"}))
    assert shown(made or "") == "A [quaternion], two [quats] and one equator; [Quattro]."
    assert snippet("equator", frozenset(), 24, "…", frozenset({"quat"})) is None


def test_an_opening_is_the_first_tokens_unmarked() -> None:
    assert opening("One two, three four five six", 5, "…") == "One two, three four five…"
    assert opening("Short.", 5, "…") == "Short."
    assert opening("", 5, "…") == ""


def test_unmatched_is_said_only_where_the_tokenizer_would_find_nothing() -> None:
    quat = frozenset({"quat"})
    assert unmatched("An equator, “quoted” — and so on", THE, quat)
    assert not unmatched("A Quatrain", frozenset(), quat)
    # Diacritics are removed, as unicode61 removes them: `quàtre` begins with `quat`.
    assert not unmatched("Un quàtre", frozenset(), quat)
    assert unmatched("Un été", THE, quat)
    # A letter with no ASCII base (`ø`): only FTS5 can tell.
    assert not unmatched("Ørsted", THE, quat)
