"""The plans that keep search bounded on a big archive (reader.archive.plans), run on a
small one by shrinking their thresholds: the results they give must be the results of
the query, every match once, in the order the plans promise."""

from __future__ import annotations

import re

import pytest

from reader.archive import Archive, bounds, plans, vocabulary
from reader.archive.fts import match_expression
from reader.models import MATCH_START, SearchHit
from reader.query import Query, Term, parse_query

from .conftest import add_annotation, add_article, retitle, traced

N = 60


@pytest.fixture
def big(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> Archive:
    """60 articles; `common` in all of them, `often` in every second, `kari` in every
    third (more often in the newer ones), `rare` in two; dated and undated."""
    monkeypatch.setattr(bounds, "SAMPLE", 20)
    monkeypatch.setattr(bounds, "RANK_ALL", 10)
    monkeypatch.setattr(bounds, "RANK_NEWEST", 12)
    for i in range(1, N + 1):
        words = ["common"]
        if i % 2 == 0:
            words.append("often")
        if i % 3 == 0:
            words += ["kari"] * (1 + i // 20)
        if i in (5, 50):
            words.append("rare")
        add_article(
            archive,
            f"Title {i:02d}",
            " ".join(words) + f" filler{i}",
            tags=["t"] if i % 4 == 0 else [],
            added_at=f"2024-01-01T00:{i:02d}:00+00:00",
            published=None if i % 5 == 0 else f"2023-{1 + i % 12:02d}-01",
            read_at="2024-02-01T00:00:00+00:00" if i % 3 == 0 else None,
        )
    return archive


def common(archive: Archive, query: str) -> tuple[Query, str]:
    """`query` parsed and its MATCH, checked to take the bounded plans."""
    q = parse_query(query)
    match = match_expression(q)
    assert match is not None and archive._is_common(q, match)
    return q, match


def pages(archive: Archive, query: str, size: int = 7) -> list[int]:
    ids: list[int] = []
    while True:
        hits = archive.search(query, offset=len(ids), limit=size)
        ids += [hit.article.id for hit in hits]
        if len(hits) < size:
            return ids


@pytest.mark.parametrize(
    "query",
    [
        "common",
        "often",
        "common often",
        "kari",
        "common kari",
        "common -often",
        "common tag:t",
        "common is:unread",
        "comm*",
        "common sort:added",
        "common sort:published",
        "common sort:title",
        "often -tag:t sort:added",
    ],
)
def test_every_match_comes_once_across_pages(big: Archive, query: str) -> None:
    found = pages(big, query)
    assert sorted(found) == sorted(big.article_ids(query))
    assert len(found) == len(set(found)) == big.count(query)


def test_a_common_query_ranks_its_newest_matches_then_lists_the_rest_newest_first(
    big: Archive,
) -> None:
    found = pages(big, "kari")
    assert len(found) == 20
    head, tail = found[:12], found[12:]
    assert set(head) == set(range(60, 0, -3)[:12])  # the newest twelve matches
    assert tail == sorted(tail, reverse=True)  # then the older ones, newest first
    # Ranked by bm25: the articles that say `kari` most often lead.
    ranks = [hit.rank for hit in big.search("kari", limit=12)]
    assert ranks == sorted(ranks)


def test_a_term_in_most_articles_is_left_out_of_ranking(big: Archive) -> None:
    # `common` is in every article: bm25 gives it no weight, so `common kari` ranks as
    # `kari` does.
    assert [h.article.id for h in big.search("common kari", limit=12)] == [
        h.article.id for h in big.search("kari", limit=12)
    ]
    # A query of common terms only is newest first.
    assert [h.article.id for h in big.search("common", limit=5)] == [60, 59, 58, 57, 56]


def test_a_rare_word_is_ranked_whole(big: Archive) -> None:
    assert {h.article.id for h in big.search("rare")} == {5, 50}


def test_an_annotation_match_joins_the_newest(big: Archive) -> None:
    add_annotation(big, 2, None, note="common ground")
    assert 2 in pages(big, "common")
    assert big.count("common") == N


def test_a_common_prefix_finds_the_newest_articles_whose_notes_alone_hold_it(
    big: Archive,
) -> None:
    # `com*` is in every article and every note: listed newest first, unranked. The
    # newest articles' notes are matched in one read from the first of them on (a
    # prefix asked note by note is merged whole each time); a word is asked note by
    # note (a seek in its doclist).
    newest = add_article(big, "Title 61", "nothing here", added_at="2024-01-01T01:01:00+00:00")
    add_annotation(big, newest, None, note="compass bearings")
    add_annotation(big, 3, None, note="comet tails")
    common(big, "com*")
    with traced(big) as asked:
        found = pages(big, "com*")
    assert found[0] == newest and sorted(found) == list(range(1, N + 2))
    noted_since = re.compile(r"f\.annotations_fts MATCH '\"com\" \*' AND f\.rowid >= \d")
    assert any(noted_since.search(sql) for sql in asked)
    with traced(big) as asked:
        assert pages(big, "common")[0] == N
    assert not any(re.search(r"f\.rowid >= \d", sql) for sql in asked)


def test_an_old_article_whose_note_holds_the_word_is_ranked_with_the_newest(
    big: Archive,
) -> None:
    for i in range(2, 8):
        add_annotation(big, i, None, note=f"something else {i}")
    add_annotation(big, 1, None, note="kari")  # article 1's text has no kari
    found = pages(big, "kari")
    assert found[0] == 1  # a short note that holds the word ranks first
    sql, params = big._id_sql(parse_query("kari"), top=1)  # as ranking every match does
    assert big.conn.execute(f"{sql} LIMIT 1", params).fetchone()[0] == 1
    assert sorted(found) == sorted(big.article_ids("kari")) and len(found) == len(set(found))


def test_counts_are_estimated_then_exact(big: Archive) -> None:
    assert big.count_estimate("") == plans.Count(N, exact=True)  # kept by triggers
    assert big.count_estimate("is:unread").n == big.count("is:unread")
    assert big.count_estimate("tag:t") == plans.Count(15, exact=True)
    assert big.count_estimate("tag:nosuch") == plans.Count(0, exact=True)
    assert big.count_estimate("rare") == plans.Count(2, exact=True)  # few: counted
    estimate = big.count_estimate("often")
    assert not estimate.exact and abs(estimate.n - 30) <= 10
    assert big.count("often") == 30
    assert not big.count_estimate("site:example.com").exact


def test_an_estimate_counts_what_dates_pass_over_the_whole_archive(big: Archive) -> None:
    # Dates follow ids: the twenty oldest are dated 2020, none of the newest. Counted in
    # the newest alone, `often before:2021` was 0, "few", and counted exactly, in time
    # that grows with the archive. `often` is common (about 30): the estimate is that
    # times the share of articles before:2021 passes, in runs of ids over the archive.
    with big.conn:
        big.conn.execute("UPDATE articles SET published = '2020-06-01' WHERE id <= 20")
    estimate = big.count_estimate("often before:2021")
    assert not estimate.exact and abs(estimate.n - 10) <= 3
    assert big.count("often before:2021") == 10
    assert big.count_estimate("often") == plans.Count(30, exact=False)
    # Text in few articles is counted exactly, whatever the dates.
    assert big.count_estimate("rare before:2021") == plans.Count(1, exact=True)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "is:unread",
        "sort:published",
        "sort:title",
        "tag:t sort:published",
        "is:unread sort:title",
        "-tag:t sort:title",
    ],
)
def test_listing_pages_go_on_from_the_last_key(big: Archive, query: str) -> None:
    expected = big.article_ids(query)
    assert pages(big, query) == expected
    q = parse_query(query)
    assert big._page_ends.nearest(q, 14) is not None  # page 3 started from a key
    # A page asked out of order starts from the nearest key before it.
    assert [h.article.id for h in big.search(query, offset=10, limit=5)] == expected[10:15]


