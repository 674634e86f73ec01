"""The catalogue's paths: a request's path and query -> what to read -> a response.

Every path is parsed here into a `Route` (pure: `parse_route`), and only a Route is
ever acted on: no part of a request names a file, and nothing is served from the disk
but the archive, read through its own API (reader.archive: search, tag_counts,
get_summary) on a read-only Archive the server opens for the request.

    /                         the root: a navigation feed of the views below
    /feeds/VIEW               unread, starred, recent: acquisition feeds, newest first
    /tags                     a navigation feed, an entry per tag
    /tags/NAME                the articles of one tag (NAME percent-encoded, dots too)
    /search?q=QUERY           reader's search language
    /opensearch.xml           how a client searches (OPDS 1.2 §3)
    /articles/ID.epub         one article as a book
    a feed's path + .epub     its first SELECTION articles as one book

Pages are bounded (`?page=N`, PAGE_SIZE entries, at most MAX_PAGE pages): the archive
may hold a million articles, and a page is read with the archive's own paging (keyset
where a listing allows it), so a deep page costs a bounded walk; past MAX_PAGE pages a
feed says to search instead. Missing pages (known from an export, no text yet) are left
out: there is nothing to read in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote

from reader.export.names import slugify
from reader.query import Query, QueryError, parse_query
from reader.serve import opds
from reader.textrules import plural

if TYPE_CHECKING:
    from reader.archive import Archive

PAGE_SIZE = 50
MAX_PAGE = 200  # 10,000 entries deep; further is a search's job, not a list's
SELECTION = 50  # articles in a view's one-book selection
MAX_QUERY_CHARS = 500
MAX_PATH_CHARS = 2048
MAX_QUERY_FIELDS = 8
TAGS_PAGE_SIZE = 200

_NOT_MISSING = Query(excluded_flags=("missing",))
# The views of the root feed: (name, title, description, query).
VIEWS: dict[str, tuple[str, str, Query]] = {
    "unread": ("Unread", "Articles not read yet, newest first", Query(flags=("unread",))),
    "starred": ("Starred", "Starred articles, newest first", Query(flags=("starred",))),
    "recent": ("Recently added", "Every article, newest first", Query()),
}
_ID = re.compile(r"[1-9][0-9]{0,17}")
_PAGE = re.compile(r"[1-9][0-9]{0,5}")
# A Host header worth echoing in an absolute URL: a name or address and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


class RequestError(Exception):
    """A request the catalogue cannot answer: `status` and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Route:
    """What a request asks for. `kind`: root, view, tags, tag, search, opensearch, article.
    `book`: the EPUB of it rather than its feed."""

    kind: str
    name: str = ""  # the view's or the tag's name, the search's query text
    article_id: int = 0
    page: int = 1
    book: bool = False


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    filename: str = ""  # an attachment's name (EPUB downloads)


def tag_path(name: str) -> str:
    """A tag's feed path: every byte but letters and digits encoded, dots too, so no
    name can end in `.epub` or hold a `/`."""
    return "/tags/" + quote(name, safe="").replace(".", "%2E")


def _page_of(values: dict[str, list[str]]) -> int:
    text = values.get("page", ["1"])[-1]
    if not _PAGE.fullmatch(text):
        raise RequestError(400, "page must be a whole number from 1")
    page = int(text)
    if page > MAX_PAGE:
        raise RequestError(404, f"no page past {MAX_PAGE}: search to narrow the list")
    return page


