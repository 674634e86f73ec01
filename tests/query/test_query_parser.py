"""The search language parser: each operator and field, its errors, and Hypothesis
proofs that it is total and that every MATCH string the archive builds from it is valid
FTS5."""

from __future__ import annotations

import random
import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.archive.schema import FTS_TOKENIZE
from reader.archive.search import (
    column_expression,
    excluded_expression,
    fts_string,
    match_expression,
    text_expression,
)
from reader.query import MAX_TERMS, Query, QueryError, Term, parse_query


def words(*texts: str) -> tuple[Term, ...]:
    return tuple(Term(t) for t in texts)


# -- text ---------------------------------------------------------------------------


def test_empty_and_blank_queries_are_empty() -> None:
    for text in ("", "   ", "\t\n", "AND", "* ** ''", "- -- !"):
        query = parse_query(text)
        assert query.is_empty, text
        assert match_expression(query) is None


def test_words_all_must_match() -> None:
    query = parse_query("rust  async")
    assert query.terms == words("rust", "async")
    assert match_expression(query) == '("rust" AND "async")'
    assert query.has_text and not query.is_empty


def test_prefix_phrase_and_excluded() -> None:
    query = parse_query('asyn* "borrow checker" -java -"big data" "type sys"*')
    assert query.terms == (
        Term("asyn", "prefix"),
        Term("borrow checker", "phrase"),
        Term("type sys", "prefix"),
    )
    assert query.phrases == (Term("borrow checker", "phrase"),)
    assert query.excluded == (Term("java"), Term("big data", "phrase"))
    assert match_expression(query) == (
        '("asyn" * AND "borrow checker" AND "type sys" *) NOT ("java" OR "big data")'
    )


def test_or_groups_bind_adjacent_words() -> None:
    query = parse_query('rust OR go OR "c plus" tutorial')
    assert query.terms == words("tutorial")
    assert query.any_of == ((Term("rust"), Term("go"), Term("c plus", "phrase")),)
    assert text_expression(query) == '"tutorial" AND ("rust" OR "go" OR "c plus")'
    # lowercase "or" is a word; "AND" is accepted and ignored.
    assert parse_query("this or that").terms == words("this", "or", "that")
    assert parse_query("this AND that").terms == words("this", "that")


@pytest.mark.parametrize(
    ("text", "position"),
    [("OR rust", 0), ("rust OR", 5), ("rust OR OR go", 8), ("rust OR -go", 5), ("a OR tag:x", 2)],
)
def test_or_needs_a_word_on_each_side(text: str, position: int) -> None:
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert error.value.position == position
    assert "OR needs a word" in str(error.value)
    assert f"at character {position + 1}" in str(error.value)


def test_only_exclusions_leave_no_match_but_an_excluded_expression() -> None:
    query = parse_query("-java tag:x")
    assert match_expression(query) is None
    assert excluded_expression(query) == '"java"'
    assert query.has_fts and not query.has_text


def test_fts_syntax_typed_by_a_user_is_only_ever_quoted() -> None:
    query = parse_query("NEAR( 1:2 AND OR_ ^foo {title} 'quoted' x\"y\"")
    # Every token reaches FTS inside quotes, embedded quotes doubled.
    expression = text_expression(query)
    assert expression is not None
    assert expression == (
        '"NEAR(" AND "1:2" AND "OR_" AND "^foo" AND "{title}" AND "\'quoted\'" AND "x" AND "y"'
    )
    assert fts_string('say "hi"') == '"say ""hi"""'


def test_unclosed_quote_is_an_error_at_the_quote() -> None:
    with pytest.raises(QueryError) as error:
        parse_query('rust "borrow checker')
    assert error.value.position == 5
    with pytest.raises(QueryError) as error:
        parse_query('title:"foo')
    assert error.value.position == 6


def test_control_characters_and_surrogates_separate_words() -> None:
    query = parse_query("caf\x00é rust\x1bbelt \ud800 x\u200by")
    assert query.terms == words("caf", "é", "rust", "belt", "x", "y")


def test_a_pasted_url_is_a_word_not_an_unknown_field() -> None:
    assert parse_query("https://example.com/a").terms == words("https://example.com/a")


def test_too_many_words_is_an_error_not_a_huge_expression() -> None:
    parse_query(" ".join(f"w{i}" for i in range(MAX_TERMS)))
    with pytest.raises(QueryError, match="too many"):
        parse_query(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))


# -- fields -------------------------------------------------------------------------


def test_tags_repeatable_and_negated() -> None:
    query = parse_query('tag:python tag:"machine  learning" -tag:old TAG:Py')
    assert query.tags == ("python", "machine learning", "Py")
    assert query.excluded_tags == ("old",)
    assert not query.has_fts


def test_site_normalises_urls_and_keeps_names() -> None:
    query = parse_query('site:https://www.Example.com/path site:"Ars Technica" -site:x.org')
    assert query.sites == ("example.com", "ars technica")
    assert query.excluded_sites == ("x.org",)


