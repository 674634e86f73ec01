"""Fuzzing the ingest pipeline: whatever the bytes, an ExtractedPage or a one-line IngestError.

Three sources of input: arbitrary bytes (with the magic a container starts with, now
and then), HTML-ish token soup, and real pages of the Readability corpus mutated (bytes
flipped, truncated, tags deleted or repeated hundreds of times, charset labels swapped,
junk inserted), bare or inside an MHTML, webarchive or "saved from" wrapper.

Nothing may raise anything but IngestError, whose message must be one short line; no
input may take more than LIMIT seconds (a SIGALRM guard turns a hang into a failure,
and faulthandler ends the run with every stack if a hang never returns to Python).
Run with -s to see how many inputs each test tried. The default run is small (under
~30 s); the @slow ones try more, over every corpus page. Inputs are the same every run
(derandomized) unless READER_FUZZ_RANDOM=1 is set.
"""

from __future__ import annotations

import base64
import faulthandler
import os
import plistlib
import re
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.pipeline import ingest_bytes

from .helpers import page_problems

LIMIT = 20.0  # seconds one input may take, on a loaded CI machine
MAX_MESSAGE = 300  # characters in an IngestError's message
SMALL_PAGE = 80_000  # bytes: the default run mutates corpus pages up to this size

SETTINGS = {
    "deadline": None,  # our own wall-clock guard instead: pages vary 100x in cost
    "database": None,  # no .hypothesis folder in the checkout
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}
# The same inputs every run, so CI never fails by chance; READER_FUZZ_RANDOM=1 explores
# new ones (a failure prints the @reproduce_failure blob to pin it down).
DERANDOMIZE = not os.environ.get("READER_FUZZ_RANDOM")
FAST = settings(max_examples=250, derandomize=DERANDOMIZE, **SETTINGS)
SLOW = settings(max_examples=400, derandomize=DERANDOMIZE, **SETTINGS)


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so the pipeline's `except Exception` cannot
    turn it into an IngestError."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum, frame):
        raise Hang(f"one input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    # The alarm runs when Python gets control back; a loop inside C (lxml) would never
    # give it. Then, well after the alarm, dump every thread's stack and exit: a clear
    # failure in the log instead of a CI job that hangs until its own timeout.
    faulthandler.dump_traceback_later(seconds * 3, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Tally:
    """How many inputs a test tried, and what became of them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.slowest = 0.0

    @property
    def tried(self) -> int:
        return sum(self.outcomes.values())

    def report(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.outcomes.most_common())
        reasons = "; ".join(f"{n}x {r}" for r, n in self.reasons.most_common(8))
        return (
            f"\nfuzz {self.name}: {self.tried} inputs ({kinds}); "
            f"slowest {self.slowest:.2f} s\n  reasons: {reasons}"
        )


def check_input(data: bytes, filename: str, tally: Tally) -> ExtractedPage | None:
    """Feed one input to the pipeline and hold it to its promises."""
    started = time.perf_counter()
    try:
        with time_limit(LIMIT):
            raw, page = ingest_bytes(data, filename)
    except IngestError as error:
        message = str(error)
        assert message, "an IngestError says why"
        assert "\n" not in message and "\r" not in message, repr(message)
        assert len(message) <= MAX_MESSAGE, repr(message)
        assert not re.search("[\x00-\x1f\x7f-\x9f]", message), repr(message)
        tally.outcomes["IngestError"] += 1
        tally.reasons[re.sub(r"\(.*", "(...)", message)[:60]] += 1
        return None
    finally:
        elapsed = time.perf_counter() - started
        tally.slowest = max(tally.slowest, elapsed)
        assert elapsed <= LIMIT, f"{elapsed:.1f} s for one input"
    assert isinstance(raw, RawPage) and isinstance(page, ExtractedPage)
    assert page_problems(page) == []
    tally.outcomes["page"] += 1
    return page


def run(test: Callable[[Tally], None], name: str) -> Tally:
    tally = Tally(name)
    test(tally)
    print(tally.report())
    assert tally.tried > 0
    return tally


# --- arbitrary bytes -----------------------------------------------------------------

FILENAMES = st.sampled_from(
    ["page.html", "page.htm", "page.mhtml", "page.mht", "a.webarchive", "-"]
)
MAGIC = st.sampled_from(
    [
        b"",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
        b"bplist00",
        b"<!DOCTYPE html>",
        b"<html><body><p>",
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
        b"<!-- saved from url=(0022)https://a.example/x -->\n",
        b'<?xml version="1.0"?><plist><dict><key>WebMainResource</key>',
        b"\x89PNG\r\n\x1a\n",
        b"%PDF-1.4\n",
        b"PK\x03\x04",
    ]
)


def arbitrary_bytes(tally: Tally, config: settings) -> None:
    @config
    @given(magic=MAGIC, body=st.binary(max_size=4096), filename=FILENAMES)
    def check(magic: bytes, body: bytes, filename: str) -> None:
        check_input(magic + body, filename, tally)

    check()


TOKENS = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<article>",
    "<h1>",
    "<title>",
    "</title>",
    "<a href='javascript:alert(1)'>",
    "<a href=x>",
    "</a>",
    "<base href=//evil.example/>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<table><tr><td>",
    "<pre>",
    "<ul><li>",
    "<img src=data:x alt=",
    "<meta charset=utf-16>",
    "<meta charset=shift_jis>",
    '<script type="application/ld+json">{"@type":"NewsArticle","headline":',
    "&#x202e;",
    "&#27;[31m",
    "&#0;",
    "&#x9b;",
    "&amp",
    "\x00",
    "\x1b]52;c;eA==\x07",
    "[bold]",
    "[/]",
    "\u202e",
    "\ufeff",
    "\ud7ff",
    " ",
    "\n",
]


def token_soup(tally: Tally, config: settings) -> None:
    piece = st.one_of(st.sampled_from(TOKENS), st.text(max_size=40))

    @config
    @given(
        pieces=st.lists(piece, max_size=200),
        repeat=st.integers(1, 40),
        encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "shift_jis"]),
        filename=FILENAMES,
    )
    def check(pieces: list[str], repeat: int, encoding: str, filename: str) -> None:
        text = "".join(pieces) * repeat
        data = text.encode(encoding, errors="replace")
        check_input(data, filename, tally)

    check()


def test_arbitrary_bytes() -> None:
    run(lambda tally: arbitrary_bytes(tally, FAST), "arbitrary bytes")


def test_html_token_soup() -> None:
    run(lambda tally: token_soup(tally, FAST), "token soup")


@pytest.mark.slow
def test_arbitrary_bytes_and_token_soup_more() -> None:
    run(lambda tally: arbitrary_bytes(tally, SLOW), "arbitrary bytes (slow)")
    run(lambda tally: token_soup(tally, SLOW), "token soup (slow)")


# --- mutated corpus pages -------------------------------------------------------------

LABELS = [
    "utf-8",
    "utf-16",
    "utf-16be",
    "utf-32",
    "utf-7",
    "iso-8859-1",
    "windows-1252",
    "windows-1251",
    "koi8-r",
    "shift_jis",
    "euc-jp",
    "iso-2022-jp",
    "gb18030",
    "big5",
    "hz-gb-2312",
    "x-user-defined",
    "replacement",
    "bogus-charset",
    "",
    "utf-8\x00",
    "\u202eutf-8",
]
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?[\w:.-]*", re.I)
_TAG = re.compile(rb"<[^<>]{0,300}>")


@cache
def corpus_pages(corpus: Path, max_size: int | None) -> list[bytes]:
    pages = []
    for path in sorted(corpus.glob("*/source.html")):
        if max_size is None or path.stat().st_size <= max_size:
            pages.append(path.read_bytes())
    return pages


def _nth(matches: list[re.Match[bytes]], which: int) -> re.Match[bytes] | None:
    return matches[which % len(matches)] if matches else None


def mutation() -> st.SearchStrategy[Callable[[bytes], bytes]]:
    """One change to a page's bytes, drawn by Hypothesis (so failures shrink)."""
    where = st.integers(0, 2**31)

    def flip(position: int, value: int) -> Callable[[bytes], bytes]:
        def apply(data: bytes) -> bytes:
            if not data:
                return data
            i = position % len(data)
            return data[:i] + bytes([value]) + data[i + 1 :]

        return apply

    def flips(position: int, values: bytes) -> Callable[[bytes], bytes]:
        def apply(data: bytes) -> bytes:
            for offset, value in enumerate(values):
                data = flip(position * (offset + 1), value)(data)
            return data

        return apply

    def truncate(fraction: float) -> Callable[[bytes], bytes]:
        return lambda data: data[: int(len(data) * fraction)]

    def delete_tag(which: int) -> Callable[[bytes], bytes]:
        def apply(data: bytes) -> bytes:
            match = _nth(list(_TAG.finditer(data)), which)
            return data if match is None else data[: match.start()] + data[match.end() :]

        return apply

    def repeat_tag(which: int, times: int) -> Callable[[bytes], bytes]:
        def apply(data: bytes) -> bytes:
            match = _nth(list(_TAG.finditer(data)), which)
            if match is None:
                return data
            return data[: match.start()] + match.group() * times + data[match.end() :]

        return apply

    def swap_charset(label: str) -> Callable[[bytes], bytes]:
        encoded = label.encode("utf-8")

        def apply(data: bytes) -> bytes:
            if _CHARSET.search(data):
                return _CHARSET.sub(b"charset=" + encoded, data)
            return b'<meta charset="' + encoded + b'">' + data

        return apply

    def insert(position: int, junk: bytes) -> Callable[[bytes], bytes]:
        def apply(data: bytes) -> bytes:
            i = position % (len(data) + 1)
            return data[:i] + junk + data[i:]

        return apply

    def prefix(bom: bytes) -> Callable[[bytes], bytes]:
        return lambda data: bom + data

    return st.one_of(
        st.builds(flip, where, st.integers(0, 255)),
        st.builds(flips, where, st.binary(min_size=2, max_size=64)),
        st.builds(truncate, st.floats(0, 1)),
        st.builds(delete_tag, where),
        st.builds(repeat_tag, where, st.integers(2, 3000)),
        st.builds(swap_charset, st.sampled_from(LABELS)),
        st.builds(insert, where, st.binary(max_size=64) | st.sampled_from(TOKENS).map(str.encode)),
        st.builds(prefix, st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00<"])),
    )


def wrap(kind: str, html: bytes) -> tuple[bytes, str]:
    """`html` as a browser would save it: bare, "saved from" HTML, MHTML or webarchive."""
    if kind == "saved-from":
        url = b"https://saved.example/article"
        return b"<!-- saved from url=(%04d)%s -->\n" % (len(url), url) + html, "page.html"
    if kind == "mhtml":
        body = base64.encodebytes(html)
        head = (
            b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://m.example/a\r\n"
            b"Subject: a page\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related; type="text/html"; boundary="----b"\r\n\r\n'
            b"------b\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
            b"Content-Transfer-Encoding: base64\r\nContent-Location: https://m.example/a\r\n\r\n"
        )
        return head + body + b"\r\n------b--\r\n", "page.mhtml"
    if kind == "webarchive":
        archive = {
            "WebMainResource": {
                "WebResourceData": html,
                "WebResourceMIMEType": "text/html",
                "WebResourceTextEncodingName": "UTF-8",
                "WebResourceURL": "https://w.example/a",
                "WebResourceFrameName": "",
            }
        }
        return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY), "page.webarchive"
    return html, "page.html"


def mutated_pages(tally: Tally, config: settings, pages: list[bytes]) -> None:
    @config
    @given(
        index=st.integers(0, len(pages) - 1),
        kind=st.sampled_from(["html", "saved-from", "mhtml", "webarchive"]),
        changes=st.lists(mutation(), min_size=1, max_size=4),
        outside=st.booleans(),
    )
    def check(index: int, kind: str, changes: list, outside: bool) -> None:
        html = pages[index]
        if not outside:  # mutate the page, then wrap it intact
            for change in changes:
                html = change(html)
        data, filename = wrap(kind, html)
        if outside:  # wrap, then damage the container too
            for change in changes:
                data = change(data)
        check_input(data, filename, tally)

    check()


def test_mutated_corpus_pages(corpus_dir: Path) -> None:
    pages = corpus_pages(corpus_dir, SMALL_PAGE)
    tally = run(lambda tally: mutated_pages(tally, FAST, pages), "mutated corpus pages")
    assert tally.outcomes["page"] > 0, "some mutated pages still import"


@pytest.mark.slow
def test_mutated_corpus_pages_more(corpus_dir: Path) -> None:
    pages = corpus_pages(corpus_dir, None)
    run(lambda tally: mutated_pages(tally, SLOW, pages), "mutated corpus pages (slow)")


def test_every_corpus_page_wrapped_each_way(corpus_dir: Path) -> None:
    """The unmutated pages in every container: the wrappers themselves are sound."""
    tally = Tally("corpus pages wrapped")
    for html in corpus_pages(corpus_dir, SMALL_PAGE)[::4]:
        for kind in ("saved-from", "mhtml", "webarchive"):
            data, filename = wrap(kind, html)
            check_input(data, filename, tally)
    print(tally.report())
    assert tally.outcomes["page"] >= tally.tried * 3 // 4
