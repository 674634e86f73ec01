"""E-reader highlights into the archive: matched to their articles (by the ids in a
book reader made, the chapter's title, the book's title), placed at the device's
position when the text there is the quote, else by the quote; counted per source;
the same file twice changes nothing; a book not in the archive is passed over."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from reader.document import Block, Document
from reader.export.epub import book_identifier, epub_bytes
from reader.importer.imports import import_paths
from reader.ingest.page import ExtractedPage, RawPage
from reader.models import Annotation

from ..ingest.ereader.luadump import sidecar
from .device import chapters, xpointer

FIXTURES = Path(__file__).parents[1] / "ingest" / "ereader" / "fixtures"
SLOW = (
    "Most software waits on the disk far more than on the processor.",
    "A second paragraph in Slow Software, about caches.",
    "The disk is slow; the processor waits on the disk far more than you think.",
)
CAFE = ("Espresso is “pressed” coffee, made under pressure.",)


def add(archive: Archive, title: str, paragraphs: tuple[str, ...]) -> int:
    document = Document(tuple(Block("paragraph", text) for text in paragraphs))
    data = f"<html><body><p>{title}</p></body></html>".encode()
    page = ExtractedPage(document=document, title=title, url=None)
    return archive.add_article(
        page, RawPage(data=data, html=data, filename="page.html", kind="html", url=None)
    )


@pytest.fixture
def articles(archive: Archive) -> tuple[int, int]:
    return add(archive, "Slow Software", SLOW), add(archive, 'Café "Notes"', CAFE)


def highlights(archive: Archive, article_id: int) -> list[Annotation]:
    return [a for a in archive.annotations_for(article_id) if not a.is_article_note]


def state(archive: Archive) -> list[tuple[object, ...]]:
    rows = archive.conn.execute(
        'SELECT article_id, start, "end", exact, note, color, orphaned, created_at'
        " FROM annotations ORDER BY id"
    ).fetchall()
    return [tuple(row) for row in rows]


def test_sidecar_matched_by_chapter_titles(
    archive: Archive, articles: tuple[int, int], tmp_path: Path
) -> None:
    slow, cafe = articles
    report = import_paths(archive, [FIXTURES / "Reading list.sdr"], jobs=1)
    (counts,) = report.services
    assert (counts.anchored, counts.known, counts.waiting, counts.passed) == (2, 0, 0, 0)
    (placed,) = highlights(archive, slow)
    text = archive.get_article(slow).text  # type: ignore[union-attr]
    assert text[placed.start : placed.end] == "waits on the disk far more"
    assert placed.note == "Worth quoting.\nTwice."
    assert placed.created_at == "2024-05-01T10:20:30Z"
    notes = [a.note for a in archive.annotations_for(slow) if a.is_article_note]
    assert notes == ["Come back to this part."]
    (espresso,) = highlights(archive, cafe)
    assert (espresso.exact, espresso.color) == ("Espresso is “pressed”", "blue")
    assert counts.line() == (
        f"KOReader ({FIXTURES / 'Reading list.sdr' / 'metadata.epub.lua'}): 2 highlights"
        " anchored, 0 merged (already there), 0 waiting as quotes; on 2 articles"
    )
    before = state(archive)
    again = import_paths(archive, [FIXTURES / "Reading list.sdr"], jobs=1)
    (counts,) = again.services
    assert (counts.anchored, counts.known, counts.waiting) == (0, 2, 0)
    assert state(archive) == before
    assert again.exit_code == 0


def test_every_format_lands_on_the_same_highlight_once(
    archive: Archive, articles: tuple[int, int]
) -> None:
    slow, _ = articles
    paths = [FIXTURES / "Reading list.sdr", FIXTURES / "koreader.json", FIXTURES / "koreader.md"]
    report = import_paths(archive, paths, jobs=1)
    assert [c.anchored for c in report.services] == [2, 0, 1]
    assert [c.known for c in report.services] == [0, 2, 2]
    # koreader.md's second book ("Slow Software", one chapter) is the article by title too
    assert [c.passed for c in report.services] == [0, 0, 0]
    assert len(highlights(archive, slow)) == 2  # the md's "than on the processor" too
    # the JSON's note, new on a known highlight, comes along
    cafe_notes = [a.note for a in highlights(archive, articles[1])]
    assert cafe_notes == ["Check the roast."]


def test_old_sidecar_and_kindle_clippings(archive: Archive, articles: tuple[int, int]) -> None:
    slow, _ = articles
    report = import_paths(archive, [FIXTURES / "old.sdr"], jobs=1)
    assert report.services[0].anchored == 2
    placed = sorted((a.exact, a.note) for a in highlights(archive, slow))
    assert placed == [
        ("than on the processor", ""),
        ("waits on the disk far more", "A note from 2021"),
    ]
    clippings = import_paths(archive, [FIXTURES / "My Clippings.txt"], jobs=1)
    (counts,) = clippings.services
    # "Reading list" (a book of several articles) and a novel: no article of that title
    assert (counts.passed, counts.anchored) == (2, 0)
    assert "2 books or chapters not in the archive, passed over" in counts.line()
    assert clippings.exit_code == 0


def test_a_one_article_book_on_a_kindle(
    archive: Archive, articles: tuple[int, int], tmp_path: Path
) -> None:
    slow, _ = articles
    path = tmp_path / "My Clippings.txt"
    path.write_text(
        "\ufeffSlow Software (reader)\r\n- Your Highlight on page 1 | location 1-2 |"
        " Added on Monday, May 6, 2024 9:00:00 AM\r\n\r\nabout caches\r\n==========\r\n"
        "Slow Software (reader)\r\n- Your Highlight on page 1 | location 3-4 |"
        " Added on Monday, May 6, 2024 9:01:00 AM\r\n\r\nnot in the article at all, these"
        " words\r\n==========\r\n",
        encoding="utf-8",
    )
    report = import_paths(archive, [path], jobs=1)
    (counts,) = report.services
    assert (counts.anchored, counts.waiting) == (1, 1)
    waiting = [a for a in highlights(archive, slow) if a.orphaned]
    assert [a.exact for a in waiting] == ["not in the article at all, these words"]
    assert "1 waiting as a quote" in counts.line()


def test_the_position_places_a_quote_that_occurs_twice(
    archive: Archive, articles: tuple[int, int], tmp_path: Path
) -> None:
    slow, cafe = articles
    book = epub_bytes(archive, [slow, cafe], title="Reading list")
    (_, slow_xhtml), _ = chapters(book)
    text = archive.get_article(slow).text  # type: ignore[union-attr]
    second = text.rindex("waits on the disk far more")
    quote = "waits on the disk far more"
    path = tmp_path / "Reading list.sdr" / "metadata.epub.lua"
    path.parent.mkdir()
    path.write_bytes(
        sidecar(
            {
                "doc_props": {"title": "Reading list"},
                "annotations": [
                    {
                        "chapter": "Slow Software",
                        "datetime": "2024-05-03 07:00:00",
                        "text": quote,
                        "pos0": xpointer(slow_xhtml, 1, slow, second),
                        "pos1": xpointer(slow_xhtml, 1, slow, second + len(quote), end=True),
                    }
                ],
            }
        )
    )
    import_paths(archive, [path], jobs=1)
    (placed,) = highlights(archive, slow)
    assert (placed.start, placed.end) == (second, second + len(quote))


def test_round_trip_export_device_import(archive_path: Path, tmp_path: Path) -> None:
    """A book exported, highlighted on the "device" (a sidecar with XPointers into it),
    imported by `reader import` of the .sdr folder: the highlights are on the right words;
    a second import changes nothing."""
    with Archive(archive_path) as archive:
        slow, cafe = add(archive, "Slow Software", SLOW), add(archive, 'Café "Notes"', CAFE)
        # Another article of the same title: a title can no longer tell them apart, the
        # book's ids can.
        add(archive, "Slow Software", ("Another article with the same title.",))
        book = epub_bytes(archive, [slow, cafe], title="Reading list")
        slow_text = archive.get_article(slow).text  # type: ignore[union-attr]
        cafe_text = archive.get_article(cafe).text  # type: ignore[union-attr]
    device = tmp_path / "device"
    device.mkdir()
    (device / "Reading list.epub").write_bytes(book)
    (slow_id, slow_xhtml), (cafe_id, cafe_xhtml) = chapters(book)
    assert (slow_id, cafe_id) == (slow, cafe)
    wanted = [
        (1, slow, slow_xhtml, slow_text, "the processor waits on the disk", "mine"),
        (1, slow, slow_xhtml, slow_text, "caches", ""),
        (2, cafe, cafe_xhtml, cafe_text, "made under pressure", "tasty"),
    ]
    annotations = []
    for fragment, article_id, xhtml, text, quote, note in wanted:
        start = text.index(quote)
        entry: dict[str, object] = {
            "chapter": "Slow Software" if article_id == slow else 'Café "Notes"',
            "color": "green",
            "datetime": "2024-05-04 12:00:00",
            "drawer": "lighten",
            "page": xpointer(xhtml, fragment, article_id, start),
            "pos0": xpointer(xhtml, fragment, article_id, start),
            "pos1": xpointer(xhtml, fragment, article_id, start + len(quote), end=True),
            "text": quote,
        }
        if note:
            entry["note"] = note
        annotations.append(entry)
    sdr = device / "Reading list.sdr"
    sdr.mkdir()
    (sdr / "metadata.epub.lua").write_bytes(
        sidecar(
            {
                "annotations": annotations,
                "doc_path": "/mnt/onboard/Reading list.epub",
                "doc_props": {
                    "title": "Reading list",
                    "identifiers": "calibre:123\n" + book_identifier([slow, cafe]),
                },
                "partial_md5_checksum": "00112233445566778899aabbccddeeff",
            }
        )
    )
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(archive_path), "import", str(sdr)])
    assert result.exit_code == 0, result.output
    assert "KOReader" in result.output and "3 highlights anchored" in result.output
    with Archive(archive_path) as archive:
        for _, article_id, _, text, quote, note in wanted:
            (placed,) = [a for a in highlights(archive, article_id) if a.exact == quote]
            start = text.index(quote)
            assert (placed.start, placed.end) == (start, start + len(quote))
            assert (placed.note, placed.color) == (note, "green")
        before = state(archive)
    again = runner.invoke(main, ["--db", str(archive_path), "import", str(sdr)])
    assert again.exit_code == 0, again.output
    assert "0 highlights anchored, 3 merged (already there)" in again.output
    with Archive(archive_path) as archive:
        assert state(archive) == before


def test_without_the_book_beside_it_titles_decide(
    archive: Archive, articles: tuple[int, int], tmp_path: Path
) -> None:
    slow, _ = articles
    add(archive, "Slow Software", ("A namesake.",))  # now the title is ambiguous
    shutil.copytree(FIXTURES / "Reading list.sdr", tmp_path / "Reading list.sdr")
    report = import_paths(archive, [tmp_path / "Reading list.sdr"], jobs=1)
    (counts,) = report.services
    # the Slow Software chapter matches two articles, so it is passed over, never guessed
    assert (counts.anchored, counts.passed) == (1, 1)
    assert highlights(archive, slow) == []


@pytest.mark.parametrize(("book_title", "placed"), [("Reading list", 1), ("Another book", 0)])
def test_a_json_export_beside_its_book(
    archive: Archive, tmp_path: Path, book_title: str, placed: int
) -> None:
    """KOReader's JSON keeps no identifier: the book beside it names the articles only
    when its title is the export's (a later book of that name may hold others)."""
    slow = add(archive, "Slow Software", SLOW)
    add(archive, "Slow Software", ("A namesake: the title alone cannot tell.",))
    book = epub_bytes(archive, [slow], title="Reading list")
    (tmp_path / "Reading list.epub").write_bytes(book)
    ((_, xhtml),) = chapters(book)
    text = archive.get_article(slow).text  # type: ignore[union-attr]
    start = text.rindex("waits on the disk")
    export = {
        "title": book_title,
        "file": "/sdcard/Books/Reading list.epub",
        "created_on": 1714557600,
        "entries": [
            {
                "sort": "highlight",
                "chapter": "Slow Software",
                "text": "waits on the disk",
                "time": 1714558830,
                "pn_xp": xpointer(xhtml, 1, slow, start),
            }
        ],
    }
    path = tmp_path / "Reading list.json"
    path.write_text(json.dumps(export))
    report = import_paths(archive, [path], jobs=1)
    assert report.services[0].anchored == placed
    assert [(a.start, a.end) for a in highlights(archive, slow)] == [
        (start, start + len("waits on the disk"))
    ][:placed]


def test_a_one_article_book_is_known_by_its_identifier_alone(
    archive: Archive, tmp_path: Path
) -> None:
    """`reader export -o DIR/` makes a book per article: its identifier names the article
    even without the book at hand, and however the article or chapter is titled."""
    add(archive, "Slow Software", ("A namesake.",))
    slow = add(archive, "Slow Software", SLOW)
    path = tmp_path / "Slow Software.sdr" / "metadata.epub.lua"
    path.parent.mkdir()
    path.write_bytes(
        sidecar(
            {
                "doc_props": {
                    "title": "Renamed on the device",
                    "identifiers": book_identifier([slow]),
                },
                "annotations": [
                    {"chapter": "Some chapter", "text": "about caches", "pos0": "/body/x.0"}
                ],
            }
        )
    )
    report = import_paths(archive, [path], jobs=1)
    assert report.services[0].anchored == 1
    assert [a.exact for a in highlights(archive, slow)] == ["about caches"]
