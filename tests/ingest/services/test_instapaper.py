"""Instapaper's CSV export."""

from __future__ import annotations

from pathlib import Path

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
