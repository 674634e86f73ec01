"""Fixtures for the catalogue's tests: an archive of fixture articles, the real server
on 127.0.0.1 (port 0) in a thread, a real HTTP client (http.client), and the OPDS 1.2
RELAX NG schema (schema/README.md says where it comes from)."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from reader.archive import Archive
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage
from reader.serve.catalogue import BookMaker
from reader.serve.http import CatalogueServer, epub_book

SCHEMA = Path(__file__).parent / "schema" / "opds.rng"
ATOM = "{http://www.w3.org/2005/Atom}"


def make_page(
    title: str, text: str, url: str, *, byline: str | None = None, excerpt: str | None = None
) -> tuple[ExtractedPage, RawPage]:
    """An (ExtractedPage, RawPage) pair as the ingest pipeline hands to the archive."""
    document = Document((Block("paragraph", text),))
    html = f"<html><body><p>{text}</p>".encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=url)
    page = ExtractedPage(document=document, title=title, url=url, byline=byline, excerpt=excerpt)
    return page, raw


@pytest.fixture(scope="session")
def opds_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def assert_valid(schema: etree.RelaxNG, body: bytes) -> etree._Element:
    """The document parsed, after checking it against the OPDS 1.2 schema."""
    root = etree.fromstring(body)
    assert schema.validate(root), str(schema.error_log)
    return root


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Client:
    """A real HTTP client for one server (a new connection a request)."""

    host: str
    port: int

    def request(self, path: str, method: str = "GET", body: bytes | None = None) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body)
            response = connection.getresponse()
            data = response.read()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, headers, data)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request(path)


@dataclass
class Served:
    server: CatalogueServer
    client: Client
    log: list[str]


def stand_in_book(archive: Archive, article_ids: list[int], title: str) -> bytes:
    """What the server hands the EPUB maker, written out so a test can read it back."""
    return f"{title}|{','.join(map(str, article_ids))}".encode()


@contextmanager
def serving(
    archive_path: Path,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    make_book: BookMaker = stand_in_book,
) -> Iterator[Served]:
    """The real server on `host`, any free port, answering in a thread until the end."""
    log: list[str] = []
    server = CatalogueServer(
        (host, 0), archive_path, token=token, make_book=make_book, log=log.append
    )
    # A short poll: shutdown() waits for the loop to look (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Served(server, Client(host, server.server_address[1]), log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


ARTICLES = 120  # more than two pages of PAGE_SIZE


@pytest.fixture
def filled_archive(archive_path: Path) -> Path:
    """ARTICLES articles: odd ones tagged `rust` and `a.b/c`, every third starred, the
    first ten read; titles and bylines holding markup and XML's specials."""
    with Archive(archive_path) as archive:
        for n in range(1, ARTICLES + 1):
            tags = ["rust", "a.b/c"] if n % 2 else ["go"]
            article_id = archive.add_article(
                *make_page(
                    f'Article {n} <b>&amp; ]]> "q"',
                    f"Body of article {n} about borrow checkers.",
                    f"https://example.com/{n}",
                    byline="Ann <Author> & co",
                    excerpt=f"Excerpt {n} with <script>alert(1)</script>",
                ),
                tags=tags,
            )
            if n % 3 == 0:
                archive.set_starred(article_id, True)
            if n <= 10:
                archive.set_read(article_id, True)
    return archive_path


@pytest.fixture
def served(filled_archive: Path) -> Iterator[Served]:
    with serving(filled_archive) as running:
        yield running


@pytest.fixture
def served_epub(filled_archive: Path) -> Iterator[Served]:
    """The server with reader's own EPUB maker."""
    with serving(filled_archive, make_book=epub_book) as running:
        yield running
