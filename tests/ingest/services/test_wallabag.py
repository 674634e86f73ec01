"""wallabag's JSON export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.ingest.page import IngestError
from reader.ingest.services.items import Quote
from reader.ingest.services.wallabag import WALLABAG

from .results import FIXTURES, split


def test_entries_with_content_and_annotations() -> None:
    items, refused = split(WALLABAG.read(FIXTURES / "wallabag.json"))
    tides, empty = items
    assert tides.source == "wallabag"
    assert tides.where == "wallabag.json: entry 1"
    assert tides.key == "41"
    assert tides.title == "Tides, and how to read them"
    assert tides.author == "Ada Quill, Bo Marsh"
    assert tides.lang == "en"
    assert tides.tags == ("science", "sea")
    assert tides.saved_at == "2016-04-04T08:46:45Z"  # +0200 made UTC
    assert tides.published == "2016-03-01T07:00:00Z"
    assert (tides.read, tides.archived, tides.starred) == (True, True, False)
    assert tides.highlights == (
        Quote(
            "The tide turns twice a day",
            note="worth remembering",
            created_at="2016-04-04T09:00:00Z",
        ),
    )
    assert tides.page is not None
    assert tides.page.filename == "wallabag-41.html"
    assert tides.page.data.startswith(b'<meta charset="utf-8">')
    assert b"<p>The tide turns twice a day" in tides.page.data
    assert (empty.page, empty.starred, empty.archived) == (None, True, False)
    assert [(r.where, r.reason) for r in refused] == [
        ("wallabag.json: entry 3", "a data: link, not a web page"),
        ("wallabag.json: entry 4", "not an entry"),
    ]


def test_an_annotation_without_a_quote_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    entry = {
        "url": "https://a.example/",
        "is_archived": 0,
        "annotations": [{"text": "a note on nothing"}, 7, {"quote": "kept"}],
    }
    path.write_text(json.dumps([entry]))
    items, refused = split(WALLABAG.read(path))
    assert [q.text for q in items[0].highlights] == ["kept"]
    assert [r.where for r in refused] == [
        "export.json: entry 1, annotation 1",
        "export.json: entry 1, annotation 2",
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"entries": []}', "not a list of entries"),
        ("[" * 200_000, "nested too deeply|not valid JSON"),
        ('[{"url": "https://a.example/"', "not valid JSON"),
    ],
)
def test_a_file_of_the_wrong_shape(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(text)
    with pytest.raises(IngestError, match=reason):
        split(WALLABAG.read(path))


def test_a_file_over_the_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ingest.services import fields

    monkeypatch.setattr(fields, "MAX_FILE_BYTES", 10)
    path = tmp_path / "export.json"
    path.write_text('[{"url": "https://a.example/", "is_archived": 0}]')
    with pytest.raises(IngestError, match="over"):
        split(WALLABAG.read(path))
