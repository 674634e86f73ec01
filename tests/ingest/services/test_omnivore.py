"""Omnivore's export zip: metadata, content pages read lazily, highlights in Markdown."""

from __future__ import annotations

import json

import pytest

from reader.ingest.services.items import Quote
from reader.ingest.services.omnivore import OMNIVORE, parse_highlights
from reader.ingest.services.zips import ExportZip

from .conftest import MakeZip
from .results import by_url, split

METADATA = [
    {
        "id": "5c0e0b2a-1111-4c8f-9b57-000000000001",
        "slug": "slow-software-18c2b",
        "title": "Slow Software",
        "description": "Why readers do not wait.",
        "author": "Ada Quill",
        "url": "https://essays.example.org/slow-software",
        "state": "SUCCEEDED",
        "readingProgress": 40,
        "labels": ["software", {"name": "essays", "color": "#ff0000"}],
        "savedAt": "2024-05-01T12:20:30.000+02:00",
        "updatedAt": "2024-05-02T10:00:00.000Z",
        "publishedAt": "2024-04-30T00:00:00.000Z",
    },
    {
        "id": "5c0e0b2a-1111-4c8f-9b57-000000000002",
        "slug": "tides-0a1",
        "title": "Tides",
        "description": None,
        "author": None,
        "url": "https://tides.example.com/read",
        "state": "ARCHIVED",
        "readingProgress": 100,
        "labels": [],
        "savedAt": "2023-01-01T00:00:00.000Z",
        "updatedAt": None,
        "publishedAt": None,
    },
    {
        "id": "3",
        "slug": "gone",
        "title": "Gone",
        "url": "https://gone.example/",
        "state": "DELETED",
    },
    {"id": "4", "slug": "evil", "title": "Evil", "url": "javascript:alert(1)"},
    "not an item",
]
CONTENT = "<div><p>Readers don't wait for software; software waits for readers.</p></div>"
HIGHLIGHTS = """\
## Highlights

> Readers don't wait for software [⤴️](https://omnivore.app/me/slow-software-18c2b#1)

the main point
of the essay

> software waits
> for readers [⤴️](https://omnivore.app/me/slow-software-18c2b#2)

> a quote without a note [\u2934](https://omnivore.app/me/slow-software-18c2b#3)
"""


def _members(**extra: str) -> dict[str, str]:
    return {
        "metadata_0_to_4.json": json.dumps(METADATA),
        "content/slow-software-18c2b.html": CONTENT,
        "highlights/slow-software-18c2b.md": HIGHLIGHTS,
        **extra,
    }


def test_items_with_their_pages_and_highlights(make_zip: MakeZip) -> None:
    items, refused = split(OMNIVORE.read(make_zip(_members())))
    found = by_url(items)
    slow = found["https://essays.example.org/slow-software"]
    assert slow.source == "Omnivore"
    assert slow.where == "metadata_0_to_4.json: entry 1"
    assert slow.key == "5c0e0b2a-1111-4c8f-9b57-000000000001"
    assert (slow.title, slow.author, slow.excerpt) == (
        "Slow Software",
        "Ada Quill",
        "Why readers do not wait.",
    )
    assert slow.tags == ("software", "essays")
    assert slow.saved_at == "2024-05-01T10:20:30Z"
    assert slow.published == "2024-04-30T00:00:00Z"
    assert slow.progress == pytest.approx(0.4)
    assert (slow.read, slow.archived) == (False, False)
    assert slow.page is not None
    assert slow.page.data == CONTENT.encode()
    assert slow.page.filename == "slow-software-18c2b.html"
    assert slow.highlights == (
        Quote("Readers don't wait for software", note="the main point\nof the essay"),
        Quote("software waits\nfor readers"),
        Quote("a quote without a note"),
    )
    tides = found["https://tides.example.com/read"]
    assert (tides.archived, tides.read, tides.progress) == (True, True, 1.0)
    assert tides.page is None and tides.highlights == ()
    assert {(r.where, r.reason) for r in refused} == {
        ("metadata_0_to_4.json: entry 3", "deleted in Omnivore"),
        ("metadata_0_to_4.json: entry 4", "a javascript: link, not a web page"),
        ("metadata_0_to_4.json: entry 5", "not an item"),
    }


def test_pages_are_read_only_when_their_item_is_yielded(
    make_zip: MakeZip, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    original = ExportZip.read

    def spy(self: ExportZip, name: str) -> bytes:
        read.append(name)
        return original(self, name)

    monkeypatch.setattr(ExportZip, "read", spy)
    results = OMNIVORE.read(make_zip(_members()))
    next(results)
    assert "content/slow-software-18c2b.html" in read
    assert read.count("metadata_0_to_4.json") == 1
    results.close()


def test_unknown_and_orphan_members_are_reported(make_zip: MakeZip) -> None:
    path = make_zip(_members(**{"readme.txt": "hi", "content/nobody.html": "<p>orphan</p>"}))
    _, refused = split(OMNIVORE.read(path))
    reasons = {r.where: r.reason for r in refused}
    assert reasons["export.zip: readme.txt"] == "not part of an Omnivore export"
    assert reasons["export.zip: content/nobody.html"] == "no item in the metadata has it"


def test_metadata_files_in_order(make_zip: MakeZip) -> None:
    one = [{**METADATA[1], "slug": "a", "url": "https://a.example/"}]
    two = [{**METADATA[1], "slug": "b", "url": "https://b.example/"}]
    path = make_zip(
        {"metadata_20_to_39.json": json.dumps(two), "metadata_0_to_19.json": json.dumps(one)}
    )
    items, _ = split(OMNIVORE.read(path))
    assert [item.url for item in items] == ["https://a.example/", "https://b.example/"]


def test_a_broken_metadata_file_is_refused(make_zip: MakeZip) -> None:
    path = make_zip({"metadata_0_to_1.json": '{"a": 1', "metadata_2_to_3.json": '{"a": 1}'})
    items, refused = split(OMNIVORE.read(path))
    assert items == []
    assert refused[0].where == "metadata_0_to_1.json"
    assert refused[0].reason.startswith("not valid JSON")
    assert refused[1].reason == "not a list of items"


def test_highlights_markdown_edge_cases() -> None:
    assert list(parse_highlights("")) == []
    assert list(parse_highlights("# Title\n\nno quotes here\n")) == []
    assert list(parse_highlights(">[⤴️](https://x)\n")) == []  # nothing left to quote
    spaced = "> quote" + " " * 100_000 + "[⤴️](https://omnivore.app/x)" + " " * 100_000
    assert list(parse_highlights(spaced)) == [Quote("quote")]
    assert list(parse_highlights(">no space\n>[not the link](x)\nnote")) == [
        Quote("no space\n[not the link](x)", note="note")
    ]
