"""The catalogue's HTTP server: the standard library's ThreadingHTTPServer, read-only.

Why the standard library: the catalogue is a handful of GET routes for one reader's own
devices; `http.server` is maintained with Python, adds no dependency, and its threading
server gives each request a thread, on which the request opens its own read-only
Archive (SQLite connections are per thread) and closes it when answered.

What it allows:
- GET and HEAD; the methods that would change something (POST, PUT, DELETE, PATCH...)
  get 405 with `Allow: GET, HEAD`, unknown ones 501 (http.server's answer);
- only the paths reader.serve.catalogue parses; nothing is read from the disk but the
  archive;
- bounded requests: the request line (http.server: 64 KiB, then ours: MAX_PATH_CHARS),
  headers (http.client's limit of 100), a query string of a few fields, and a socket
  timeout, so a client that stops talking does not hold a thread for ever;
- off loopback, a token in every path (`/t/TOKEN/...`), compared in constant time
  (hmac.compare_digest). On loopback none is asked unless one was given: only this
  machine's programs can reach it there.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
import sys
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from reader.archive import Archive, ArchiveError
from reader.serve.catalogue import Catalogue, RequestError, Response, parse_route
from reader.textrules import display_line

if TYPE_CHECKING:
    from reader.serve.catalogue import BookMaker

TOKEN_PREFIX = "/t/"
REQUEST_TIMEOUT = 30  # seconds a connection may stay silent
_LOCAL_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or `localhost`) is this machine's loopback interface."""
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def choose_token(host: str, given: str | None) -> str | None:
    """The token every path must carry: the one given, else a new one off loopback,
    else none."""
    if given:
        return given
    return None if is_loopback(host) else secrets.token_urlsafe(18)


def strip_token(path: str, token: str | None) -> str | None:
    """`path` without its `/t/TOKEN` prefix, or None when the token is wanted and the
    path does not carry it (constant-time comparison of the token)."""
    if token is None:
        return path
    if not path.startswith(TOKEN_PREFIX):
        return None
    given, slash, rest = path[len(TOKEN_PREFIX) :].partition("/")
    if not hmac.compare_digest(given.encode(), token.encode()):
        return None
    return slash + rest if slash else "/"


def epub_book(archive: Archive, article_ids: list[int], title: str) -> bytes:
    """The EPUB of these articles, made in memory by reader's EPUB export."""
    from reader.export.epub import epub_bytes  # ebooklib, only when a book is asked for
    from reader.export.files import ExportError

    try:
        return epub_bytes(archive, article_ids, title=title)
    except ExportError as error:  # none of them has a text to make a book of
        raise RequestError(404, str(error)) from error


def _content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


class CatalogueServer(ThreadingHTTPServer):
    """The server: which archive, the catalogue that answers, the token it wants."""

    daemon_threads = True  # a download in progress does not hold up Ctrl-C

    def __init__(
        self,
        address: tuple[str, int],
        archive_path: Path,
        *,
        token: str | None,
        make_book: BookMaker = epub_book,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if ":" in address[0]:  # an IPv6 address (the class's default family is IPv4)
            self.address_family = socket.AF_INET6
        super().__init__(address, CatalogueHandler)
        self.archive_path = archive_path
        self.token = token
        self.log = log if log is not None else _to_stderr
        self.catalogue = Catalogue(prefix=self.prefix, origin=self.origin, make_book=make_book)

    @property
    def prefix(self) -> str:
        return f"{TOKEN_PREFIX}{self.token}" if self.token else ""

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The catalogue's root, to give to an e-reader."""
        return f"{self.origin}{self.prefix}/"

    def open_archive(self) -> Archive:
        return Archive(self.archive_path, readonly=True)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class CatalogueHandler(BaseHTTPRequestHandler):
    server: CatalogueServer
    timeout = REQUEST_TIMEOUT
    server_version = "reader-opds"
    sys_version = ""  # which Python serves is nobody's business
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _refuse_method(self) -> None:
        self.close_connection = True  # its body, if any, is never read
        self._send(
            Response(405, "text/plain; charset=utf-8", b"read-only: GET and HEAD only\n"),
            send_body=True,
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    def _answer(self, *, send_body: bool) -> None:
        try:
            response = self._response()
        except RequestError as error:
            response = _text(error.status, error.reason)
        except Exception as error:  # one bad request never stops the server
            self.log_message("error: %s", display_line(f"{type(error).__name__}: {error}"))
            response = _text(500, "the server failed to answer this; see its output")
        self._send(response, send_body=send_body)

    def _response(self) -> Response:
        target = self.path
        if not target.startswith("/"):
            raise RequestError(400, "only paths are served")
        raw_path, _, query_string = target.partition("?")
        path = strip_token(raw_path, self.server.token)
        if path is None:
            raise RequestError(403, "this address needs the token printed when the server started")
        route = parse_route(path, query_string.partition("#")[0])
        try:
            with self.server.open_archive() as archive:
                return self.server.catalogue.respond(archive, route, self.headers.get("Host"))
        except ArchiveError as error:
            self.log_message("%s", display_line(str(error)))
            raise RequestError(503, "the archive cannot be read now") from error

    def _send(
        self, response: Response, *, send_body: bool, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(response.status)
        content_type = response.content_type
        if "xml" in content_type:
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")  # a private archive: no shared caches
        self.send_header("X-Content-Type-Options", "nosniff")
        if response.filename:
            self.send_header("Content-Disposition", _content_disposition(response.filename))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """One line a request on the server's log, the token masked, controls made
        visible (a path is the client's text)."""
        line = display_line(format % args)
        token = self.server.token
        if token:
            line = line.replace(token, "…")
        self.server.log(f"{self.address_string()} {line}")


def _text(status: int, reason: str) -> Response:
    phrase = HTTPStatus(status).phrase
    return Response(status, "text/plain; charset=utf-8", f"{status} {phrase}: {reason}\n".encode())
