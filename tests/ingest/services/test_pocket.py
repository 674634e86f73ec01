"""Pocket's export zip, one of its CSV files alone, and the older ril_export.html."""

from __future__ import annotations

import json
from pathlib import Path

from reader.ingest.services.pocket import POCKET_ANNOTATIONS, POCKET_CSV, POCKET_HTML, POCKET_ZIP

from .conftest import MakeZip
from .results import FIXTURES, by_url, split

CSV = (FIXTURES / "pocket_part_000000.csv").read_text()
ANNOTATIONS = (FIXTURES / "pocket_annotations.json").read_text()


def test_the_zip_joins_highlights_to_their_item_by_url(make_zip: MakeZip) -> None:
    path = make_zip({"part_000000.csv": CSV, "annotations/part_000000.json": ANNOTATIONS})
    items, _ = split(POCKET_ZIP.read(path))
    found = by_url(items)
    slow = found["https://essays.example.org/slow-software"]
    assert slow.source == "Pocket"
    assert slow.where == "part_000000.csv:2"
    assert slow.title == "Slow Software"
    assert slow.saved_at == "2023-11-14T22:13:20Z"
    assert slow.tags == ("software", "essays")
    assert (slow.read, slow.archived) == (False, False)
    assert [q.text for q in slow.highlights] == [
        "Readers don’t wait for software",
        "a second thought",
    ]
    assert slow.highlights[0].created_at == "2023-11-14T22:15:00Z"
    tides = found["https://tides.example.com/read?utm_source=pocket"]
    assert tides.title == "Tides, and how to read them"
    assert (tides.read, tides.archived) == (True, True)  # Pocket's "Read Archive"
    assert tides.highlights == ()


def test_an_annotation_without_a_csv_row_is_still_an_item(make_zip: MakeZip) -> None:
    path = make_zip({"part_000000.csv": CSV, "annotations/part_000000.json": ANNOTATIONS})
    items, _ = split(POCKET_ZIP.read(path))
    only = by_url(items)["https://only-annotated.example.com/a"]
    assert only.title == "Only annotated"
    assert only.where == "annotations/part_000000.json: entry 2"
    assert [q.text for q in only.highlights] == ["kept even without a row"]
    assert items[-1] is only  # after every CSV row


def test_bad_rows_and_entries_are_refused_with_file_and_line(make_zip: MakeZip) -> None:
    path = make_zip(
        {
            "part_000000.csv": CSV,
            "annotations/part_000000.json": ANNOTATIONS,
            "notes.txt": "not Pocket's",
        }
    )
    items, refused = split(POCKET_ZIP.read(path))
    assert len(items) == 4
    assert {(r.where, r.reason) for r in refused} == {
        ("export.zip: notes.txt", "not part of a Pocket export"),
        ("annotations/part_000000.json: entry 3", "no list of highlights"),
        ("annotations/part_000000.json: entry 4", "not an annotated article"),
        ("part_000000.csv:5", "a truncated row of 2 fields, the header has 5"),
        ("part_000000.csv:6", "a file: link, not a web page"),
    }


def test_parts_are_read_in_order_and_a_folder_is_allowed(make_zip: MakeZip) -> None:
    header = "title,url,time_added,tags,status\n"
    path = make_zip(
        {
            "pocket/part_000001.csv": header + "Two,https://two.example/,2,,unread\n",
            "pocket/part_000000.csv": header + "One,https://one.example/,1,,unread\n",
        }
    )
    items, refused = split(POCKET_ZIP.read(path))
    assert [item.title for item in items] == ["One", "Two"]
    assert refused == []


def test_bad_annotations_json_is_refused_and_the_csv_still_read(make_zip: MakeZip) -> None:
    path = make_zip(
        {
            "part_000000.csv": CSV,
            "annotations/part_000000.json": "[" * 100_000,
            "annotations/part_000001.json": json.dumps({"url": "not a list"}),
        }
    )
    items, refused = split(POCKET_ZIP.read(path))
    assert len(items) == 3
    reasons = {r.where: r.reason for r in refused}
    assert reasons["annotations/part_000000.json"].startswith(("JSON nested", "not valid JSON"))
    assert reasons["annotations/part_000001.json"] == "not a list of annotated articles"


def test_the_csv_alone() -> None:
    items, refused = split(POCKET_CSV.read(FIXTURES / "pocket_part_000000.csv"))
    assert [item.where for item in items] == [
        "pocket_part_000000.csv:2",
        "pocket_part_000000.csv:3",
        "pocket_part_000000.csv:4",
    ]
    assert len(refused) == 2


def test_a_quoted_field_across_lines_keeps_the_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "part_000000.csv"
    path.write_text(
        'title,url,time_added,tags,status\n"Two\nlines",https://a.example/,1,,unread\n'
        "Three,https://b.example/,1,,unread\n"
    )
    items, _ = split(POCKET_CSV.read(path))
    assert [(item.title, item.where) for item in items] == [
        ("Two\nlines", "part_000000.csv:2"),
        ("Three", "part_000000.csv:4"),
    ]


def test_ril_export_html() -> None:
    items, refused = split(POCKET_HTML.read(FIXTURES / "ril_export.html"))
    assert [(i.url, i.title, i.tags, i.archived) for i in items] == [
        (
            "https://essays.example.org/slow-software",
            "Slow Software",
            ("software", "essays"),
            False,
        ),
        ("https://tides.example.com/read", "Tides & tables", (), True),
    ]
    assert items[0].saved_at == "2023-11-14T22:13:20Z"
    assert refused[0].where == "ril_export.html: link 2"
    assert refused[0].reason == "a javascript: link, not a web page"


def test_the_annotations_file_alone_gives_an_item_a_url(tmp_path: Path) -> None:
    path = tmp_path / "part_000000.json"
    path.write_text(ANNOTATIONS)
    items, refused = split(POCKET_ANNOTATIONS.read(path))
    found = by_url(items)
    assert [q.text for q in found["https://essays.example.org/slow-software"].highlights] == [
        "Readers don’t wait for software",
        "a second thought",
    ]
    assert found["https://only-annotated.example.com/a"].title == "Only annotated"
    assert {r.where for r in refused} == {"part_000000.json: entry 3", "part_000000.json: entry 4"}


def test_an_annotation_joins_its_row_by_url_as_reader_compares_them(make_zip: MakeZip) -> None:
    csv = "title,url,time_added,tags,status\nA,https://a.example.com/post,1700000000,,unread\n"
    notes = '[{"url": "https://a.example.com/post/?utm_source=pocket", "title": "A",'
    notes += ' "highlights": [{"quote": "q", "created_at": 1}]}]'
    path = make_zip({"part_000000.csv": csv, "annotations/part_000000.json": notes})
    items, refused = split(POCKET_ZIP.read(path))
    assert refused == [] and len(items) == 1
    assert items[0].url == "https://a.example.com/post" and items[0].highlights[0].text == "q"
