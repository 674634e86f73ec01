"""ItemStore on a real archive file: missing pages, matching by URL keys, filling a
missing page when its page arrives, merging another source's data, quotes."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

from reader.archive import Archive, KnownItem
from reader.archive.schema import counted, migrate
from tests.archive.conftest import make_page

URL = "http://Example.com/post/?utm_source=twitter&id=7#comments"
CANONICAL = "https://www.example.com/post?id=7"


def missing(archive: Archive, **fields: object) -> int:
    item = KnownItem(**{"url": URL, "title": "Saved in Pocket", **fields})  # type: ignore[arg-type]
    with archive.write():
        return archive.add_missing(item)


def test_a_missing_page_is_an_article_with_no_text(archive: Archive) -> None:
    article_id = missing(
        archive, tags=("pocket", "later"), starred=True, added_at="2020-01-02T03:04:05Z"
    )
    summary = archive.get_summary(article_id)
    assert summary is not None and summary.missing
    assert summary.title == "Saved in Pocket" and summary.url == URL
    assert summary.tags == ("later", "pocket") and summary.starred
    assert summary.added_at == "2020-01-02T03:04:05Z"
    assert archive.get_article(article_id).text == ""
    assert archive.sidebar_counts()["missing"] == 1
    assert [h.article.id for h in archive.search("is:missing")] == [article_id]
    assert archive.search("-is:missing") == []
    assert archive.count("is:missing") == 1
    kept = dict(archive.conn.execute("SELECT name, n FROM counts"))
    assert kept == counted(archive.conn)


def test_urls_match_after_normalisation(archive: Archive) -> None:
    article_id = missing(archive)
    for same in (
        CANONICAL,
        "https://example.com/post/?id=7&fbclid=x",
        "HTTP://EXAMPLE.COM:80/post?id=7",
    ):
        assert archive.article_for_urls([same]) == article_id
        assert archive.find_duplicate(same) == article_id
    assert archive.article_for_urls(["https://example.com/post?id=8"]) is None
    assert archive.article_for_urls(["https://example.com/other?id=7"]) is None
    assert archive.article_for_urls([None, "javascript:alert(1)"]) is None


def test_quotes_wait_on_a_missing_page_and_are_placed_when_it_arrives(archive: Archive) -> None:
    article_id = missing(archive, title="")
    with archive.write():
        waiting = archive.add_quote(article_id, "It's the second one", note="why", color="blue")
        again = archive.add_quote(article_id, "it’s the  second one")  # the same, typed otherwise
        absent = archive.add_quote(article_id, "Words that are on no page at all, anywhere")
    assert waiting.waiting and again.known and absent.waiting
    quotes = archive.annotations_for(article_id)
    assert [(a.exact, a.orphaned, a.start, a.end) for a in quotes] == [
        ("It's the second one", True, 0, 0),
        ("Words that are on no page at all, anywhere", True, 0, 0),
    ]
    page, raw = make_page(
        "The page's title", ("First paragraph.", "It's the second one, here."), url=CANONICAL
    )
    assert archive.find_duplicate(page.url, raw.sha256) == article_id
    with archive.write():
        result = archive.fill_missing(article_id, page, raw)
    assert (result.kept + result.moved, result.orphaned) == (1, 1)
    article = archive.get_article(article_id)
    assert not article.missing and article.text.startswith("First paragraph.")
    assert article.title == "The page's title"  # the export had none: the page's fills it
    assert article.url == CANONICAL
    lost, placed = sorted(archive.annotations_for(article_id), key=lambda a: not a.orphaned)
    assert article.text[placed.start : placed.end] == "It's the second one"
    assert (placed.note, placed.color, placed.orphaned) == ("why", "blue", False)
    assert lost.orphaned and lost.exact.startswith("Words")
    assert archive.sidebar_counts()["missing"] == 0
    assert archive.article_for_urls([URL]) == article_id  # the export's URL still finds it


def test_filling_keeps_the_users_title_and_state(archive: Archive) -> None:
    article_id = missing(archive, starred=True, read_at="2021-01-01T00:00:00Z")
    page, raw = make_page("Page title", url=CANONICAL)
    with archive.write():
        archive.fill_missing(article_id, page, raw)
    summary = archive.get_summary(article_id)
    assert summary.title == "Saved in Pocket" and summary.starred and summary.is_read
    assert summary.site_name == "Example"  # what the export lacked, the page gave


def test_a_quote_on_a_present_page_is_anchored_at_once(archive: Archive) -> None:
    page, raw = make_page(paragraphs=("He said “no” — twice.", "Then left."), url=CANONICAL)
    article_id = archive.add_article(page, raw)
    with archive.write():
        placed = archive.add_quote(
            article_id, 'He said "no" - twice.', created_at="2019-05-05T10:00:00Z"
        )
        known = archive.add_quote(article_id, "he said “no” — twice.")
    assert placed.anchored and known.known
    (highlight,) = archive.annotations_for(article_id)
    assert (highlight.start, highlight.end) == (0, len("He said “no” — twice."))
    assert highlight.created_at == "2019-05-05T10:00:00Z"


def test_a_quote_goes_where_its_source_says_when_the_text_there_is_the_quote(
    archive: Archive,
) -> None:
    text = "the cat sat. The cat sat again. the cat sat."
    page, raw = make_page(paragraphs=(text,), url=CANONICAL)
    article_id = archive.add_article(page, raw)
    second = text.index("cat sat again")
    with archive.write():
        # a start and an end that hold the quote
        assert archive.add_quote(article_id, "cat sat", at=(second, second + 7)).anchored
        # a start alone (an export keeps no end): the quote's length from there
        last = text.rindex("cat sat")
        assert archive.add_quote(article_id, "the cat sat", at=(last - 4, None)).anchored
        # a position that does not hold the quote: placed by the quote
        assert archive.add_quote(article_id, "again", at=(0, 3)).anchored
    spans = sorted((a.start, a.end) for a in archive.annotations_for(article_id))
    again = text.index("again")
    assert spans == [(second, second + 7), (again, again + 5), (last - 4, last + 7)]


def test_a_known_quote_brings_its_new_note(archive: Archive) -> None:
    page, raw = make_page(paragraphs=("Words worth keeping here.",), url=CANONICAL)
    article_id = archive.add_article(page, raw)
    with archive.write():
        archive.add_quote(article_id, "worth keeping")
        again = archive.add_quote(article_id, "worth keeping", note="Added on the device")
        once_more = archive.add_quote(article_id, "worth keeping", note="Added on the device")
        inside = archive.add_quote(article_id, "keeping", note="A second thought")
    assert again.known and again.noted
    assert once_more.known and not once_more.noted
    assert inside.anchored  # inside the highlight with a note of its own: joined to it
    (highlight,) = archive.annotations_for(article_id)
    assert highlight.note == "Added on the device\n\nA second thought"


def test_merging_another_source_keeps_the_users_data(archive: Archive) -> None:
    article_id = missing(archive, tags=("a",), added_at="2022-01-01T00:00:00Z", progress=0.2)
    other = KnownItem(
        url=CANONICAL,
        title="Another title",
        byline="Ann Author",
        added_at="2021-06-01T00:00:00Z",
        archived_at="2023-01-01T00:00:00Z",
        starred=True,
        progress=0.5,
        tags=("A", "b"),
    )
    with archive.write():
        assert archive.merge_item(article_id, other)
    summary = archive.get_summary(article_id)
    assert summary.title == "Saved in Pocket"  # the article's own stays
    assert summary.byline == "Ann Author"  # what it lacked is filled
    assert summary.added_at == "2021-06-01T00:00:00Z"  # the earliest saved time
    assert summary.is_archived and summary.starred and summary.progress == 0.5
    assert summary.tags == ("a", "b")
    revision = archive.article_revision(article_id)
    with archive.write():
        assert not archive.merge_item(article_id, other)  # the same again: nothing changes
    assert archive.article_revision(article_id) == revision


def test_a_book_without_a_url_is_found_by_title_and_author(archive: Archive) -> None:
    with archive.write():
        book = archive.add_missing(KnownItem(title="Deep Work", byline="Cal Newport"))
        archive.add_missing(KnownItem(title="Twice", byline="A"))
        archive.add_missing(KnownItem(title="twice", byline="B"))
    assert archive.article_for_title("deep work", "Cal Newport") == book
    assert archive.article_for_title("Deep Work", None) == book
    assert archive.article_for_title("Deep Work", "Someone Else") is None
    assert archive.article_for_title("Twice", None) is None  # two match: none is sure
    assert archive.article_for_title("Twice", "b") is not None


def test_article_notes_are_added_once(archive: Archive) -> None:
    article_id = missing(archive)
    with archive.write():
        assert archive.add_note_once(article_id, "Read for the intro.")
        assert not archive.add_note_once(article_id, "Read for the intro.  ")
    assert [a.note for a in archive.annotations_for(article_id)] == ["Read for the intro."]


def test_deleting_a_missing_page_forgets_its_keys(archive: Archive) -> None:
    article_id = missing(archive)
    archive.delete_article(article_id)
    assert archive.article_for_urls([URL]) is None
    assert archive.sidebar_counts()["missing"] == 0


def _v2_archive(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, None, target=2)
    conn.execute(
        "INSERT INTO articles(id, url, title, added_at, updated_at)"
        " VALUES (1, ?, 'Old', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
        (CANONICAL,),
    )
    conn.execute(
        "INSERT INTO sources(article_id, kind, sha256, size, url, raw)"
        " VALUES (1, 'html', 'x', 0, 'https://example.com/saved-from', ?)",
        (zlib.compress(b""),),
    )
    conn.close()


def test_a_v2_archive_gets_url_keys_for_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    _v2_archive(path)
    with Archive(path) as archive:
        assert archive.article_for_urls([URL]) == 1
        assert archive.article_for_urls(["http://example.com/saved-from/"]) == 1
        assert archive.sidebar_counts()["missing"] == 0
        assert archive.check() == []


def test_a_v2_archive_opened_read_only_reads_as_one_with_no_missing_pages(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    _v2_archive(path)
    with Archive(path, readonly=True) as archive:
        assert not archive.get_summary(1).missing
        assert archive.search("is:missing") == []
        assert archive.sidebar_counts()["missing"] == 0
