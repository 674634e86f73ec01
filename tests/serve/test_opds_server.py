"""The catalogue served for real: feeds valid against the OPDS 1.2 schema, paging,
search, books, and what the server refuses (methods, paths, sizes)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree

from reader.serve import catalogue, opds
from tests.serve.conftest import ARTICLES, ATOM, Served, assert_valid, serving


def links(root: etree._Element, rel: str) -> list[str]:
    return [str(link.get("href")) for link in root.findall(f"{ATOM}link") if link.get("rel") == rel]


def entries(root: etree._Element) -> list[etree._Element]:
    return root.findall(f"{ATOM}entry")


def article_ids(root: etree._Element) -> list[int]:
    ids = [str(entry.findtext(f"{ATOM}id")) for entry in entries(root)]
    return [int(i.rsplit(":", 1)[1]) for i in ids if i.startswith("urn:reader:article:")]


def walk(served: Served, path: str, schema: etree.RelaxNG) -> list[int]:
    """Every article id of a feed, following its `next` links; each page validated,
    each `previous` link leading back to the page before."""
    seen: list[int] = []
    href: str | None = path
    before: str | None = None
    while href is not None:
        answer = served.client.get(href)
        assert answer.status == 200, answer.body
        assert answer.headers["content-type"].startswith(opds.ACQUISITION)
        root = assert_valid(schema, answer.body)
        assert links(root, "previous") == ([before] if before else [])
        seen += article_ids(root)
        following = links(root, "next")
        before, href = href, (following[0] if following else None)
    return seen


def test_root_is_a_navigation_feed_of_the_views(served: Served, opds_schema: etree.RelaxNG) -> None:
    answer = served.client.get("/")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith(opds.NAVIGATION)
    root = assert_valid(opds_schema, answer.body)
    titles = [entry.findtext(f"{ATOM}title") for entry in entries(root)]
    assert titles == ["Unread", "Starred", "Recently added", "Tags"]
    subsections = [entry.find(f"{ATOM}link").get("href") for entry in entries(root)]  # type: ignore[union-attr]
    assert subsections == ["/feeds/unread", "/feeds/starred", "/feeds/recent", "/tags"]
    assert links(root, "search") == ["/opensearch.xml"]
    for href in subsections:
        assert_valid(opds_schema, served.client.get(str(href)).body)


def test_views_page_through_every_article_once(served: Served, opds_schema: etree.RelaxNG) -> None:
    recent = walk(served, "/feeds/recent", opds_schema)
    assert recent == list(range(ARTICLES, 0, -1))  # newest first, none twice, none lost
    assert walk(served, "/feeds/unread", opds_schema) == list(range(ARTICLES, 10, -1))
    starred = walk(served, "/feeds/starred", opds_schema)
    assert starred == [n for n in range(ARTICLES, 0, -1) if n % 3 == 0]


def test_an_entry_carries_the_article_and_its_epub_link(
    served: Served, opds_schema: etree.RelaxNG
) -> None:
    root = assert_valid(opds_schema, served.client.get("/feeds/recent").body)
    entry = entries(root)[1]  # the first is the selection's book
    assert entry.findtext(f"{ATOM}id") == f"urn:reader:article:{ARTICLES}"
    # Markup in page text stays text: escaped by the serializer, read back as typed.
    assert entry.findtext(f"{ATOM}title") == f'Article {ARTICLES} <b>&amp; ]]> "q"'
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ann <Author> & co"
    assert entry.findtext(f"{ATOM}summary") == f"Excerpt {ARTICLES} with <script>alert(1)</script>"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["go"]
    acquisition = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == opds.ACQUIRE]
    assert [(a.get("href"), a.get("type")) for a in acquisition] == [
        (f"/articles/{ARTICLES}.epub", "application/epub+zip")
    ]
    assert b"<script>" not in served.client.get("/feeds/recent").body


def test_tags_lead_to_a_feed_per_tag(served: Served, opds_schema: etree.RelaxNG) -> None:
    root = assert_valid(opds_schema, served.client.get("/tags").body)
    found = {
        entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        for entry in entries(root)
    }
    # A dot and a slash in a name are encoded: no tag can make a path end in .epub.
    assert found == {"a.b/c": "/tags/a%2Eb%2Fc", "go": "/tags/go", "rust": "/tags/rust"}
    odd = list(range(ARTICLES - 1, 0, -2))
    assert walk(served, "/tags/a%2Eb%2Fc", opds_schema) == odd
    assert walk(served, "/tags/rust", opds_schema) == odd
    assert walk(served, "/tags/nothing-has-it", opds_schema) == []


def test_search_takes_readers_search_language(served: Served, opds_schema: etree.RelaxNG) -> None:
    answer = served.client.get("/opensearch.xml")
    assert answer.status == 200
    description = etree.fromstring(answer.body)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url is not None and url.get("type") == opds.ACQUISITION
    port = served.client.port
    assert url.get("template") == f"http://127.0.0.1:{port}/search?q={{searchTerms}}"
    query = quote('"article 7" -tag:go', safe="")
    assert walk(served, f"/search?q={query}", opds_schema) == [7]
    found = walk(served, f"/search?q={quote('is:starred tag:rust', safe='')}", opds_schema)
    assert found == [n for n in range(ARTICLES, 0, -1) if n % 6 == 3]
    bad = served.client.get(f"/search?q={quote('tag:', safe='')}")
    assert bad.status == 400 and b"bad query" in bad.body


def test_paging_is_bounded(served: Served) -> None:
    assert served.client.get("/feeds/recent?page=3").status == 200
    assert served.client.get("/feeds/recent?page=4").status == 404  # past the last
    assert served.client.get(f"/feeds/recent?page={catalogue.MAX_PAGE + 1}").status == 404
    for page in ("0", "-1", "x", "1e3", "9" * 40):
        assert served.client.get(f"/feeds/recent?page={page}").status in (400, 404)


def test_a_selection_and_an_article_are_books(served: Served, opds_schema: etree.RelaxNG) -> None:
    root = assert_valid(opds_schema, served.client.get("/tags/rust").body)
    selection = entries(root)[0]
    assert selection.findtext(f"{ATOM}id") == "urn:reader:book:/tags/rust"
    (href,) = [link.get("href") for link in selection.findall(f"{ATOM}link")]
    assert href == "/tags/rust.epub"
    answer = served.client.get(str(href))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/epub+zip"
    title, ids = answer.body.decode().split("|")
    assert title.startswith("rust (") and "attachment" in answer.headers["content-disposition"]
    assert [int(i) for i in ids.split(",")] == list(range(ARTICLES - 1, 0, -2))[
        : catalogue.SELECTION
    ]
    one = served.client.get("/articles/7.epub")
    assert one.status == 200 and one.body == b'Article 7 <b>&amp; ]]> "q"|7'
    assert served.client.get("/articles/9999.epub").status == 404
    assert served.client.get("/search.epub?q=nothingmatchesthis").status == 404


def test_head_answers_as_get_without_a_body(served: Served) -> None:
    get = served.client.get("/feeds/unread")
    head = served.client.request("/feeds/unread", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(get.body))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(served: Served, method: str) -> None:
    answer = served.client.request("/feeds/unread", method=method, body=b"x=1")
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "path",
    [
        "/nothing",
        "/feeds",
        "/feeds/archived",
        "/feeds/unread/x",
        "/articles/7",
        "/articles/07.epub",
        "/articles/x.epub",
        "/articles/../../etc/passwd",
        "/../archive.db",
        "/archive.db",
        "/%2e%2e/archive.db",
        "/tags/",
        "/t/sometoken/",
    ],
)
def test_unknown_paths_are_404(served: Served, path: str) -> None:
    assert served.client.get(path).status == 404


def test_requests_are_bounded(served: Served) -> None:
    long_query = quote("x" * (catalogue.MAX_QUERY_CHARS + 1))
    assert served.client.get(f"/search?q={long_query}").status == 400
    assert served.client.get("/feeds/unread?" + "&".join(["a=1"] * 20)).status == 400
    assert served.client.get("/feeds/" + "u" * catalogue.MAX_PATH_CHARS).status == 414
    assert served.client.get("/tags/%ff%fe").status == 400  # not UTF-8


def test_the_log_has_a_line_per_request(served: Served) -> None:
    served.client.get("/feeds/unread")
    served.client.get("/nothing")
    assert any('"GET /feeds/unread HTTP/1.1" 200' in line for line in served.log)
    assert any('"GET /nothing HTTP/1.1" 404' in line for line in served.log)


def _valid_epub_zip(data: bytes) -> zipfile.ZipFile:
    """The book as a zip that e-readers open: `mimetype` first, stored, exactly
    `application/epub+zip` (the OCF rule), and the container naming its package."""
    book = zipfile.ZipFile(io.BytesIO(data))
    assert book.testzip() is None
    first = book.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.read("mimetype") == b"application/epub+zip"
    assert b"full-path=" in book.read("META-INF/container.xml")
    return book


def test_books_are_epubs(served_epub: Served, opds_schema: etree.RelaxNG) -> None:
    one = served_epub.client.get("/articles/7.epub")
    assert one.status == 200 and one.headers["content-type"] == "application/epub+zip"
    assert one.headers["content-disposition"].startswith('attachment; filename="Article 7 b')
    book = _valid_epub_zip(one.body)
    chapters = b"".join(book.read(name) for name in book.namelist() if name.endswith(".xhtml"))
    assert b"Body of article 7 about borrow checkers." in chapters
    root = assert_valid(opds_schema, served_epub.client.get("/feeds/starred").body)
    (href,) = [link.get("href") for link in entries(root)[0].findall(f"{ATOM}link")]
    selection = served_epub.client.get(str(href))
    assert selection.status == 200
    book = _valid_epub_zip(selection.body)
    chapters = b"".join(book.read(name) for name in book.namelist() if name.endswith(".xhtml"))
    starred = [n for n in range(ARTICLES, 0, -1) if n % 3 == 0]
    for n in starred:
        assert f"Body of article {n} about".encode() in chapters
    head = served_epub.client.request(str(href), method="HEAD")
    assert head.status == 200 and head.body == b""


def test_feed_ids_tell_feeds_apart(served: Served, opds_schema: etree.RelaxNG) -> None:
    paths = ["/search?q=rust", "/search?q=go", "/search?q=go&page=2", "/feeds/recent?page=2"]
    ids = [
        assert_valid(opds_schema, served.client.get(path).body).findtext(f"{ATOM}id")
        for path in paths
    ]
    assert len(set(ids)) == len(ids)


def test_an_archive_gone_is_503_and_the_server_goes_on(filled_archive: Path) -> None:
    copy = filled_archive.with_name("copy.db")
    shutil.copyfile(filled_archive, copy)
    with serving(copy) as served:
        assert served.client.get("/feeds/unread").status == 200
        copy.unlink()
        answer = served.client.get("/feeds/unread")
        assert answer.status == 503 and b"cannot be read" in answer.body
        shutil.copyfile(filled_archive, copy)  # back: the next request opens it again
        assert served.client.get("/feeds/unread").status == 200