def parse_route(path: str, query_string: str) -> Route:
    """The Route a path and query string ask for; RequestError for anything else."""
    if len(path) + len(query_string) > MAX_PATH_CHARS:
        raise RequestError(414, "the address is too long")
    try:
        values = parse_qs(
            query_string, max_num_fields=MAX_QUERY_FIELDS, strict_parsing=False, errors="strict"
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise RequestError(400, "the query string cannot be read") from error
    page = _page_of(values)
    book = path.endswith(".epub")
    stem = path[: -len(".epub")] if book else path
    if path in ("/", ""):
        return Route("root")
    if path == "/opensearch.xml":
        return Route("opensearch")
    if path == "/tags":
        return Route("tags", page=page)
    if stem == "/search":
        text = values.get("q", [""])[-1]
        if len(text) > MAX_QUERY_CHARS:
            raise RequestError(400, f"a search is at most {MAX_QUERY_CHARS} characters")
        return Route("search", name=text, page=page, book=book)
    parts = stem.split("/")
    if len(parts) == 3 and parts[1] == "feeds" and parts[2] in VIEWS:
        return Route("view", name=parts[2], page=page, book=book)
    if len(parts) == 3 and parts[1] == "tags" and parts[2]:
        try:
            name = unquote(parts[2], errors="strict")
        except UnicodeDecodeError as error:
            raise RequestError(400, "a tag name is not UTF-8") from error
        return Route("tag", name=name, page=page, book=book)
    if len(parts) == 3 and parts[1] == "articles" and book and _ID.fullmatch(parts[2]):
        return Route("article", article_id=int(parts[2]), book=True)
    raise RequestError(404, "nothing here")


# Makes a whole book in memory: reader.export.epub.epub_bytes, or a stand-in in tests.
BookMaker = Callable[["Archive", list[int], str], bytes]


@dataclass(frozen=True)
class Catalogue:
    """Answers Routes from an archive. `prefix`: what every href starts with (`/t/TOKEN`
    off loopback, else nothing); `origin`: scheme, host and port, for the one absolute
    URL (the OpenSearch template), used when the request's Host header is unfit."""

    prefix: str
    origin: str
    make_book: BookMaker

    def respond(self, archive: Archive, route: Route, host: str | None = None) -> Response:
        if route.kind == "root":
            return self._root()
        if route.kind == "opensearch":
            origin = f"http://{host}" if host and _HOST.fullmatch(host) else self.origin
            template = f"{origin}{self.prefix}/search?q={{searchTerms}}"
            return Response(200, opds.OPENSEARCH_TYPE, opds.opensearch_description(template))
        if route.kind == "tags":
            return self._tags(archive, route.page)
        if route.kind == "article":
            return self._article_book(archive, route.article_id)
        query, title, path = self._selection(route)
        params = {"q": route.name} if route.kind == "search" else {}
        if route.book:
            return self._selection_book(archive, query, title)
        return self._listing(archive, query, title, path, route.page, params)

    # -- feeds --------------------------------------------------------------------------

    def _href(self, path: str, page: int = 1, params: dict[str, str] | None = None) -> str:
        pairs = [f"{key}={quote(value, safe='')}" for key, value in (params or {}).items()]
        if page > 1:
            pairs.append(f"page={page}")
        return self.prefix + path + ("?" + "&".join(pairs) if pairs else "")

    def _feed(
        self, kind: str, path: str, title: str, page: int = 1, params: dict[str, str] | None = None
    ) -> opds.Feed:
        return opds.Feed(
            id=_urn("feed", self._href(path, page, params)[len(self.prefix) :]),
            title=title,
            self_href=self._href(path, page, params),
            start_href=self._href("/"),
            kind=kind,
            up_href=None if path == "/" else self._href("/"),
            search_href=self._href("/opensearch.xml"),
        )

    def _root(self) -> Response:
        feed = self._feed(opds.NAVIGATION, "/", opds.CATALOGUE_TITLE)
        items = [
            opds.NavigationItem(
                f"urn:reader:view:{name}", title, self._href(f"/feeds/{name}"), about
            )
            for name, (title, about, _) in VIEWS.items()
        ]
        items.append(
            opds.NavigationItem(
                "urn:reader:tags", "Tags", self._href("/tags"), "A list per tag", opds.NAVIGATION
            )
        )
        return Response(200, opds.NAVIGATION, opds.navigation_feed(feed, items))

    def _tags(self, archive: Archive, page: int) -> Response:
        tags = [tag for tag in archive.tag_counts() if tag.count > 0]
        start = (page - 1) * TAGS_PAGE_SIZE
        if start and start >= len(tags):
            raise RequestError(404, "no such page")
        shown = tags[start : start + TAGS_PAGE_SIZE]
        feed = _paged(
            self._feed(opds.NAVIGATION, "/tags", "Tags", page),
            self._href("/tags", page - 1) if page > 1 else None,
            self._href("/tags", page + 1) if start + TAGS_PAGE_SIZE < len(tags) else None,
        )
        items = [
            opds.NavigationItem(
                id=_urn("tag", tag_path(tag.name)),
                title=tag.name,
                href=self._href(tag_path(tag.name)),
                content=plural(tag.count, "article"),
            )
            for tag in shown
        ]
        return Response(200, opds.NAVIGATION, opds.navigation_feed(feed, items))

    def _selection(self, route: Route) -> tuple[Query, str, str]:
        """(query, title, feed path) of a view, a tag or a search."""
        if route.kind == "view":
            title, _, query = VIEWS[route.name]
            return query.combine(_NOT_MISSING), title, f"/feeds/{route.name}"
        if route.kind == "tag":
            return Query(tags=(route.name,)).combine(_NOT_MISSING), route.name, tag_path(route.name)
        try:
            query = parse_query(route.name)
        except QueryError as error:
            raise RequestError(400, f"bad query: {error}") from error
        title = f"Search: {route.name}" if route.name.strip() else "Search"
        return query.combine(_NOT_MISSING), title, "/search"

    def _listing(
        self,
        archive: Archive,
        query: Query,
        title: str,
        path: str,
        page: int,
        params: dict[str, str],
    ) -> Response:
        hits = archive.search(query, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
        if page > 1 and not hits:
            raise RequestError(404, "no such page")
        articles = [hit.article for hit in hits[:PAGE_SIZE]]
        more = len(hits) > PAGE_SIZE
        feed = _paged(
            self._feed(opds.ACQUISITION, path, title, page, params),
            self._href(path, page - 1, params) if page > 1 else None,
            self._href(path, page + 1, params) if more and page < MAX_PAGE else None,
        )
        if more and page == MAX_PAGE:
            limit = MAX_PAGE * PAGE_SIZE
            feed = replace(
                feed, subtitle=f"The list stops at {limit} articles: search to find more"
            )
        selection = None
        if page == 1 and articles:
            count = min(SELECTION, len(hits))
            selection = opds.Selection(
                id=_urn("book", self._href(path, params=params)[len(self.prefix) :]),
                title=f"{title}: the first {count} as one book"
                if count > 1
                else f"{title} as a book",
                href=self._href(path + ".epub", params=params),
                count=count,
            )
        books = {a.id: self._href(f"/articles/{a.id}.epub") for a in articles}
        return Response(
            200, opds.ACQUISITION, opds.acquisition_feed(feed, articles, books, selection)
        )

    # -- books --------------------------------------------------------------------------

    def _article_book(self, archive: Archive, article_id: int) -> Response:
        article = archive.get_summary(article_id)
        if article is None or article.missing:
            raise RequestError(404, f"no article {article_id}")
        title = opds.xml_text(article.title) or f"Article {article_id}"
        body = self.make_book(archive, [article_id], title)
        return Response(200, opds.EPUB, body, filename=f"{slugify(title)}.epub")

    def _selection_book(self, archive: Archive, query: Query, title: str) -> Response:
        ids = [hit.article.id for hit in archive.search(query, limit=SELECTION)]
        if not ids:
            raise RequestError(404, "no articles to make a book of")
        today = datetime.now(UTC).date().isoformat()
        book_title = f"{opds.xml_text(title)} ({today})"
        body = self.make_book(archive, ids, book_title)
        return Response(200, opds.EPUB, body, filename=f"{slugify(book_title)}.epub")


def _paged(feed: opds.Feed, previous: str | None, following: str | None) -> opds.Feed:
    return replace(feed, previous_href=previous, next_href=following)


def _urn(kind: str, local: str) -> str:
    """A stable id for a feed, a book or a tag: its path (and query) without the token,
    which is no part of what it is."""
    return f"urn:reader:{kind}:{quote(local, safe='/?=&%')}"
