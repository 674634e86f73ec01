"""SearchStore on a real archive file: every operator and field, ranking, accents,
annotations, snippets, paging and counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.archive import Archive
from reader.models import MATCH_END, MATCH_START
from reader.query import QueryError, parse_query

Add = Callable[..., int]


def ids(archive: Archive, query: str) -> list[int]:
    found = [hit.article.id for hit in archive.search(query, limit=1000)]
    assert found == archive.article_ids(query)
    assert archive.count(query) == len(found)
    return found


@pytest.fixture
def library(archive: Archive, article: Add) -> dict[str, int]:
    """A small library with known words, tags, sites, dates and states."""
    return {
        "rust": article(
            "Rust ownership explained",
            "The borrow checker keeps memory safe.\n\nLifetimes are part of the type.",
            tags=["rust", "Programming"],
            url="https://blog.rust-lang.org/2024/ownership",
            site_name="Rust Blog",
            byline="Ada Lovelace",
            lang="en-GB",
            published="2024-03-05",
            added_at="2024-06-01T10:00:00+00:00",
        ),
        "go": article(
            "Go concurrency patterns",
            "Goroutines and channels make concurrency simple. The checker is vet.",
            tags=["go", "programming"],
            url="https://go.dev/blog/patterns",
            site_name="The Go Blog",
            byline="Rob Pike",
            lang="en",
            published=None,
            added_at="2023-02-10T10:00:00+00:00",
            starred=1,
        ),
        "cafe": article(
            "Un café à Paris",
            "Le café est noir. Nous parlons de la façade du café.",
            tags=["travel"],
            url="https://www.example.fr/cafe",
            site_name="Exemple",
            byline="Zoë Müller",
            lang="fr",
            published="2019-07-14",
            added_at="2022-01-01T10:00:00+00:00",
            read_at="2022-01-02T00:00:00+00:00",
            archived_at="2022-01-03T00:00:00+00:00",
        ),
        "python": article(
            "Python typing",
            "Type checkers such as mypy read annotations. Rust is mentioned once.",
            tags=["python"],
            url="https://sub.example.com/typing",
            site_name="Example",
            byline="Guido",
            lang="en-US",
            published="2021-12-31",
            added_at="2024-07-01T10:00:00+00:00",
            read_at="2024-07-02T00:00:00+00:00",
        ),
    }


# -- listing -------------------------------------------------------------------------


def test_empty_query_lists_everything_newest_added_first(
    archive: Archive, library: dict[str, int]
) -> None:
    assert ids(archive, "") == [
        library["python"],
        library["rust"],
        library["go"],
        library["cafe"],
    ]
    hits = archive.search()
    assert all(hit.snippet == "" and hit.annotation is None for hit in hits)


def test_paging_is_offset_and_limit_over_the_same_order(archive: Archive, article: Add) -> None:
    for i in range(30):
        article(f"Article {i:02}", f"common word{i}", added_at=f"2024-01-{i + 1:02}T00:00:00")
    everything = [hit.article.id for hit in archive.search("common", limit=100)]
    pages = [
        hit.article.id
        for offset in range(0, 30, 7)
        for hit in archive.search("common", offset=offset, limit=7)
    ]
    assert pages == everything and len(everything) == 30
    listed = [h.article.id for o in range(0, 30, 8) for h in archive.search("", offset=o, limit=8)]
    assert listed == archive.article_ids("") == sorted(listed, reverse=True)
    assert archive.search("", offset=30) == []
    assert archive.search("", limit=0) == []


def test_hits_carry_tags_and_annotation_count(
    archive: Archive, library: dict[str, int], annotate: Callable[..., int]
) -> None:
    annotate(library["rust"], "borrow checker", note="key idea")
    annotate(library["rust"], None, note="article note")
    (hit,) = [h for h in archive.search("tag:rust")]
    assert hit.article.title == "Rust ownership explained"
    assert hit.article.tags == ("Programming", "rust")
    assert hit.article.annotation_count == 2
    assert hit.article.url == "https://blog.rust-lang.org/2024/ownership"
    assert hit.article.site_name == "Rust Blog"


# -- text ------------------------------------------------------------------------------


def test_words_all_match(archive: Archive, library: dict[str, int]) -> None:
    assert set(ids(archive, "rust")) == {library["rust"], library["python"]}
    assert ids(archive, "rust borrow") == [library["rust"]]
    assert ids(archive, "rust goroutines") == []


def test_prefix(archive: Archive, library: dict[str, int]) -> None:
    assert set(ids(archive, "check*")) == {library["rust"], library["go"], library["python"]}
    assert ids(archive, "goro*") == [library["go"]]
    assert ids(archive, "go*") != []  # two-letter prefixes use the prefix index


def test_phrase_keeps_word_order(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, '"borrow checker"') == [library["rust"]]
    assert ids(archive, '"checker borrow"') == []


def test_or(archive: Archive, library: dict[str, int]) -> None:
    assert set(ids(archive, "goroutines OR lifetimes")) == {library["go"], library["rust"]}
    assert set(ids(archive, "goroutines OR lifetimes checker")) == {library["go"], library["rust"]}
    assert ids(archive, "goroutines OR lifetimes borrow") == [library["rust"]]


def test_exclusion_with_and_without_other_words(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "rust -mypy") == [library["rust"]]
    assert set(ids(archive, "-rust")) == {library["go"], library["cafe"]}
    assert ids(archive, "-rust is:starred") == [library["go"]]
    # No stemming: python's "checkers" is not "checker".
    assert ids(archive, '-"borrow checker" checker') == [library["go"]]
    assert ids(archive, '-"borrow checker" checker*') == [library["python"], library["go"]]


def test_user_syntax_is_searched_as_text(archive: Archive, article: Add) -> None:
    odd = article("NEAR( and AND", 'He said "hi" to col:x at 10:30 ^start')
    assert ids(archive, "NEAR(") == [odd]
    assert ids(archive, '"10:30"') == [odd]
    assert ids(archive, "^start") == [odd]
    assert ids(archive, "hi") == [odd]
    assert ids(archive, "* ' -") == [odd]  # nothing to search for: every article


def test_accents_fold_both_ways(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "cafe") == [library["cafe"]]
    assert ids(archive, "CAFÉ") == [library["cafe"]]
    assert ids(archive, "facade") == [library["cafe"]]
    assert ids(archive, "author:zoe") == [library["cafe"]]
    assert ids(archive, "author:muller") == [library["cafe"]]


def test_title_is_weighted_above_the_body(archive: Archive, article: Add) -> None:
    filler = " ".join(f"filler{i}" for i in range(40))
    in_body = article("Ordinary notes", f"{filler} zeppelin {filler}")
    in_title = article("Zeppelin history", f"{filler} {filler} airship")
    in_body_twice = article("More notes", f"zeppelin {filler} zeppelin {filler}")
    found = ids(archive, "zeppelin")
    assert found[0] == in_title
    assert set(found) == {in_body, in_title, in_body_twice}
    hits = archive.search("zeppelin")
    assert hits[0].rank < hits[1].rank  # bm25: lower is better


def test_tags_are_searched_as_text_too(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "travel") == [library["cafe"]]


def test_snippets_mark_the_matched_words_on_one_line(
    archive: Archive, library: dict[str, int]
) -> None:
    (hit,) = archive.search("lifetimes")
    assert f"{MATCH_START}Lifetimes{MATCH_END}" in hit.snippet
    assert "\n" not in hit.snippet
    (hit,) = archive.search("cafe")
    assert f"{MATCH_START}café{MATCH_END}" in hit.snippet
    (hit,) = archive.search("goro*")
    assert f"{MATCH_START}Goroutines{MATCH_END}" in hit.snippet
    (hit,) = archive.search('"borrow checker"')
    assert f"{MATCH_START}borrow checker{MATCH_END}" in hit.snippet


# -- annotations -------------------------------------------------------------------------


def test_notes_and_highlights_are_searched(
    archive: Archive, library: dict[str, int], annotate: Callable[..., int]
) -> None:
    note_id = annotate(library["go"], "channels", note="remember serendipity here")
    quote_id = annotate(library["cafe"], "façade du café")
    (hit,) = archive.search("serendipity")
    assert hit.article.id == library["go"]
    assert hit.annotation is not None and hit.annotation.id == note_id
    assert hit.annotation.exact == "channels" and hit.annotation.note.startswith("remember")
    assert MATCH_START + "serendipity" + MATCH_END in hit.snippet
    # A match in both the article and a highlight: one hit, the annotation shown.
    (hit,) = archive.search("facade")
    assert hit.article.id == library["cafe"]
    assert hit.annotation is not None and hit.annotation.id == quote_id
    # Words must all match within the article or within one annotation.
    assert ids(archive, "serendipity goroutines") == []
    # Other constraints still apply to annotation hits.
    assert ids(archive, "serendipity tag:rust") == []
    assert ids(archive, "serendipity tag:go") == [library["go"]]
    assert ids(archive, "serendipity is:starred") == [library["go"]]  # a filter on the row
    assert ids(archive, "serendipity is:read") == []
    assert ids(archive, "serendipity is:starred sort:title") == [library["go"]]
    assert ids(archive, "serendipity -channels") == []
    assert ids(archive, "serendipity title:concurrency") == [library["go"]]
    assert ids(archive, "serendipity title:rust") == []
    # A plain article hit has no annotation.
    (hit,) = archive.search("lifetimes")
    assert hit.annotation is None


# -- fields -------------------------------------------------------------------------------


def test_tag_field(archive: Archive, library: dict[str, int]) -> None:
    assert set(ids(archive, "tag:programming")) == {library["rust"], library["go"]}
    assert ids(archive, "tag:PROGRAMMING tag:rust") == [library["rust"]]
    assert ids(archive, "tag:programming -tag:rust") == [library["go"]]
    assert ids(archive, "tag:nosuchtag") == []
    assert set(ids(archive, "-tag:programming")) == {library["python"], library["cafe"]}


def test_site_field(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "site:go.dev") == [library["go"]]
    assert ids(archive, "site:rust-lang.org") == [library["rust"]]  # a parent domain
    assert ids(archive, "site:example.fr") == [library["cafe"]]  # www. is ignored
    assert ids(archive, "site:https://sub.example.com/x") == [library["python"]]
    assert ids(archive, 'site:"the go blog"') == [library["go"]]
    assert ids(archive, "site:example.com site:go.dev") == [library["python"], library["go"]]
    assert ids(archive, "site:ample.com") == []  # not a suffix of a host label
    assert ids(archive, "site:rust-lang.org/2024") == [library["rust"]]  # the path is dropped
    assert ids(archive, "site:e_ample.com") == []  # LIKE wildcards are escaped
    assert set(ids(archive, "-site:example.com")) == {
        library["rust"],
        library["go"],
        library["cafe"],
    }


def test_site_is_the_host_not_anywhere_in_the_url(archive: Archive, article: Add) -> None:
    mirror = article("Mirror", "x", url="https://mirror.net/copy/of/www.example.org/page")
    real = article("Real", "x", url="HTTPS://News.Example.org:443")
    article("No scheme", "x", url="example.org/page")  # not a URL whose host we know
    assert ids(archive, "site:example.org") == [real]
    assert ids(archive, "site:news.example.org") == [real]
    assert ids(archive, "site:mirror.net") == [mirror]
    assert ids(archive, "site:org") == [real]  # a parent domain, however short
    assert mirror in ids(archive, "-site:example.org")


def test_author_and_title_fields(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "author:pike") == [library["go"]]
    assert ids(archive, 'author:"ada lovelace"') == [library["rust"]]
    assert ids(archive, "author:love*") == [library["rust"]]
    assert ids(archive, "title:rust") == [library["rust"]]  # python's body says Rust
    assert ids(archive, "title:rust -author:ada") == []
    assert set(ids(archive, "-title:rust -title:go")) == {library["cafe"], library["python"]}


def test_lang_field(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "lang:en") == [library["python"], library["rust"], library["go"]]
    assert ids(archive, "lang:en-gb") == [library["rust"]]
    assert ids(archive, "lang:fr") == [library["cafe"]]
    assert ids(archive, "-lang:en") == [library["cafe"]]


def test_lang_field_reads_a_tag_in_any_case_with_either_separator(
    archive: Archive, article: Add
) -> None:
    upper = article("Upper", "x", lang="EN_gb")
    plain = article("Plain", "x", lang="en")
    article("Three letters", "x", lang="eng")  # another code, not a region of `en`
    article("None", "x")
    brazil = article("Brazil", "x", lang="pt_BR")
    assert set(ids(archive, "lang:en")) == {upper, plain}
    assert ids(archive, "lang:en-gb") == [upper]
    assert ids(archive, "lang:EN_GB") == [upper]
    assert ids(archive, "lang:pt-br") == [brazil]
    assert ids(archive, "lang:pt") == [brazil]
    assert ids(archive, "lang:br") == []
    assert set(ids(archive, "-lang:en")) == set(ids(archive, "")) - {upper, plain}


def test_is_fields(archive: Archive, library: dict[str, int], annotate: Callable) -> None:
    annotate(library["python"], "mypy")
    assert ids(archive, "is:starred") == [library["go"]]
    assert ids(archive, "is:read") == [library["python"], library["cafe"]]
    assert ids(archive, "is:unread") == [library["rust"], library["go"]]
    assert ids(archive, "is:archived") == [library["cafe"]]
    assert ids(archive, "is:annotated") == [library["python"]]
    assert ids(archive, "-is:read -is:starred") == [library["rust"]]
    assert ids(archive, "is:read -is:archived") == [library["python"]]


def test_has_fields(archive: Archive, library: dict[str, int], annotate: Callable) -> None:
    annotate(library["python"], "mypy")
    annotate(library["go"], None, note="an article note")
    annotate(library["rust"], "borrow", note="with a note")
    assert ids(archive, "has:highlights") == [library["python"], library["rust"]]
    assert ids(archive, "has:notes") == [library["rust"], library["go"]]
    assert ids(archive, "has:highlights -has:notes") == [library["python"]]


def test_dates_use_published_else_added(archive: Archive, library: dict[str, int]) -> None:
    # published: rust 2024-03-05, cafe 2019-07-14, python 2021-12-31; go: added 2023-02-10
    assert ids(archive, "before:2022") == [library["python"], library["cafe"]]
    assert ids(archive, "after:2022") == [library["rust"], library["go"]]
    # after:D starts the day after D; before:D stops where D starts.
    assert ids(archive, "after:2023-02-09 before:2023-02-10") == []
    assert ids(archive, "after:2023-02-10 before:2023-02-12") == []
    assert ids(archive, "after:2023-02-09 before:2023-02-11") == [library["go"]]
    assert ids(archive, "after:2024-03-04 before:2024-03-05") == []
    assert ids(archive, "after:2024-03-04 before:2024-03-06") == [library["rust"]]
    assert ids(archive, "before:2024-03 after:2021-12") == [library["go"]]


def test_sorts(archive: Archive, library: dict[str, int]) -> None:
    assert ids(archive, "sort:title") == [
        library["go"],
        library["python"],
        library["rust"],
        library["cafe"],
    ]
    # Undated articles (go) come last, not among the newest by the day they were added.
    assert ids(archive, "sort:published") == [
        library["rust"],
        library["python"],
        library["cafe"],
        library["go"],
    ]
    assert ids(archive, "checker* sort:published") == [
        library["rust"],
        library["python"],
        library["go"],
    ]
    assert ids(archive, "sort:added") == ids(archive, "")
    assert ids(archive, "checker* sort:title") == [
        library["go"],
        library["python"],
        library["rust"],
    ]
    assert ids(archive, "checker* sort:added") == [
        library["python"],
        library["rust"],
        library["go"],
    ]


def test_undated_articles_sort_last_newest_added_first(archive: Archive, article: Add) -> None:
    old = article("Old", "x", published="2001-01-01", added_at="2024-05-01T00:00:00")
    undated_late = article("Undated late", "x", published=None, added_at="2024-04-01T00:00:00")
    new = article("New", "x", published="2024-01-01", added_at="2020-01-01T00:00:00")
    undated_early = article("Undated early", "x", published=None, added_at="2021-01-01T00:00:00")
    order = [new, old, undated_late, undated_early]
    assert ids(archive, "sort:published") == order
    assert ids(archive, "x sort:published") == order  # the full-text path sorts alike
    assert [
        h.article.id for o in (0, 2) for h in archive.search("sort:published", offset=o, limit=2)
    ] == order


def test_query_objects_and_combined_queries(archive: Archive, library: dict[str, int]) -> None:
    sidebar = parse_query("tag:programming")
    typed = parse_query("checker")
    assert set(ids(archive, str(sidebar.combine(typed)))) == {library["rust"], library["go"]}
    assert archive.count(sidebar.combine(typed)) == 2
    assert [h.article.id for h in archive.search(sidebar)] == [library["rust"], library["go"]]


def test_bad_query_strings_raise_query_error(archive: Archive) -> None:
    with pytest.raises(QueryError):
        archive.search("foo:bar")
    with pytest.raises(QueryError):
        archive.count('"open')


# -- counts -----------------------------------------------------------------------------


def test_sidebar_counts(archive: Archive, library: dict[str, int], annotate: Callable) -> None:
    annotate(library["python"], "mypy")
    annotate(library["python"], "annotations")
    assert archive.sidebar_counts() == {
        "all": 4,
        "unread": 2,
        "starred": 1,
        "archived": 1,
        "annotated": 1,
        "missing": 0,
    }


def test_sidebar_counts_on_an_empty_archive(archive: Archive) -> None:
    assert archive.sidebar_counts() == {
        "all": 0,
        "unread": 0,
        "starred": 0,
        "archived": 0,
        "annotated": 0,
        "missing": 0,
    }
    assert archive.search("anything") == [] and archive.count("") == 0


def test_an_annotation_hit_ranks_on_the_first_page(
    archive: Archive, article: Add, annotate: Callable[..., int]
) -> None:
    # Only the best article matches are grouped with annotation hits when nothing else
    # filters: an article with a weak text match but a strong note must still come up.
    for i in range(40):
        article(f"Airships {i}", "zeppelin zeppelin zeppelin words")
    for i in range(100):
        other = article(f"Other {i}", f"unrelated text {i}")
        annotate(other, None, note=f"a note about something else {i}")
    filler = " ".join(f"filler{i}" for i in range(300))
    weak = article("Weak match", f"zeppelin {filler}")
    assert weak not in [hit.article.id for hit in archive.search("zeppelin", limit=10)]
    note = annotate(weak, None, note="zeppelin")
    hits = archive.search("zeppelin", limit=10)
    (hit,) = [hit for hit in hits if hit.article.id == weak]
    assert hit.annotation is not None and hit.annotation.id == note
    assert archive.count("zeppelin") == 41
    # The same article through a filter (no top-k shortcut) agrees.
    assert weak in [h.article.id for h in archive.search("zeppelin -tag:none", limit=10)]


def test_search_inside_a_write_transaction_and_after(
    archive: Archive, library: dict[str, int]
) -> None:
    with archive.write():
        assert [h.article.id for h in archive.search("lifetimes")] == [library["rust"]]
        assert archive.conn.in_transaction
    archive.search("lifetimes")
    assert not archive.conn.in_transaction  # the read snapshot is closed again
