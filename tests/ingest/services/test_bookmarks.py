"""Netscape bookmark files, as browsers, Raindrop, Pinboard, linkding and Karakeep write them."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.services.bookmarks import BOOKMARKS

from .results import FIXTURES, split


def test_browser_export_folders_as_tags_and_non_web_links_refused() -> None:
    items, refused = split(BOOKMARKS.read(FIXTURES / "bookmarks_firefox.html"))
    assert [(i.url, i.title, i.tags) for i in items] == [
        # The toolbar is the browser's container, not a folder of the user's.
        ("https://essays.example.org/slow-software", "Slow Software", ("software", "essays")),
        ("https://tides.example.com/read", "Tides & tables", ("Reading", "Science")),
        ("https://stars.example.net/", "Stars", ("Reading",)),
    ]
    slow = items[0]
    assert slow.source == "Bookmarks"
    assert slow.where == "bookmarks_firefox.html: bookmark 1"
    assert slow.excerpt == "Why readers do not wait for software."
    assert slow.saved_at == "2023-11-14T22:13:20Z"
    assert items[1].excerpt is None
    assert [(r.where, r.reason) for r in refused] == [
        ("bookmarks_firefox.html: bookmark 2", "a javascript: link, not a web page"),
        ("bookmarks_firefox.html: bookmark 4", "a place: link, not a web page"),
        ("bookmarks_firefox.html: bookmark 6", "a file: link, not a web page"),
        ("bookmarks_firefox.html: bookmark 7", "a data: link, not a web page"),
    ]


def test_pinboard_and_raindrop() -> None:
    pinboard, refused = split(BOOKMARKS.read(FIXTURES / "bookmarks_pinboard.html"))
    assert [(i.title, i.tags, i.excerpt) for i in pinboard] == [
        ("Slow Software", ("software", "essays"), "Why readers do not wait."),
        ("Tides", (), None),
    ]
    assert refused == []
    raindrop, _ = split(BOOKMARKS.read(FIXTURES / "bookmarks_raindrop.html"))
    assert [(i.tags, i.excerpt) for i in raindrop] == [
        (("Unsorted", "software"), "A note made in Raindrop")
    ]


def test_a_file_without_the_doctype() -> None:
    items, _ = split(BOOKMARKS.read(FIXTURES / "bookmarks_no_doctype.html"))
    assert [i.url for i in items] == ["https://essays.example.org/slow-software"]


def test_nothing_in_the_file_is_run_or_kept_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.html"
    path.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://a.example/" ONCLICK="alert(1)">A <script>alert(2)</script>'
        "<b>bold</b></A>\n<DD>note <img src=x onerror=alert(3)>\n"
        '<DT><A HREF="  JavaScript:alert(4)">js</A>\n'
        '<DT><A HREF="https://b.example/">' + "<DL>" * 5000 + "deep</A>\n"
    )
    items, refused = split(BOOKMARKS.read(path))
    assert items[0].url == "https://a.example/"
    assert (items[0].title, items[0].excerpt) == ("A bold", "note")
    assert refused[0].reason == "a javascript: link, not a web page"


def test_an_empty_or_unclosed_file(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.html"
    path.write_text("")
    assert split(BOOKMARKS.read(path)) == ([], [])
    path.write_text('<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><DT><A HREF="https://a.example/">A')
    items, _ = split(BOOKMARKS.read(path))
    assert [(i.url, i.title) for i in items] == [("https://a.example/", "A")]
