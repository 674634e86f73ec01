"""detect_export: each export by its content; saved pages and articles never."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from reader.ingest.services import READERS, detect_export
from reader.ingest.services.bookmarks import BOOKMARKS
from reader.ingest.services.instapaper import INSTAPAPER
from reader.ingest.services.omnivore import OMNIVORE
from reader.ingest.services.pocket import POCKET_ANNOTATIONS, POCKET_CSV, POCKET_HTML, POCKET_ZIP
from reader.ingest.services.readwise import READWISE, READWISE_READER
from reader.ingest.services.wallabag import WALLABAG

from .. import text_articles
from ..conftest import ARTICLE
from .conftest import MakeZip
from .results import FIXTURES

EXPECTED = {
    "pocket_part_000000.csv": POCKET_CSV,
    "pocket_annotations.json": POCKET_ANNOTATIONS,
    "ril_export.html": POCKET_HTML,
    "wallabag.json": WALLABAG,
    "instapaper.csv": INSTAPAPER,
    "readwise.csv": READWISE,
    "readwise_reader.csv": READWISE_READER,
    "bookmarks_firefox.html": BOOKMARKS,
    "bookmarks_pinboard.html": BOOKMARKS,
    "bookmarks_raindrop.html": BOOKMARKS,
    "bookmarks_no_doctype.html": BOOKMARKS,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_is_detected_as_its_format(name: str, tmp_path: Path) -> None:
    assert detect_export(FIXTURES / name) is EXPECTED[name]
    # By content, not by name: renamed, it is still found.
    renamed = tmp_path / "download"
    renamed.write_bytes((FIXTURES / name).read_bytes())
    assert detect_export(renamed) is EXPECTED[name]


def test_zips_are_detected_by_their_members(make_zip: MakeZip) -> None:
    pocket = make_zip({"part_000000.csv": "title,url,time_added,tags,status\n"}, "a.zip")
    annotations_only = make_zip({"annotations/part_000000.json": "[]"}, "b.zip")
    omnivore = make_zip({"metadata_0_to_19.json": "[]", "content/x.html": ""}, "c.zip")
    other = make_zip({"index.html": "<p>hi</p>"}, "d.zip")
    assert detect_export(pocket) is POCKET_ZIP
    assert detect_export(annotations_only) is POCKET_ZIP
    assert detect_export(omnivore) is OMNIVORE
    assert detect_export(other) is None


def test_every_reader_is_listed() -> None:
    assert set(READERS) == {*EXPECTED.values(), POCKET_ZIP, OMNIVORE}


def test_wallabag_with_a_long_first_content(tmp_path: Path) -> None:
    entry = {"content": "<p>long</p>" * 20_000, "url": "https://a.example/", "is_archived": 0}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([entry]))  # the flags come after 200 KB of content
    assert detect_export(path) is WALLABAG


# --- never an export -----------------------------------------------------------------

ARTICLES = {
    name: value
    for name, value in vars(text_articles).items()
    if name.endswith(("_TXT", "_MD")) and isinstance(value, str)
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
@pytest.mark.parametrize("suffix", [".md", ".txt", ".csv", ""])
def test_text_and_markdown_articles_are_never_exports(
    name: str, suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"article{suffix}"
    path.write_text(ARTICLES[name])
    assert detect_export(path) is None


def test_the_readability_corpus_pages_are_never_exports(corpus_dir: Path) -> None:
    pages = sorted(corpus_dir.glob("*/source.html"))
    assert len(pages) > 100
    assert [page for page in pages if detect_export(page) is not None] == []


def test_the_modern_corpus_pages_are_never_exports(corpus_dir: Path, tmp_path: Path) -> None:
    pages = sorted((corpus_dir.parent / "modern-pages" / "pages").glob("*.html.gz"))
    if not pages:
        pytest.skip("modern-pages corpus not found")
    detected = []
    for page in pages:
        path = tmp_path / page.name.removesuffix(".gz")
        path.write_bytes(gzip.decompress(page.read_bytes()))
        if detect_export(path) is not None:
            detected.append(page.name)
        path.unlink()
    assert detected == []


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        # A page about bookmarks, a page listing Pocket's headings, a data CSV.
        "<html><head><title>My bookmarks</title></head><body><dl><dt><a href='/a'>A</a>"
        "</dl></body></html>",
        "<!DOCTYPE html><h1>Unread</h1><ul><li><a href='https://a.example/'>A</a></ul>",
        "name,age,city\nAda,36,London\nAlan,41,Wilmslow\n",
        "URL,Title\nhttps://a.example/,A\n",
        '[{"url": "https://a.example/", "title": "A"}]',
        '{"is_archived": 1, "url": "https://a.example/"}',
        "",
    ],
)
def test_other_files_are_not_exports(text: str, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(text)
    assert detect_export(path) is None


def test_only_the_head_is_looked_at(tmp_path: Path) -> None:
    """A page with bookmark-file markup far below its head is a page."""
    path = tmp_path / "page.html"
    path.write_text(
        ARTICLE + " " * 70_000 + "<!DOCTYPE NETSCAPE-Bookmark-file-1><TITLE>Bookmarks</TITLE>"
        '<DL><p><DT><A HREF="https://a.example/">A</A></DL>'
    )
    assert detect_export(path) is None


@pytest.mark.parametrize(
    "head",
    [
        "<!--a-->\n" * 3000 + "<html>",  # many comments before no doctype
        "<h1>Unread</h1>" + "<a " * 20_000,  # one long tag that never closes
        "[{" + " " * 60_000,
        "title,url," + "x" * 70_000,
    ],
)
def test_pathological_heads_are_decided_at_once(head: str, tmp_path: Path) -> None:
    """Each would take minutes to hours with a regex that backtracks over the head."""
    path = tmp_path / "page.html"
    path.write_text(head)
    assert detect_export(path) is None


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert detect_export(tmp_path / "missing.csv") is None
    assert detect_export(tmp_path) is None
