"""Instapaper's CSV export."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.page import IngestError
from reader.ingest.services import fields
from reader.ingest.services.instapaper import INSTAPAPER

from .results import FIXTURES, by_url, split


def test_rows_of_one_url_are_one_item_with_its_highlights() -> None:
    items, refused = split(INSTAPAPER.read(FIXTURES / "instapaper.csv"))
    found = by_url(items)
    assert len(items) == 4
    tides = found["https://tides.example.com/read"]
    assert tides.where == "instapaper.csv:3"
    assert [q.text for q in tides.highlights] == [
        "The tide turns twice a day",
        "and the harbour master, who\nkeeps the book, writes it down",
    ]
    assert tides.saved_at == "2020-09-13T12:26:40Z"  # the earliest of its rows
    assert (tides.read, tides.archived) == (True, True)
    slow = found["https://essays.example.org/slow-software"]
    assert slow.tags == ("software", "essays")
    assert (slow.read, slow.archived, slow.starred) == (False, False, False)
    assert found["https://stars.example.net/"].starred
    assert found["https://cooking.example.com/bread"].tags == ("Kitchen", "baking")
    assert [(r.where, r.reason) for r in refused] == [
        ("instapaper.csv:8", "a truncated row of 2 fields, the header has 6"),
    ]


def test_without_a_tags_column_and_with_bad_links(tmp_path: Path) -> None:
    path = tmp_path / "instapaper-export.csv"
    path.write_text(
        "URL,Title,Selection,Folder,Timestamp\n"
        "https://a.example/,A,,Unread,1600000000\n"
        "instapaper-private://email/1234,Mailed,,Unread,1600000000\n"
        "https://a.example/,A,a quote,Unread,bad time\n"
    )
    items, refused = split(INSTAPAPER.read(path))
    assert [(i.url, i.saved_at, len(i.highlights)) for i in items] == [
        ("https://a.example/", "2020-09-13T12:26:40Z", 1)
    ]
    assert [(r.where, r.reason) for r in refused] == [
        ("instapaper-export.csv:3", "an instapaper-private: link, not a web page")
    ]


def test_a_header_that_is_not_instapapers(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("URL,Title\nhttps://a.example/,A\n")
    items, refused = split(INSTAPAPER.read(path))
    assert items == []
    assert [(r.where, r.reason) for r in refused] == [
        ("x.csv", "not the expected CSV: no column 'Selection'")
    ]


def test_one_item_gathers_a_bounded_number_of_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fields, "MAX_GROUP_ROWS", 2)
    path = tmp_path / "export.csv"
    rows = "".join(f"https://a.example/,A,quote {n},Unread,1600000000\n" for n in range(4))
    path.write_text("URL,Title,Selection,Folder,Timestamp\n" + rows)
    items, refused = split(INSTAPAPER.read(path))
    assert [q.text for q in items[0].highlights] == ["quote 0", "quote 1"]
    assert [(r.where, r.reason) for r in refused] == [
        ("export.csv:4", "over 2 rows for one item"),
        ("export.csv:5", "over 2 rows for one item"),
    ]


def test_a_file_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fields, "MAX_FILE_BYTES", 10)
    path = tmp_path / "export.csv"
    path.write_text("URL,Title,Selection,Folder,Timestamp\nhttps://a.example/,A,,Unread,1\n")
    with pytest.raises(IngestError, match="over"):
        split(INSTAPAPER.read(path))
