"""pipeline: parse + extract, and nothing but IngestError (one line) out of a bad page."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.pipeline import ingest_bytes, ingest_path


@pytest.fixture
def fake_extract(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[RawPage], object]], list]:
    """Swap `reader.ingest.extract` for a stub running `behaviour(raw)`; returns its calls."""

    def install(behaviour: Callable[[RawPage], object]) -> list[RawPage]:
        calls: list[RawPage] = []

        def extract_page(raw: RawPage) -> object:
            calls.append(raw)
            return behaviour(raw)

        module = types.ModuleType("reader.ingest.extract")
        module.extract_page = extract_page  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "reader.ingest.extract", module)
        return calls

    return install


def article(raw: RawPage) -> ExtractedPage:
    return ExtractedPage(document=Document((Block("paragraph", text="Hello"),)), title="T")


def test_ingest_bytes_returns_the_raw_page_and_the_article(fake_extract, make_mhtml) -> None:
    calls = fake_extract(article)
    raw, page = ingest_bytes(make_mhtml(), "guide.mhtml")
    assert raw.kind == "mhtml" and raw.filename == "guide.mhtml"
    assert page.title == "T"
    assert calls == [raw]


def test_ingest_path(fake_extract, tmp_path: Path, article_html: str) -> None:
    fake_extract(article)
    path = tmp_path / "guide.html"
    path.write_text(article_html, encoding="utf-8")
    raw, page = ingest_path(path)
    assert raw.filename == "guide.html" and page.text == "Hello"


@pytest.mark.parametrize(
    ("exception", "reason"),
    [
        (
            ValueError("All strings must be XML compatible:\nno NULL bytes"),
            "could not read the page (ValueError: All strings must be XML compatible: no NULL"
            " bytes)",
        ),
        (
            RecursionError("maximum recursion depth exceeded"),
            "the page is nested too deeply to read",
        ),
        (MemoryError(), "not enough memory to read this page"),
        (KeyError("x"), "could not read the page (KeyError: 'x')"),
        (AssertionError(), "could not read the page (AssertionError)"),
        (IngestError("no article text found"), "no article text found"),
        # Controls are removed (the storage rule, reader.textrules), line breaks become spaces.
        (IngestError("two\nlines\x1b[31m"), "two lines[31m"),
    ],
)
def test_any_failure_of_extract_becomes_a_one_line_ingest_error(
    fake_extract, article_html: str, exception: BaseException, reason: str
) -> None:
    def fail(raw: RawPage) -> object:
        raise exception

    fake_extract(fail)
    with pytest.raises(IngestError) as caught:
        ingest_bytes(article_html.encode(), "page.html")
    assert str(caught.value) == reason


def test_long_reasons_are_cut(fake_extract, article_html: str) -> None:
    def fail(raw: RawPage) -> object:
        raise ValueError("x" * 5000)

    fake_extract(fail)
    with pytest.raises(IngestError) as caught:
        ingest_bytes(article_html.encode(), "page.html")
    assert len(str(caught.value)) < 200 and str(caught.value).endswith("…)")


def test_pages_over_the_limit_are_never_parsed(fake_extract, tmp_path: Path) -> None:
    calls = fake_extract(article)
    data = b"<p>" + b"word " * 1000 + b"</p>"
    with pytest.raises(IngestError, match=r"larger than the 1 KB limit \(--max-size\)$"):
        ingest_bytes(data, "big.html", max_size=1024)
    path = tmp_path / "big.html"
    path.write_bytes(data)
    with pytest.raises(IngestError, match=r"larger than the 1 KB limit"):
        ingest_path(path, max_size=1024)
    assert calls == []
    assert ingest_bytes(data, "big.html", max_size=None)[1].text == "Hello"


def test_container_errors_pass_through(fake_extract, tmp_path: Path) -> None:
    calls = fake_extract(article)
    with pytest.raises(IngestError, match=r"^empty file$"):
        ingest_bytes(b"", "-")
    with pytest.raises(IngestError, match=r"^cannot read the file"):
        ingest_path(tmp_path / "missing.html")
    assert calls == []


# --- with the real extractor (skipped until reader.ingest.extract exists) ------------


@pytest.fixture
def real_extract() -> None:
    pytest.importorskip("reader.ingest.extract")


@pytest.mark.usefixtures("real_extract")
def test_mhtml_end_to_end(make_mhtml) -> None:
    _raw, page = ingest_bytes(make_mhtml(), "guide.mhtml")
    assert "Browsers save pages in many shapes" in page.text
    assert "advert" not in page.text
    assert page.url == "https://example.com/field-guide"


@pytest.mark.usefixtures("real_extract")
def test_webarchive_end_to_end(make_webarchive) -> None:
    _raw, page = ingest_bytes(make_webarchive(), "guide.webarchive")
    assert "Café, naïve." in page.text


@pytest.mark.usefixtures("real_extract")
@pytest.mark.parametrize(
    "data",
    [
        b"<div>" * 10_000 + b"deep text " * 50 + b"</div>" * 10_000,
        b"<b><i>" * 5_000 + b"text",
        b"<html><body>" + b"<table><tr><td>" * 3000 + b"cell",
        b"<p>\x00\x01\x02 nul bytes inside</p>" * 3,
        b"<?xml version='1.0' encoding='utf-8'?><p>declared xml</p>",
        b"<!-- only a comment -->",
        b"<p>" + "\u202e\u0000\ud7ff".encode("utf-8", "surrogatepass") + b"</p>",
    ],
    ids=["deep-divs", "deep-inline", "deep-tables", "nul", "xml-decl", "comment", "bidi"],
)
def test_hostile_pages_fail_cleanly_or_import(data: bytes) -> None:
    try:
        _raw, page = ingest_bytes(data, "hostile.html")
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(page, ExtractedPage)


def test_mhtml_cut_inside_its_html_part_says_truncated(make_mhtml) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Cut</title></head><body>"
        + " " * 2000
        + (
            "<article><p>The article text only arrives after a long preamble.</p></article>"
            "</body></html>"
        )
    )
    data = make_mhtml(html=html)
    cut = data.index(b"<article")  # the HTML part made it in, up to before its text
    with pytest.raises(IngestError, match=r"^truncated MHTML: "):
        ingest_bytes(data[:cut], "cut.mhtml")
    # Cut just after <!DOCTYPE ...>: no markup at all made it in.
    start = data.index(b"<!DOCTYPE")
    with pytest.raises(IngestError, match=r"^truncated MHTML: "):
        ingest_bytes(data[: start + 6], "cut.mhtml")


def test_whole_mhtml_without_article_text_says_so(make_mhtml) -> None:
    data = make_mhtml(html='<html><body><nav><a href="/">Home</a></nav></body></html>')
    with pytest.raises(IngestError, match=r"^no article text found$"):
        ingest_bytes(data, "nav.mhtml")


def test_mhtml_cut_after_its_html_part_still_imports(make_mhtml) -> None:
    data = make_mhtml()
    end = data.index(b"</html>") + len(b"</html>")
    _raw, page = ingest_bytes(data[: end + 120], "cut.mhtml")
    assert "Browsers save pages in many shapes" in page.text