def test_title_and_author_are_column_filters() -> None:
    query = parse_query('title:rust author:"Ada Lovelace" author:lov* -title:draft')
    assert query.title == (Term("rust"),)
    assert query.author == (Term("Ada Lovelace", "phrase"), Term("lov", "prefix"))
    assert query.excluded_title == (Term("draft"),)
    assert column_expression(query) == (
        '{title} : ("rust") AND {byline} : ("Ada Lovelace" AND "lov" *)'
    )
    assert match_expression(query) == (
        '({title} : ("rust") AND {byline} : ("Ada Lovelace" AND "lov" *)) NOT ({title} : "draft")'
    )
    assert not query.has_text


def test_lang_is_and_has() -> None:
    query = parse_query(
        "lang:pt_BR -lang:de is:unread -is:starred is:ANNOTATED has:notes -has:highlights"
    )
    assert query.langs == ("pt-br",)
    assert query.excluded_langs == ("de",)
    assert query.flags == ("unread", "annotated")
    assert query.excluded_flags == ("starred",)
    assert query.has == ("notes",)
    assert query.excluded_has == ("highlights",)


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        ("before:2024", "2024-01-01", None),
        ("before:2024-03", "2024-03-01", None),
        ("before:2024-03-05", "2024-03-05", None),
        ("after:2023", None, "2024-01-01"),
        ("after:2024-02", None, "2024-03-01"),
        ("after:2023-12", None, "2024-01-01"),
        ("after:2024-02-28", None, "2024-02-29"),
        ("after:2024-12-31", None, "2025-01-01"),
        ("before:2025 before:2024-06 after:2020 after:2021-01", "2024-06-01", "2021-02-01"),
    ],
)
def test_dates(text: str, before: str | None, after: str | None) -> None:
    query = parse_query(text)
    assert (query.before, query.after) == (before, after)


def test_sort_and_default_sort() -> None:
    assert parse_query("rust").effective_sort == "relevance"
    assert parse_query("tag:x").effective_sort == "added"
    assert parse_query("tag:x sort:relevance").effective_sort == "added"
    assert parse_query("rust sort:title").effective_sort == "title"
    assert parse_query("sort:published sort:added").sort == "added"
    assert parse_query("sort:title").is_empty


@pytest.mark.parametrize(
    ("text", "position", "words_in_message"),
    [
        ("rust foo:bar", 5, ["unknown field 'foo:'", "tag"]),
        ("is:sleeping", 3, ["is:", "unread", "'sleeping'"]),
        ("has:", 4, ["has:", "nothing"]),
        ("tag:", 4, ["tag:"]),
        ("x before:yesterday", 9, ["before:", "2024-03"]),
        ("after:2024-13", 6, ["no such date"]),
        ("after:2023-02-29", 6, ["no such date"]),
        ("lang:english!", 5, ["lang:"]),
        ("sort:random", 5, ["sort:", "relevance"]),
        ("-sort:title", 0, ["cannot be negated"]),
        ("-before:2020", 0, ["use after:"]),
        ("title:!!", 6, ["title:"]),
        ("site:", 5, ["site:"]),
        ("x color:purple", 8, ["color:", "yellow, green, blue, pink", "'purple'"]),
        ("-color:", 7, ["color:", "nothing"]),
        ("htag:two,words", 5, ["htag:", "not a highlight tag"]),
        ("htag:", 5, ["htag:"]),
        ("htag:#", 5, ["htag:"]),
    ],
)
def test_bad_fields_name_the_position(
    text: str, position: int, words_in_message: list[str]
) -> None:
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert error.value.position == position
    for word in words_in_message:
        assert word in error.value.message


# -- combine and round trip ---------------------------------------------------------


def test_combine_sidebar_filter_with_typed_text() -> None:
    sidebar = parse_query("tag:python is:unread after:2020 sort:title")
    typed = parse_query("async -java tag:python after:2022 before:2024")
    both = sidebar.combine(typed)
    assert both.tags == ("python",)
    assert both.flags == ("unread",)
    assert both.terms == words("async")
    assert both.excluded == words("java")
    assert (both.after, both.before) == ("2023-01-01", "2024-01-01")
    assert both.sort == "title"
    assert sidebar.combine(parse_query("x sort:added")).sort == "added"
    assert Query().combine(Query()).is_empty


def test_str_writes_the_query_back() -> None:
    text = (
        'rust "borrow checker" asy* a OR b -java title:"x y" -author:bob tag:"machine learning"'
        " -tag:old site:example.com lang:en is:unread -is:read has:notes before:2024-01-01"
        " after:2020-12-31 color:pink -color:blue htag:idea -htag:work/old sort:title"
    )
    query = parse_query(text)
    assert parse_query(str(query)) == query