def test_a_change_forgets_the_keys(big: Archive) -> None:
    big.search("", limit=10)
    q = parse_query("")
    assert big._page_ends.nearest(q, 10) is not None
    newest = add_article(big, "Newest", "text", added_at="2025-01-01T00:00:00+00:00")
    assert big._page_ends.nearest(q, 10) is None
    assert big.search("", offset=10, limit=1)[0].article.id == big.article_ids("")[10]
    assert big.article_ids("")[0] == newest


def test_a_listing_plan_walks_the_index_with_a_key(big: Archive) -> None:
    for query, key in (
        ("", ("2024-01-01T00:30:00+00:00", 30)),
        ("sort:title", ("Title 30", 30)),
        ("sort:published", ("2023-05-01", "2024-01-01T00:16:00+00:00", 16)),
        ("sort:published", (None, "2024-01-01T00:30:00+00:00", 30)),
    ):
        sql, params = big._id_sql(parse_query(query), after=key)
        plan = " ".join(row[-1] for row in big.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "SEARCH a USING COVERING INDEX" in plan, (query, plan)
        assert "TEMP B-TREE" not in plan


def test_a_long_prefix_gets_its_snippets_from_one_read_of_the_ids_range(big: Archive) -> None:
    from reader.models import MATCH_START

    hits = big.search("fille*", limit=50)
    assert len(hits) == 50 and all(MATCH_START + "filler" in h.snippet for h in hits)
    assert {h.article.id for h in big.search("filler1*", limit=50)} == {1, *range(10, 20)}


def test_an_old_match_in_a_title_leads_a_common_query(big: Archive) -> None:
    with big.write() as conn:
        conn.execute("UPDATE articles SET title = 'Kari, the old one' WHERE id = 3")
        conn.execute("UPDATE articles SET title = 'Kari too' WHERE id = 4")  # no kari body
    found = pages(big, "kari")
    assert found[:2] == [3, 4] or found[:2] == [4, 3]
    assert sorted(found) == sorted(big.article_ids("kari")) and len(found) == len(set(found))
    assert 4 not in pages(big, "kari -often")  # the whole query still decides


@pytest.mark.parametrize("as_set", [False, True])
@pytest.mark.parametrize(
    "query", ["common sort:added", "often sort:published", "kari -often sort:title", "often tag:t"]
)
def test_a_common_listing_is_the_same_asked_by_article_or_from_the_matches_listed_once(
    big: Archive, monkeypatch: pytest.MonkeyPatch, query: str, as_set: bool
) -> None:
    # Which of the two a page uses follows from their costs; both give the listing.
    monkeypatch.setattr(bounds, "PROBE_COST", 1.0 if as_set else 0.0)
    if not query.endswith(("added", "published", "title")):
        query += " sort:added"
    expected = big.article_ids(query)
    assert pages(big, query) == expected


@pytest.mark.parametrize("others", [30, 0])  # in few notes (ranked by bm25), in most
def test_a_hit_carries_its_note_and_the_notes_snippet_where_its_text_has_no_match(
    big: Archive, others: int
) -> None:
    notes = 5
    for i in range(1, notes + 1):
        add_annotation(big, i, None, note=f"zephyr thoughts {i}")
    for i in range(others):
        add_annotation(big, 30 + i, None, note=f"other thoughts {i}")
    assert big._notes_ranked(parse_query("zephyr")) == bool(others)
    hits = {hit.article.id: hit for hit in pages_of_hits(big, "zephyr")}
    assert set(hits) == set(range(1, notes + 1))
    for article_id, hit in hits.items():
        assert hit.annotation is not None and hit.annotation.article_id == article_id
        assert "zephyr" in hit.snippet  # the note's: the text has no `zephyr`
    # Where the text matches, its own snippet is shown and the note still comes along.
    hit = next(h for h in big.search("common", limit=60) if h.article.id == 2)
    assert hit.annotation is None or hit.annotation.article_id == 2
    assert "common" in hit.snippet


def pages_of_hits(archive: Archive, query: str, size: int = 7) -> list[SearchHit]:
    hits: list[SearchHit] = []
    while True:
        page = archive.search(query, offset=len(hits), limit=size)
        hits += page
        if len(page) < size:
            return hits


def test_a_page_of_common_words_has_the_snippets_fts5_would_make(
    big: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `common` is in every article: its snippets are made in Python (reader.archive.
    # snippets), the same as FTS5's snippet() for these short texts.
    assert big._marked_in_python(parse_query("common")) == ({"common"}, set())
    assert big._marked_in_python(parse_query("kari")) is None  # informative: FTS5's
    made = [(h.article.id, h.snippet) for h in big.search("common", limit=20)]
    monkeypatch.setattr(big, "_marked_in_python", lambda _q: None)
    assert made == [(h.article.id, h.snippet) for h in big.search("common", limit=20)]
    assert all(MATCH_START in snippet for _, snippet in made)


@pytest.mark.parametrize("query", ["fill*", "filler1*", "comm* kari", "titl*", "titl* tag:t"])
def test_a_page_with_a_prefix_fts5_expands_has_the_snippets_fts5_would_make(
    big: Archive, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # A prefix longer than the prefix indexes: its snippets are made in Python, those
    # of articles that match by their title alone (`titl*`) as the text's opening.
    assert big._marked_in_python(parse_query(query)) is not None
    made = [(h.article.id, h.snippet) for h in pages_of_hits(big, query)]
    monkeypatch.setattr(big, "_marked_in_python", lambda _q: None)
    assert made == [(h.article.id, h.snippet) for h in pages_of_hits(big, query)]
    assert made and all((MATCH_START in s) != query.startswith("titl") for _, s in made)


def test_a_prefix_the_index_holds_or_a_phrase_has_fts5s_snippets(big: Archive) -> None:
    for query in ("fil*", '"common often"', "filler1* title:title", "café*"):
        assert big._marked_in_python(parse_query(query)) is None, query


@pytest.mark.parametrize(
    "query", ["common t", "fill* t", "t -kari", "kari OR t", "filler1* title:title", "t"]
)
def test_the_titled_walk_finds_the_older_matches_with_a_ranked_term_in_their_metadata(
    big: Archive, query: str
) -> None:
    # `match AND {meta}: terms` (or `{meta}: term` for one term): every match holds one
    # of the terms; these are those with one in the title, byline, site or tags.
    q = parse_query(query)
    match = match_expression(q)
    sample = big._sample()
    assert match is not None and sample is not None
    ranked = big._ranking_query(q, sample)
    terms = [*plans._ranked_terms(ranked), *plans._prefixed(q).text_terms]
    assert terms
    meta = plans._in_meta(" OR ".join(map(plans.term_expression, terms)))
    in_meta = {
        row[0]
        for row in big.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (meta,)
        )
    }
    older = sorted((i for i in big.article_ids(query) if i < 50 and i in in_meta), reverse=True)
    assert big._titled(q, match, terms, 50) == older[: bounds.RANK_NEWEST]
    assert older or query == "filler1* title:title"


@pytest.mark.parametrize(
    "query",
    ["kari", "kari -rare", "often t", "kari title:title"],
)
def test_a_common_query_ranks_its_newest_and_titled_by_the_bm25_a_full_ranking_gives(
    big: Archive, query: str
) -> None:
    # The newest matches are ranked in their walk, the titled apart (PlannedSql._ranks):
    # the same bm25 as ranking every match.
    retitle(big, {6: "Kari: common often t"})
    q, _ = common(big, query)  # the bounded plan
    sql, params = big._id_sql(q)
    full = dict(big.conn.execute(sql, params).fetchall())
    hits = pages_of_hits(big, query)
    ranked = [h for h in hits if h.rank]
    assert ranked and len(hits) == len(full)
    for hit in ranked:  # a common term left out of ranking weighs 1e-6 in a full one
        assert hit.rank == pytest.approx(full[hit.article.id], rel=1e-4)


def test_a_terms_share_of_the_newest_is_counted_again_once_the_archive_changes(
    big: Archive,
) -> None:
    sample = big._sample()
    assert sample is not None
    asked: list[str] = []
    big.conn.set_trace_callback(asked.append)
    assert big._share('"rare"', sample) == 1 / 20
    assert big._share('"rare"', sample) == 1 / 20
    assert sum("count(*)" in sql for sql in asked) == 1
    with big.conn:
        big.conn.execute("UPDATE articles SET title = 'rare' WHERE id = 45")
    assert big._share('"rare"', sample) == 2 / 20


def test_a_query_common_in_articles_but_not_in_notes_ranks_its_notes_first_on_every_page(
    big: Archive,
) -> None:
    # `common` is in every article (no weight there) but in 2 of 10 notes: those two
    # articles lead, then the rest newest first, each once across pages of any size.
    for i in range(20, 28):
        add_annotation(big, i, None, note=f"something else {i}")
    add_annotation(big, 3, None, note="common")
    add_annotation(big, 7, None, note="common ground")
    assert big._notes_ranked(parse_query("common"))
    for size in (1, 7, 50):
        found = pages(big, "common", size)
        assert found[:2] == [3, 7]  # the shorter note first
        assert found[2:] == [i for i in range(60, 0, -1) if i not in (3, 7)]


def test_whether_a_query_is_common_is_judged_on_its_text_alone(
    big: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `kari tag:t` (ids 12, 24, 36, 48, 60): with the tag applied, the newest twenty
    # articles hold two of them, an estimate of 6 matches, and every match was ranked;
    # `kari` alone is estimated at 21, so the bounded plan is chosen. Its filters leave
    # fewer matches than it ranks, so it ranks them all: the same page as ranking all.
    bounded: list[str] = []
    chosen = plans.PlannedSql._bounded_rows

    def spy(self: Archive, q: object, match: str, *args: object) -> object:
        bounded.append(match)
        return chosen(self, q, match, *args)  # type: ignore[arg-type]

    expected = [h.article.id for h in big.search("kari tag:t")]
    monkeypatch.setattr(plans.PlannedSql, "_bounded_rows", spy)
    assert [h.article.id for h in big.search("kari tag:t")] == expected
    assert bounded
    assert sorted(expected) == [12, 24, 36, 48, 60]
    sql, params = big._id_sql(parse_query("kari tag:t"), top=5)  # ranking every match
    assert [row[0] for row in big.conn.execute(f"{sql} LIMIT 5", params)] == expected


def test_past_rank_all_notes_only_the_newest_are_ranked_and_the_rest_still_come_once(
    big: Archive,
) -> None:
    # `often` (every second article) is in 15 notes (more than RANK_ALL, 10; fewer than
    # half of the 45) on odd articles, whose text lacks it: the newest RANK_NEWEST (12)
    # notes are ranked with the newest matching articles; the three oldest notes'
    # articles are listed after them with the older matches, newest first.
    noted = [31, 1, 41, 7, 55, 19, 3, 59, 23, 9, 45, 13, 27, 51, 35]  # oldest note first
    for article_id in noted:
        add_annotation(big, article_id, None, note="often")
    for i in range(30):
        add_annotation(big, 2 + 2 * (i % 20), None, note=f"something else {i}")
    assert big._notes_ranked(parse_query("often"))
    with traced(big) as asked:
        first = big.search("often", limit=12)
    assert any("ORDER BY annotations_fts.rowid DESC LIMIT" in sql for sql in asked)
    # A note of one word ranks above an article's text: the ranked notes lead.
    assert {hit.article.id for hit in first} == set(noted[3:])
    assert all(hit.annotation is not None for hit in first)
    expected = sorted(big.article_ids("often"))
    assert {31, 1, 41} <= set(expected)
    for size in (1, 5, 12, 50):
        found = pages(big, "often", size)
        assert sorted(found) == expected and len(found) == len(set(found))
        rest = [i for i in found if i not in noted[3:]]
        unranked = [i for i in rest if i < min(rest[:12] or [0]) or i in (31, 1, 41)]
        assert unranked == sorted(unranked, reverse=True)  # newest first, the notes' too


def test_a_page_shows_each_hits_best_note_whichever_way_its_notes_are_asked(
    big: Archive,
) -> None:
    add_annotation(big, 4, None, note="zephyr said once, and other words around it")
    best = add_annotation(big, 4, None, note="zephyr")
    add_annotation(big, 8, None, note="zephyr zephyr in a note on eight")
    for i in range(6):  # zephyr in fewer than half of the notes: ranked by bm25
        add_annotation(big, 20 + i, None, note=f"something else {i}")
    for query in ("zephyr", "zeph*", "zephyr -nowhere"):
        hits = {hit.article.id: hit for hit in big.search(query, limit=60)}
        annotation = hits[4].annotation
        assert annotation is not None and annotation.id == best, query
        assert hits[8].annotation is not None and hits[8].annotation.article_id == 8


@pytest.mark.parametrize("query", ["kari*", "kari* OR zzz", "kari* often", "kari* -rare"])
def test_a_common_prefix_fts5_expands_is_ranked_by_its_matches_in_titles_then_newest(
    big: Archive, query: str
) -> None:
    # `kari*` (longer than the prefix indexes) matches 20 articles, more than
    # RANK_NEWEST: bm25's document count would expand it over the whole index twice
    # more, so it is ranked in the title, byline, site and tags alone. The articles
    # whose title holds it lead (the shorter title first, as bm25 has it), of any
    # age; the other matches follow newest first, each once.
    retitle(big, {6: "Karimba", 54: "A karimba, the long title"})
    common(big, query)
    expected = big.article_ids(query)
    for size in (1, 7, 50):
        found = pages(big, query, size)
        assert sorted(found) == sorted(expected) and len(found) == len(set(found))
        leaders = [i for i in (6, 54) if i in expected]
        assert found[: len(leaders)] == leaders
        rest = found[len(leaders) :]
        if " " not in query:  # nothing else ranks: newest first
            assert rest == sorted(rest, reverse=True)


def test_a_prefix_with_fewer_matches_than_the_bounded_plan_ranks_is_ranked_in_full(
    big: Archive,
) -> None:
    # `filler1*` (11 articles) has a common indexed head (`fil*`, in every one): the
    # bounded plan is chosen, finds every match in its walk, and ranks them all with
    # bm25, as ranking every match does.
    q = parse_query("filler1*")
    match = match_expression(q)
    assert match is not None and big._is_common(q, match)
    sql, params = big._id_sql(q)
    full = dict(big.conn.execute(sql, params).fetchall())
    hits = pages_of_hits(big, "filler1*")
    assert len(hits) == len(full) == 11
    for hit in hits:
        assert hit.rank == pytest.approx(full[hit.article.id], rel=1e-4)


@pytest.mark.parametrize("query", ["kari before:2023", "common after:2023-06", "before:2024"])
def test_a_dated_estimate_reads_no_table_through(big: Archive, query: str) -> None:
    # Its statements read runs of ids and the ends of the key, never every row: both
    # ends in one SELECT (`min(id), max(id)`) scanned the table (90 ms at 1,000,000).
    with traced(big) as asked:
        count = big.count_estimate(query)
    assert not count.exact
    for sql in asked:
        if sql.lstrip().upper().startswith("SELECT"):
            plan = " | ".join(row[3] for row in big.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert re.search(r"\bSCAN (articles|a)( |$)", plan) is None, (sql, plan)


@pytest.mark.parametrize("query", ['"often kari"', '"often kari" -rare', '"often kari" common'])
def test_a_common_phrase_is_ranked_by_its_words_among_its_newest_matches(
    big: Archive, query: str
) -> None:
    # `"often kari"` is in every sixth article (10, estimated 12: more than RANK_ALL).
    # bm25's document count of a phrase evaluates it in every article with its words,
    # so its newest matches are ranked by its words (`kari` more often in the newer
    # ones) and its older matches are not looked for by their metadata.
    common(big, query)
    with traced(big) as asked:
        hits = pages_of_hits(big, query, 4)
    assert sorted(h.article.id for h in hits) == sorted(big.article_ids(query))
    assert not any("{title byline" in sql and '"often kari"' in sql for sql in asked)
    words = dict(
        big.conn.execute(
            f"SELECT rowid, {plans._BM25} FROM articles_fts WHERE articles_fts MATCH ?",
            ['"often" AND "kari"'],
        ).fetchall()
    )
    newest = [h for h in hits if h.article.id >= 13]  # RANK_NEWEST (12) of the 60
    assert newest and all(h.rank == pytest.approx(words[h.article.id]) for h in newest)
    assert [h.rank for h in newest] == sorted(h.rank for h in newest)


def test_a_phrase_with_a_common_word_and_few_matches_is_ranked_by_its_other_words(
    big: Archive,
) -> None:
    # `"common zebra"` matches three articles (not a common query), but `common` is in
    # all of them: ranked as a phrase, bm25 would compare its positions everywhere
    # `zebra` is. Its matches are all ranked by `zebra`, which puts 61 (zebra four
    # times) first, where the phrase put 62 (the phrase three times) first.
    for title, text in (
        ("Z 61", "common zebra zebra zebra zebra"),
        ("Z 62", "common zebra common zebra common zebra"),
        ("Z 63", "common zebra"),
    ):
        add_article(big, title, text, added_at="2024-01-02T00:00:00+00:00")
    query = '"common zebra"'
    q = parse_query(query)
    match = match_expression(q)
    assert match is not None and not big._is_common(q, match) and big._bounded(q)
    sql, params = big._id_sql(q, top=3)  # ranked as a phrase
    assert big.conn.execute(f"{sql} LIMIT 1", params).fetchone()[0] == 62
    by_word = dict(
        big.conn.execute(
            f"SELECT rowid, {plans._BM25} FROM articles_fts WHERE articles_fts MATCH ?",
            ['"zebra"'],
        ).fetchall()
    )
    hits = big.search(query)
    assert [h.article.id for h in hits] == sorted(by_word, key=by_word.__getitem__)
    assert hits[0].article.id == 61
    assert all(h.rank == pytest.approx(by_word[h.article.id]) for h in hits)
    count = big.count_estimate(query)
    assert count.exact and count.n == 3
    # A phrase of uncommon words is ranked as a phrase, as before.
    assert not big._bounded(parse_query('"zebra zebra"'))


@pytest.mark.parametrize(("query", "walk_ranked"), [("kari", False), ("kari is:unread", True)])
def test_without_row_filters_the_articles_are_ranked_in_one_statement(
    big: Archive, query: str, walk_ranked: bool
) -> None:
    # bm25's document count of a term is a pass over its doclist in each statement that
    # ranks it: without row filters, the newest matches are walked unranked and ranked
    # with the titled older ones in one statement; under filters, that statement would
    # rank the newer matches that fail them too, so the walk ranks the rows it keeps.
    retitle(big, {3: "Kari"})  # titled, older
    q, _ = common(big, query)
    with traced(big) as asked:
        hits = big.search(query, limit=5)
    walks = [sql for sql in asked if "ORDER BY articles_fts.rowid DESC LIMIT" in sql]
    assert walks and ("bm25(articles_fts" in walks[0]) == walk_ranked
    if not walk_ranked:
        assert len([sql for sql in asked if "bm25(articles_fts" in sql]) == 1
        assert 3 in [h.article.id for h in pages_of_hits(big, query)]
    sql, params = big._id_sql(q, top=5)  # every match ranked
    full = [row[0] for row in big.conn.execute(f"{sql} LIMIT 5", params)]
    assert [h.article.id for h in hits][:1] == full[:1]


def test_a_common_prefix_ranked_in_metadata_keeps_its_notes_first(big: Archive) -> None:
    # As in a full ranking, where a short note outweighs an article's title: bm25 in
    # the metadata alone weighs the prefix by its rarity there, far above its weight in
    # the whole articles.
    retitle(big, {6: "Karimba"})
    for i in range(20):  # kari in few of the notes: ranked by bm25
        add_annotation(big, 1 + i, None, note=f"other thoughts {i}")
    add_annotation(big, 20, None, note="karimba, once more")
    sql, params = big._id_sql(parse_query("kari*"))
    full = [row[0] for row in big.conn.execute(sql, params)]
    assert full[:2] == [20, 6]
    assert pages(big, "kari*")[:2] == [20, 6]


@pytest.mark.parametrize("query", ["common -often", "comm* -often", "common -often tag:t"])
def test_an_exclusion_is_counted_in_the_newest_apart_from_its_match(
    big: Archive, query: str
) -> None:
    # FTS5 applies a rowid bound only once a NOT has found its first match, so
    # `x -y` with y in most older matches walked all of them (`stopra* -the` at
    # 1,000,000 articles: 130 ms for the newest 2,000). Above a rowid, the exclusion
    # is a list of its own, and the estimate is the same.
    with traced(big) as asked:
        estimate = big.count_estimate(query)
    bounded = [sql for sql in asked if "MATCH" in sql and re.search(r"rowid > ", sql)]
    assert bounded
    for sql in bounded:
        assert " NOT (" not in sql, sql  # the traced SQL has the MATCH string in it
    newest = [i for i in big.article_ids(query) if i > N - bounds.SAMPLE]
    assert estimate.n == round(len(newest) * N / bounds.SAMPLE)


@pytest.mark.parametrize(
    ("query", "walked"),
    [("often", True), ("ofte*", True), ("often tag:t", True), ("kari", True), ("common", False)],
)
def test_a_count_after_a_search_takes_the_samples_matches_from_its_walk(
    big: Archive, query: str, walked: bool
) -> None:
    # The TUI asks the first page, then the count: where the search's walk of the
    # newest matches reached below the sample, the estimate is read from it (the same
    # number), without asking FTS5 again (a prefix it expands: 40-100 ms at 1,000,000).
    counted = big.count_estimate(query)
    big.__dict__.pop("_sample_counts")
    big.search(query, limit=5)
    with traced(big) as asked:
        shown = big.count_estimate(query)
    assert shown == counted and not shown.exact
    assert any("articles_fts MATCH" in sql for sql in asked) is not walked


@pytest.mark.parametrize(
    "query",
    [
        '"common zebra"',
        '"common zebra" is:unread',
        "zebra sort:added",
        "zebra sort:title",
        "zebra -common sort:added",  # none: an empty first page says so
    ],
)
def test_a_count_after_a_search_that_found_every_match_is_theirs(big: Archive, query: str) -> None:
    # A phrase with a common word and few matches: the bounded plan walks all of them
    # (and all the notes that match); a listing of few matches sorts all of them. The
    # count shown after the page is theirs, not the query matched again.
    for title, text in (("Z 61", "common zebra"), ("Z 62", "zebra common zebra")):
        add_article(big, title, text, added_at="2024-01-02T00:00:00+00:00")
    add_annotation(big, 7, None, note="a common zebra")  # an old article's note
    expected = big.count(query)
    assert expected == (0 if "-common" in query else 3)
    big.search(query, limit=1)
    with traced(big) as asked:
        shown = big.count_estimate(query)
        exact = big.count(query)
    assert shown == plans.Count(expected, exact=True) and exact == expected
    assert not any("_fts MATCH" in sql for sql in asked)


@pytest.mark.parametrize(
    ("query", "as_set"), [("kari sort:added", False), ("kari* sort:added", True)]
)
def test_a_listing_of_a_prefix_fts5_expands_lists_its_matches_once(
    big: Archive, monkeypatch: pytest.MonkeyPatch, query: str, as_set: bool
) -> None:
    # Where asking article by article reads less (made so here), a word is asked so;
    # a prefix longer than the prefix indexes would be expanded over the whole index
    # at each asking (`quiqu* sort:added` at 1,000,000 articles: 6.2 s), so its
    # matches are listed once whatever the costs say (where it is not walked in
    # batches: below).
    monkeypatch.setattr(bounds, "SET_COST", 1.0)
    monkeypatch.setattr(bounds, "BATCHED_MOST", 0)
    with traced(big) as asked:
        found = [hit.article.id for hit in big.search(query, limit=5)]
    listing = [sql for sql in asked if "ORDER BY" in sql and "FROM articles a" in sql]
    assert listing
    assert any("+a.id IN (SELECT rowid FROM articles_fts" in sql for sql in listing) is as_set
    assert found == big.article_ids(query)[:5]


BATCHED = re.compile(r"FROM articles_fts WHERE articles_fts MATCH .* AND rowid >= \d+ AND rowid <=")


@pytest.mark.parametrize(
    "query",
    [
        "kari* sort:added",
        "ofte* is:unread sort:added",
        "commo* tag:t sort:added",
        "kari* sort:title",
    ],
)
def test_a_listing_of_a_prefix_fts5_expands_walks_its_order_in_batches(
    big: Archive, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # Batches of 4-6 articles of the order's index, each one's matches found over its
    # range of ids: the same pages as the matches listed once as a set, notes too.
    add_annotation(big, 58, None, note="karibu")  # 58's text has no kari
    monkeypatch.setattr(bounds, "BATCH_LEAST", 4)
    monkeypatch.setattr(bounds, "BATCH_MOST", 6)
    with traced(big) as asked:
        batched = pages(big, query)
    assert any(BATCHED.search(sql) for sql in asked)
    monkeypatch.setattr(bounds, "BATCHED_MOST", 0)
    with traced(big) as asked:
        assert pages(big, query) == batched
    assert not any(BATCHED.search(sql) for sql in asked)
    assert len(batched) == len(set(batched)) == big.count(query)
    assert (58 in batched) is not query.startswith("commo")


def test_a_listing_with_fewer_matches_than_its_batches_expect_lists_them_as_a_set(
    big: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches sized by the estimate; where too few matches turn up in BATCHES_MOST of
    # them (each walks the order from the top), the set is listed instead.
    monkeypatch.setattr(bounds, "BATCH_LEAST", 4)
    monkeypatch.setattr(bounds, "BATCH_MOST", 4)
    monkeypatch.setattr(bounds, "BATCHES_MOST", 2)
    with traced(big) as asked:
        found = [hit.article.id for hit in big.search("kari* sort:added", limit=5)]
    assert sum(bool(BATCHED.search(sql)) for sql in asked) == 2
    assert any("+a.id IN (SELECT rowid FROM articles_fts" in sql for sql in asked)
    assert found == big.article_ids("kari* sort:added")[:5]


def test_a_listing_whose_order_does_not_follow_ids_lists_the_matches_as_a_set(
    big: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Article 3 saved last: the newest batch spans every id, so it is not walked by range.
    with big.write() as conn:
        conn.execute("UPDATE articles SET added_at = '2025-01-01T00:00:00+00:00' WHERE id = 3")
    monkeypatch.setattr(bounds, "BATCH_LEAST", 4)
    monkeypatch.setattr(bounds, "BATCH_MOST", 6)
    with traced(big) as asked:
        found = pages(big, "kari* sort:added")
    assert not any(BATCHED.search(sql) for sql in asked)
    assert found[0] == 3 and found == big.article_ids("kari* sort:added")


@pytest.mark.parametrize("query", ["kari", "often is:unread", "kari*", "kari* before:2024"])
def test_the_walks_in_the_metadata_ask_its_index_and_find_what_the_whole_index_finds(
    big: Archive, query: str
) -> None:
    # v9's index of the title, byline, site and tags alone holds the same rows as those
    # columns of articles_fts: the titled walk finds the same older matches there, and
    # a prefix FTS5 expands ranks its titled matches in the same order.
    retitle(big, {4: "Often karimba kari", 52: "A karimba often, the long title"})
    common(big, query)
    with traced(big) as asked:
        found = pages(big, query)
    assert any("FROM articles_meta_fts" in sql for sql in asked)
    big._meta_index = False  # as an archive older than v9 opened read-only
    assert pages(big, query) == found
    assert sorted(found) == sorted(big.article_ids(query))
    assert found[:1] == [4]


@pytest.mark.parametrize(
    "query",
    ["kari*", "kari* -rare", "kari* tag:t", "filler1*", "kari* OR often", "kari* sort:added"],
)
def test_a_prefix_fts5_expands_is_walked_as_its_words_and_finds_the_same(
    big: Archive, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # `kari*` is walked as `"kari" OR "karimba"` (the index's words that begin with it):
    # the same matches, without FTS5 merging every one of their doclists first.
    retitle(big, {6: "Karimba"})
    big.add_tags([6], ["karimbas"])
    with traced(big) as asked:
        found = pages(big, query)
    walks = [sql for sql in asked if "FROM articles_fts" in sql]
    spelled = [sql for sql in walks if '"karimba"' in sql or '"filler10"' in sql]
    assert spelled and all('"karimbas"' in sql or "filler" in sql for sql in spelled)
    assert sorted(found) == sorted(big.article_ids(query)) and len(found) == len(set(found))
    monkeypatch.setattr(vocabulary, "SPELLED_OUT", 0)  # every prefix has too many words
    big.__dict__.pop("_prefix_words", None)
    asked.clear()
    big.conn.set_trace_callback(asked.append)
    assert pages(big, query) == found
    big.conn.set_trace_callback(None)
    assert not any('"karimba"' in sql or '"filler10"' in sql for sql in asked)


def test_a_prefix_is_spelled_out_only_as_the_words_the_index_holds(big: Archive) -> None:
    q = parse_query("kari* café*")  # café: the tokenizer folds é, FTS5 expands it
    match = match_expression(q)
    assert match is not None
    assert big._spelled_out(q, match)[1] == '("café" * AND ("kari"))'
    q = parse_query("kari* zzzz*")
    match = match_expression(q)
    assert match is not None
    assert big._spelled_out(q, match) == (q, match)  # no word begins with zzzz
    q = parse_query("Kari* -rare")
    match = match_expression(q)
    assert match is not None
    spelled, spelled_match = big._spelled_out(q, match)
    assert spelled_match == '(("kari")) NOT ("rare")'
    assert spelled.excluded == q.excluded
    retitle(big, {6: "Karimba"})  # a change: the words are listed again
    assert big._spelled_out(q, match)[1] == '(("kari" OR "karimba")) NOT ("rare")'


def test_a_prefix_is_spelled_out_on_an_archive_opened_read_only(big: Archive, tmp_path) -> None:
    # The vocabulary is a table of the connection's own (temp), which a read-only
    # connection may make.
    (path,) = [row[2] for row in big.conn.execute("PRAGMA database_list") if row[1] == "main"]
    expected = pages(big, "kari*")
    big.close()
    with Archive(path, readonly=True) as archive:
        q = parse_query("kari*")
        match = match_expression(q)
        assert match is not None
        assert archive._spelled_out(q, match)[1] == '(("kari"))'
        assert [h.article.id for h in archive.search("kari*", limit=100)] == expected


def test_a_prefix_with_too_many_words_in_the_metadata_is_not_listed_further(
    big: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The metadata index's words are some of the whole index's: more than SPELLED_OUT
    # there, and the whole index's vocabulary (20-40 times dearer) is not read.
    monkeypatch.setattr(vocabulary, "SPELLED_OUT", 1)
    retitle(big, {6: "Karimba karibou"})
    with traced(big) as asked:
        assert big._words_beginning("kari") is None
    assert any("temp.articles_meta_fts_words" in sql for sql in asked)
    assert not any("temp.articles_fts_words" in sql for sql in asked)
    assert big._words_beginning("filler2") is None  # 2, 20-29: in the text alone
    assert big._words_beginning("karim") == (Term("karimba"),)


def test_the_words_listed_in_a_write_that_is_rolled_back_are_listed_again(big: Archive) -> None:
    # Neither data_version nor total_changes moves back at a rollback: the archive's
    # version counts rollbacks too, or `kari*` would go on walking its newest matches
    # without `karimba` (article 59's, in its text alone).
    with big.write() as conn:
        conn.execute("UPDATE articles SET text = text || ' karimba' WHERE id = 59")
    expected = sorted(big.article_ids("kari*"))
    assert 59 in expected
    with pytest.raises(RuntimeError), big.write() as conn:
        conn.execute("UPDATE articles SET text = 'common' WHERE id = 59")
        assert 59 not in pages(big, "kari*")
        raise RuntimeError("changed my mind")
    assert sorted(pages(big, "kari*")) == expected


def test_a_word_another_connection_adds_is_walked_at_the_next_search(big: Archive) -> None:
    assert 59 not in pages(big, "kari*")
    (path,) = [row[2] for row in big.conn.execute("PRAGMA database_list") if row[1] == "main"]
    with Archive(path) as other, other.write() as conn:
        conn.execute("UPDATE articles SET text = text || ' karizzz' WHERE id = 59")
    assert 59 in pages(big, "kari*")
    assert sorted(pages(big, "kari*")) == sorted(big.article_ids("kari*"))
