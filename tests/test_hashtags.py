"""What a #word in a note is (reader.hashtags): examples of each rule, and Hypothesis
over any text: every tag found is one a highlight may be tagged with, written back as
#words it reads as the same tags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.hashtags import (
    MAX_HIGHLIGHT_TAG_LENGTH,
    HighlightTagError,
    clean_highlight_tag,
    note_tags,
)


@pytest.mark.parametrize(
    ("note", "tags"),
    [
        ("#idea", ("idea",)),
        ("an #idea, and (#two) [#three]!", ("idea", "two", "three")),
        (
            "#project/reader #to-read #snake_case #ü #日本",
            ("project/reader", "to-read", "snake_case", "ü", "日本"),
        ),
        ("#Idea and #IDEA once", ("Idea",)),
        ("https://example.com/page#part", ()),
        ("# Heading\n## Sub heading\n###x", ()),
        ("C# and F#", ()),
        ("issue #12 and #2024", ()),
        ("\\#escaped", ()),
        ("a#b", ()),
        ("#idea/ and #-x-", ("idea", "x")),
        ("line one\n#second-line", ("second-line",)),
        ("#" + "a" * (MAX_HIGHLIGHT_TAG_LENGTH + 1), ()),
    ],
)
def test_what_a_tag_is(note: str, tags: tuple[str, ...]) -> None:
    assert note_tags(note) == tags


@pytest.mark.parametrize("name", ["", "#", "two words", "1999", "a,b", "/x", "x-", "#" * 3])
def test_a_name_that_is_no_tag(name: str) -> None:
    with pytest.raises(HighlightTagError):
        clean_highlight_tag(name)


def test_a_given_name_may_start_with_its_hash() -> None:
    assert clean_highlight_tag(" #idea ") == "idea"


@given(st.text(max_size=200))
def test_found_tags_are_valid_names_and_read_back(note: str) -> None:
    tags = note_tags(note)
    assert len({t.casefold() for t in tags}) == len(tags)
    for tag in tags:
        assert clean_highlight_tag(tag) == tag
        assert tag in note  # as written, never changed
    assert note_tags(" ".join(f"#{t}" for t in tags)) == tags


@given(
    st.lists(
        st.text(
            alphabet=st.characters(categories=["L", "Nd"]) | st.sampled_from("-_/"),
            min_size=1,
            max_size=12,
        ),
        max_size=6,
    )
)
def test_cleaned_names_are_found_again_in_a_note(names: list[str]) -> None:
    kept = []
    for name in names:
        try:
            kept.append(clean_highlight_tag(name))
        except HighlightTagError:
            continue
    found = note_tags("note: " + " ".join("#" + name for name in kept))
    assert [t.casefold() for t in found] == list(dict.fromkeys(t.casefold() for t in kept))