# -- Hypothesis ---------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "rust",
        "café",
        "naïve",
        "OR",
        "AND",
        "NOT",
        "NEAR(",
        "NEAR",
        "(",
        ")",
        "*",
        '"',
        "'",
        ":",
        "-",
        "^",
        "{title}",
        "title:",
        "tag:",
        "-tag:",
        "site:",
        "author:",
        "lang:",
        "is:",
        "has:",
        "before:",
        "after:",
        "sort:",
        "color:",
        "-color:",
        "htag:",
        "-htag:",
        "yellow",
        "#idea",
        "a/b-c",
        "read",
        "notes",
        "2024",
        "2024-02-30",
        "en",
        "x*",
        "\x00",
        "\x02",
        "\ud800",
        "é",
        "日本語",
        "🙂",
        "\u0301",
        "a:b",
        " ",
        "  ",
    ]
)
QUERY_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join),
    st.lists(PIECES, max_size=30).map(" ".join),
)


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, byline, site_name, text,"
        f" tag_names, tokenize='{FTS_TOKENIZE}')"
    )
    conn.execute(
        f"CREATE VIRTUAL TABLE annotations_fts USING fts5(exact, note, tokenize='{FTS_TOKENIZE}')"
    )
    conn.execute(
        "INSERT INTO articles_fts VALUES ('Café rust', 'Ada', 'Example', 'naïve OR text', 'x')"
    )
    conn.execute("INSERT INTO annotations_fts VALUES ('rust quote', 'a note')")
    return conn


FTS = _fts()


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(QUERY_TEXT)
@example('"foo')
@example("AND")
@example("NEAR(")
@example("*")
@example("'")
@example(":")
@example("-")
@example("\ud800\x00")
def test_parser_is_total_and_every_match_string_is_valid_fts5(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        assert error.message and "\n" not in str(error)
        return
    for expression in (
        match_expression(query),
        text_expression(query),
        column_expression(query),
        excluded_expression(query),
    ):
        if expression is not None:
            FTS.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (expression,))
    text_match = text_expression(query)
    if text_match is not None:
        FTS.execute(
            "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?", (text_match,)
        )


@settings(max_examples=300, deadline=None)
@given(QUERY_TEXT)
def test_str_round_trips(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    again = parse_query(str(query))
    assert str(again) == str(query)
    assert match_expression(again) == match_expression(query)
    assert excluded_expression(again) == excluded_expression(query)
    assert again.combine(Query()) == again


@settings(max_examples=100, deadline=None)
@given(QUERY_TEXT, QUERY_TEXT)
def test_combine_is_valid_and_keeps_both_sides(a: str, b: str) -> None:
    try:
        left, right = parse_query(a), parse_query(b)
    except QueryError:
        return
    both = left.combine(right)
    assert set(left.tags) | set(right.tags) == set(both.tags)
    assert set(left.colors) | set(right.colors) == set(both.colors)
    assert set(left.htags) | set(right.htags) == set(both.htags)
    assert set(left.terms) | set(right.terms) == set(both.terms)
    if match_expression(both) is not None:
        FTS.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (match_expression(both),)
        )


def test_ten_kilobytes_of_garbage() -> None:
    rng = random.Random(4)
    alphabet = "ab\"'*:-()^{} \t\n\x00éOR日🙂"
    for _ in range(20):
        garbage = "".join(rng.choice(alphabet) for _ in range(10_000))
        try:
            query = parse_query(garbage)
        except QueryError as error:
            assert 0 <= error.position <= len(garbage)
            continue
        if match_expression(query):
            FTS.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                (match_expression(query),),
            )
    # 10 kB of plain words: a clear limit, not a 2,000-phrase MATCH.
    with pytest.raises(QueryError, match="too many"):
        parse_query("word " * 2000)
    # 10 kB inside one phrase is one (long) phrase.
    assert len(parse_query('"' + "x " * 5000 + '"').terms) == 1


def test_parse_as_typed_extends_the_word_being_typed() -> None:
    from reader.query import parse_as_typed

    assert parse_as_typed("borrow chec") == parse_query("borrow chec*")
    assert parse_as_typed("borrow chec ") == parse_query("borrow chec")
    assert parse_as_typed("c") == parse_query("c")  # too short to extend
    assert parse_as_typed("go") == parse_query("go")
    assert parse_as_typed("rus") == parse_query("rus*")
    assert parse_as_typed("tag:rust") == parse_query("tag:rust")
    assert parse_as_typed('"exact phrase"') == parse_query('"exact phrase"')
    assert parse_as_typed("rust -java") == parse_query("rust -java")
    assert parse_as_typed("") == Query()
    with pytest.raises(QueryError):
        parse_as_typed('"open')


@given(st.text(max_size=60))
def test_parse_as_typed_fails_exactly_when_parse_query_does(text: str) -> None:
    from reader.query import parse_as_typed

    try:
        parse_query(text)
    except QueryError:
        with pytest.raises(QueryError):
            parse_as_typed(text)
    else:
        parse_as_typed(text)
