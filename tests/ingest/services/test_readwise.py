"""Readwise's highlights CSV and Readwise Reader's documents CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.services.items import Quote
from reader.ingest.services.readwise import READWISE, READWISE_READER, readwise_color
from reader.models import COLORS

from .results import FIXTURES, by_url, split


def test_highlights_grouped_into_one_item_a_document() -> None:
    items, refused = split(READWISE.read(FIXTURES / "readwise.csv"))
    documents = {(item.title, item.author): item for item in items}
    assert len(items) == 3
    essay = documents[("Slow Software", "Ada Quill")]
    assert essay.source == "Readwise"
    assert essay.url is None  # matched by title and author
    assert essay.where == "readwise.csv:2"
    assert essay.tags == ("essays",)
    assert essay.highlights == (
        Quote(
            "Readers don't wait for software",
            note="the main point",
            color="yellow",
            created_at="2023-04-05T12:34:56Z",
            tags=("favorite", "quote"),
        ),
        Quote("Another from the essay", color="pink", created_at="2023-04-05T12:40:00Z"),
    )
    # The same title by another author is another document.
    assert documents[("Slow Software", "Cy Other")].highlights[0].color == "blue"
    assert documents[("The Harbour Book", "Bo Marsh")].highlights[0].color == "yellow"
    assert [(r.where, r.reason) for r in refused] == [
        ("readwise.csv:6", "a row without a highlight")
    ]


@pytest.mark.parametrize(
    ("name", "color"),
    [
        ("yellow", "yellow"),
        ("Orange", "yellow"),
        ("green", "green"),
        ("blue", "blue"),
        ("purple", "pink"),
        ("pink", "pink"),
        ("", None),
        ("chartreuse", None),
    ],
)
def test_colours_land_on_readers_four(name: str, color: str | None) -> None:
    assert readwise_color(name) == color
    assert color is None or color in COLORS


def test_a_url_column_gives_the_url(tmp_path: Path) -> None:
    path = tmp_path / "readwise.csv"
    path.write_text(
        "Highlight,Book Title,Book Author,URL\na quote,An article,Someone,https://a.example/post\n"
    )
    items, _ = split(READWISE.read(path))
    assert items[0].url == "https://a.example/post"


def test_reader_documents() -> None:
    items, refused = split(READWISE_READER.read(FIXTURES / "readwise_reader.csv"))
    found = by_url(items)
    slow = found["https://essays.example.org/slow-software"]
    assert slow.source == "Readwise Reader"
    assert slow.key == "01abcd"
    assert slow.tags == ("software", "it's good")  # Reader's Python-list-looking tags
    assert slow.saved_at == "2023-10-01T12:00:00Z"
    assert slow.progress == 0.5
    assert (slow.read, slow.archived, slow.starred) == (False, False, False)
    tides = found["https://tides.example.com/read"]
    assert tides.tags == ("science", "sea")  # a comma list
    assert (tides.read, tides.archived) == (True, True)
    assert found["https://stars.example.net/"].starred  # the shortlist
    assert found["https://blog.example.com/post"].progress == pytest.approx(0.45)
    assert [(r.where, r.reason) for r in refused] == [
        ("readwise_reader.csv:6", "a mailto: link, not a web page")
    ]


def test_reader_document_without_url(tmp_path: Path) -> None:
    path = tmp_path / "reader.csv"
    path.write_text(
        "Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen\n"
        "An uploaded PDF,,01x,,2023-10-01 12:00:00+00:00,0,new,False\n"
        ",,01y,,2023-10-01 12:00:00+00:00,0,new,False\n"
    )
    items, refused = split(READWISE_READER.read(path))
    assert [(i.url, i.title) for i in items] == [(None, "An uploaded PDF")]
    assert [r.reason for r in refused] == ["neither a URL nor a title"]
