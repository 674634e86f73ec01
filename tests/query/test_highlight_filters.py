"""color: and htag: in the search language, and the filter box over highlights: how
they parse, what they find, combined with the rest, and the plans that keep them cheap
(an id probe on an index, as is:annotated)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.models import COLORS
from reader.query import HighlightFilter, QueryError, parse_highlight_filter, parse_query

from .conftest import add_article
from .test_search_plans import plan


def test_color_and_htag_parse_negate_and_repeat() -> None:
    query = parse_query("color:Yellow color:blue -color:pink htag:#Idea htag:a/b -htag:old")
    assert query.colors == ("yellow", "blue") and query.excluded_colors == ("pink",)
    assert query.htags == ("Idea", "a/b") and query.excluded_htags == ("old",)
    assert query.tags == ()
    assert query.highlights == HighlightFilter(
        ("yellow", "blue"), ("pink",), ("Idea", "a/b"), ("old",)
    )
    assert not query.is_empty and not query.has_fts


def test_the_filter_box_takes_the_same_words_and_keeps_the_rest() -> None:
    text, wanted = parse_highlight_filter("fox COLOR:green -htag:#x quick")
    assert text == "fox quick"
    assert wanted == HighlightFilter(colors=("green",), excluded_tags=("x",))
    assert parse_highlight_filter("plain words") == ("plain words", HighlightFilter())
    with pytest.raises(QueryError) as error:
        parse_highlight_filter("fox color:red")
    assert error.value.position == len("fox color:")
    assert "yellow, green, blue, pink" in error.value.message


FILTER_WORDS = st.lists(
    st.one_of(
        st.sampled_from(["color:", "-color:", "htag:", "-htag:", "Color:", "HTAG:"]).flatmap(
            lambda name: st.one_of(
                st.sampled_from([*COLORS, "red", "", "#idea", "a/b", "x y", "-"]),
                st.text(max_size=6),
            ).map(lambda value: name + value)
        ),
        st.text(max_size=8),
    ),
    max_size=8,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(FILTER_WORDS)
def test_the_box_and_the_search_language_agree(text: str) -> None:
    """The filter box reads color:/htag: exactly as parse_query does, or fails where
    the search language would; the words left hold no such field."""
    try:
        rest, wanted = parse_highlight_filter(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        return
    assert set(wanted.colors) <= set(COLORS) and set(wanted.excluded_colors) <= set(COLORS)
    for word in rest.split():
        name = word.removeprefix("-").partition(":")
        assert not (name[1] and name[0].lower() in ("color", "htag"))
    fields = " ".join(word for word in text.split() if word not in rest.split() and ":" in word)
    assert parse_query(fields).highlights == wanted


@pytest.fixture
def three(archive: Archive) -> tuple[Archive, list[int]]:
    ids = [add_article(archive, f"T{i}", f"alpha beta gamma {i}") for i in range(3)]
    archive.add_highlight(ids[0], 0, 5, color="yellow", tags=["idea"])
    archive.add_highlight(ids[1], 0, 5, color="blue", note="see #idea #work")
    archive.add_article_note(ids[2], "an article note is no yellow highlight")
    return archive, ids


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("color:yellow", [0]),
        ("color:yellow color:blue", [1, 0]),
        ("-color:yellow", [2, 1]),
        ("htag:idea", [1, 0]),
        ("htag:IDEA htag:work", [1]),
        ("-htag:idea", [2]),
        ("htag:idea color:blue", [1]),
        ("alpha htag:idea -color:blue", [0]),
        ("is:annotated -htag:work", [2, 0]),
        ("tag:idea", []),
    ],
)
def test_what_they_find_combined_with_the_rest(
    three: tuple[Archive, list[int]], query: str, expected: list[int]
) -> None:
    archive, ids = three
    assert archive.article_ids(parse_query(query)) == [ids[i] for i in expected]


@pytest.mark.parametrize("query", ["color:yellow", "-color:blue", "htag:idea", "-htag:x is:unread"])
def test_they_probe_an_index_along_the_date_index(
    three: tuple[Archive, list[int]], query: str
) -> None:
    archive, _ = three
    text = plan(archive, query)
    assert "COVERING INDEX articles_added" in text and "TEMP B-TREE" not in text
    if "color" in query:
        assert "COVERING INDEX annotations_color" in text, text
    else:
        assert "COVERING INDEX highlight_tags_name" in text, text
    assert "SCAN annotations" not in text and "SCAN h" not in text, text
