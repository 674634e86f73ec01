"""The e-reader formats read from fixtures written from their published layouts
(KOReader's docsettings/annotations and exporter plugin, Kindle's clippings): what each
yields, how `detect_export` tells them by content, and hostile input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.ingest.ereader import (
    EREADER_READERS,
    KINDLE_CLIPPINGS,
    KOREADER_JSON,
    KOREADER_MARKDOWN,
    KOREADER_SIDECAR,
)
from reader.ingest.page import IngestError
from reader.ingest.services import ExportReader, Refused, ServiceItem, detect_export
from reader.ingest.sources import find_pages

from .luadump import sidecar

FIXTURES = Path(__file__).parent / "fixtures"
SIDECAR_2024 = FIXTURES / "Reading list.sdr" / "metadata.epub.lua"
SIDECAR_OLD = FIXTURES / "old.sdr" / "metadata.epub.lua"
FILE_SETTINGS = settings(
    max_examples=int(os.environ.get("SERVICES_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
)


def items(reader: ExportReader, path: Path) -> list[ServiceItem]:
    found = list(reader.read(path))
    assert all(isinstance(item, ServiceItem) for item in found)
    return [item for item in found if isinstance(item, ServiceItem)]


@pytest.mark.parametrize(
    ("path", "reader"),
    [
        (SIDECAR_2024, KOREADER_SIDECAR),
        (SIDECAR_OLD, KOREADER_SIDECAR),
        (FIXTURES / "koreader.json", KOREADER_JSON),
        (FIXTURES / "koreader.md", KOREADER_MARKDOWN),
        (FIXTURES / "My Clippings.txt", KINDLE_CLIPPINGS),
    ],
)
def test_detected_by_content(path: Path, reader: ExportReader, tmp_path: Path) -> None:
    assert detect_export(path) is reader
    renamed = tmp_path / "renamed.data"  # the name is no part of it
    shutil.copy(path, renamed)
    assert detect_export(renamed) is reader


@pytest.mark.parametrize(
    "text",
    [
        "# A Markdown article\n\nSome text about ### Page 3 @ noon.\n",
        "# Title\n##### Author\n\nNo highlights here.\n",
        "-- a Lua script\nprint('hello')\n",
        "-- config\nreturn { font = 'x' }\n",
        '{"entries": [1, 2], "other": true}',
        "A text article\n==========\nwith a rule under a heading\n",
    ],
)
def test_other_files_are_not_taken(tmp_path: Path, text: str) -> None:
    path = tmp_path / "file.txt"
    path.write_text(text)
    assert detect_export(path) is None


def test_sidecar_of_2024_annotations() -> None:
    slow, cafe = items(KOREADER_SIDECAR, SIDECAR_2024)
    assert (slow.title, slow.book_title, slow.author) == ("Slow Software", "Reading list", "reader")
    assert slow.url is None and slow.article_id is None
    (quote,) = slow.highlights
    assert quote.text == "waits on the disk far more"
    assert quote.note == "Worth quoting.\nTwice."  # %q's escaped line break
    assert quote.color == "yellow"
    assert quote.created_at == "2024-05-01T10:20:30Z"
    assert quote.start_xpointer == "/body/DocFragment[1]/body/p[2]/text().4"
    assert quote.end_xpointer == "/body/DocFragment[1]/body/p[2]/text().31"
    # a page bookmark with a note of the user's is a note; one without is passed over
    assert slow.notes == ("Come back to this part.",)
    assert cafe.title == 'Café "Notes"'
    assert cafe.highlights[0].text == "Espresso is “pressed”"  # \ddd escapes, as UTF-8
    assert cafe.highlights[0].color == "blue"  # KOReader's cyan


def test_sidecar_before_2024_highlight_and_bookmarks() -> None:
    (item,) = items(KOREADER_SIDECAR, SIDECAR_OLD)
    assert (item.title, item.book_title) == ("Slow Software", "Slow Software")
    first, second = item.highlights
    assert (first.text, first.note) == ("waits on the disk far more", "A note from 2021")
    # a bookmark's text that KOReader wrote itself ("Page 3 <quote> @ <time>") is no note
    assert (second.text, second.note) == ("than on the processor", "")
    assert second.end_xpointer == "/body/DocFragment[1]/body/p[2]/text().53"
    assert item.notes == ()  # the page bookmark's auto-text is no note either


def test_sidecar_title_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "My Book.sdr" / "metadata.epub.lua"
    path.parent.mkdir()
    path.write_bytes(
        sidecar({"annotations": [{"text": "q", "pos0": "/body/p.0", "pos1": "/body/p.1"}]})
    )
    (item,) = items(KOREADER_SIDECAR, path)
    assert item.book_title == "My Book" and item.title == "My Book"


def test_a_damaged_sidecar_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "metadata.epub.lua"
    path.write_bytes(b'-- x\nreturn { ["annotations"] = os.execute("boom") }')
    assert detect_export(path) is KOREADER_SIDECAR
    with pytest.raises(IngestError) as raised:
        list(KOREADER_SIDECAR.read(path))
    assert "\n" not in str(raised.value) and "line 2" in str(raised.value)


def test_koreader_json_one_book() -> None:
    slow, cafe = items(KOREADER_JSON, FIXTURES / "koreader.json")
    assert (slow.title, slow.book_title) == ("Slow Software", "Reading list")
    assert slow.highlights[0].created_at == "2024-05-01T10:20:30Z"
    assert slow.highlights[0].start_xpointer == "/body/DocFragment[1]/body/p[2]/text().4"
    assert slow.highlights[0].end_xpointer is None  # the export keeps the start only
    assert cafe.highlights[0].note == "Check the roast."
    assert cafe.highlights[0].color == "green"


def test_koreader_json_several_books(tmp_path: Path) -> None:
    book = json.loads((FIXTURES / "koreader.json").read_text())
    other = {"title": "Other", "entries": [{"sort": "highlight", "text": "x", "chapter": "C"}]}
    path = tmp_path / "all-books.json"
    path.write_text(
        json.dumps({"created_on": 1, "version": "v", "documents": [book, other, {"x": 1}]})
    )
    found = list(KOREADER_JSON.read(path))
    assert [f.title for f in found if isinstance(f, ServiceItem)] == [
        "Slow Software",
        'Café "Notes"',
        "C",
    ]
    (refused,) = [f for f in found if isinstance(f, Refused)]
    assert refused.where == "all-books.json: book 3"


def test_koreader_markdown() -> None:
    slow, cafe, other = items(KOREADER_MARKDOWN, FIXTURES / "koreader.md")
    assert (slow.title, slow.book_title, slow.author) == ("Slow Software", "Reading list", "reader")
    (quote,) = slow.highlights
    assert quote.text == "waits on the disk far more"  # the style's *...* taken off
    assert quote.note == "Worth quoting."
    assert quote.start_xpointer == "/body/DocFragment[1]/body/p[2]/text().4"  # its backlink
    assert quote.created_at == "2024-05-01T10:20:30Z"
    assert cafe.highlights[0].text == "Espresso is “pressed”"  # ++...++ taken off
    assert (other.book_title, other.author) == ("Slow Software", "Ann Author")
    assert other.highlights[0].text == "than on the processor"


def test_kindle_clippings() -> None:
    found = list(KINDLE_CLIPPINGS.read(FIXTURES / "My Clippings.txt"))
    reading, novel = found
    assert isinstance(reading, ServiceItem) and isinstance(novel, ServiceItem)
    assert (reading.title, reading.book_title, reading.author) == (
        "Reading list",
        "Reading list",
        "reader",
    )
    (quote,) = reading.highlights  # the bookmark is a place only
    assert quote.text == "waits on the disk far more"
    assert quote.note == "Worth quoting."  # the note at location 42, in 40-42
    assert quote.created_at == "2024-05-01T10:20:30Z"
    assert reading.notes == ("A note on no highlight.",)
    assert (novel.title, novel.author) == ("A Novel Not From Reader", "Some Writer")
    assert novel.highlights[0].created_at == "2024-05-02T21:00:00Z"


def test_kindle_clippings_as_koreader_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "clippings.txt"
    path.write_text(
        "Reading list (reader)\n- Your highlight on page 3 | Added on Wednesday, May 01,"
        " 2024 10:20:30 AM\n\nwaits on the disk\n==========\nReading list (reader)\n"
        "- Your note on page 3 | Added on Wednesday, May 01, 2024 10:20:30 AM\n\nMine.\n"
        "==========\n"
    )
    assert detect_export(path) is KINDLE_CLIPPINGS
    (item,) = items(KINDLE_CLIPPINGS, path)
    assert [(q.text, q.note) for q in item.highlights] == [("waits on the disk", "Mine.")]


def test_a_sdr_folder_is_walked(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "Reading list.sdr", tmp_path / "Reading list.sdr")
    (tmp_path / "Reading list.sdr" / "metadata.epub.lua.old").write_text("-- backup")
    found = [path for path, _ in find_pages([tmp_path])]
    assert found == [tmp_path / "Reading list.sdr" / "metadata.epub.lua"]


@FILE_SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file"
    path.write_bytes(data)
    detect_export(path)
    for reader in EREADER_READERS:
        try:
            results = list(reader.read(path))
        except IngestError as error:
            assert str(error) and "\n" not in str(error)
            continue
        assert all(isinstance(result, ServiceItem | Refused) for result in results)


@FILE_SETTINGS
@given(
    parts=st.lists(
        st.sampled_from([*"ab (){}[]=,-\"'\\\n", "==========", "- Your Note", "### Page 1 @ "]),
        max_size=60,
    )
)
def test_text_soup(tmp_path: Path, parts: list[str]) -> None:
    text = "".join(parts)
    path = tmp_path / "file"
    for head in ("-- x\nreturn {", "# T\n##### A\n", "T (A)\n- Your Highlight on page 1\n\n"):
        path.write_text(head + text)
        for reader in EREADER_READERS:
            try:
                results = list(reader.read(path))
            except IngestError as error:
                assert "\n" not in str(error)
                continue
            assert all(isinstance(result, ServiceItem | Refused) for result in results)
