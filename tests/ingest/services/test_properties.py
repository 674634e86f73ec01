"""Hypothesis over the export readers: whatever the file holds, a reader yields only
items and refusals, or raises one IngestError of one line; never another exception."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.ingest.page import IngestError
from reader.ingest.services import READERS, ExportReader, Refused, ServiceItem, detect_export
from reader.ingest.services.fields import csv_records, unit_progress, utc_time
from reader.ingest.services.instapaper import INSTAPAPER
from reader.ingest.services.omnivore import OMNIVORE, parse_highlights
from reader.ingest.services.pocket import POCKET_CSV, POCKET_ZIP
from reader.ingest.services.readwise import READWISE, READWISE_READER
from reader.ingest.services.wallabag import WALLABAG

FILE_SETTINGS = settings(
    max_examples=int(os.environ.get("SERVICES_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _check(reader: ExportReader, path: Path) -> None:
    try:
        results = list(reader.read(path))
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        return
    for result in results:
        assert isinstance(result, ServiceItem | Refused)
        if isinstance(result, Refused):
            assert result.reason and "\n" not in result.reason
            continue
        for moment in (result.saved_at, *(q.created_at for q in result.highlights)):
            assert moment is None or UTC.fullmatch(moment)
        assert result.progress is None or 0.0 <= result.progress <= 1.0
        assert result.url is None or result.url.strip().lower().startswith(("http:", "https:"))


@FILE_SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export"
    path.write_bytes(data)
    detect_export(path)
    for reader in READERS:
        _check(reader, path)


# Rows of text, with quotes, commas and newlines in fields, under each reader's header.
FIELD = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["https://a.example/", "javascript:x", "1700000000", "archive", "Starred", "", '"', "a|b"]
    ),
)
HEADERS = {
    POCKET_CSV: ["title", "url", "time_added", "tags", "status"],
    INSTAPAPER: ["URL", "Title", "Selection", "Folder", "Timestamp", "Tags"],
    READWISE: [
        "Highlight",
        "Book Title",
        "Book Author",
        "Amazon Book ID",
        "Note",
        "Color",
        "Tags",
        "Location Type",
        "Location",
        "Highlighted at",
        "Document tags",
    ],
    READWISE_READER: [
        "Title",
        "URL",
        "ID",
        "Document tags",
        "Saved date",
        "Reading progress",
        "Location",
        "Seen",
    ],
}


@FILE_SETTINGS
@given(
    reader=st.sampled_from(list(HEADERS)),
    rows=st.lists(st.lists(FIELD, max_size=12), max_size=12),
    cut=st.integers(min_value=0, max_value=3000),
)
def test_any_csv_rows(
    tmp_path: Path, reader: ExportReader, rows: list[list[str]], cut: int
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS[reader])
    writer.writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue()[: len(HEADERS[reader]) * 12 + cut])  # maybe truncated
    assert reader.sniff(path, path.read_bytes()[:65536])
    _check(reader, path)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["https://a.example/", "2024-05-01T10:00:00+02:00", "ARCHIVED"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "url",
                    "title",
                    "quote",
                    "text",
                    "highlights",
                    "annotations",
                    "tags",
                    "labels",
                    "is_archived",
                    "is_starred",
                    "published_by",
                    "created_at",
                    "content",
                    "slug",
                    "state",
                    "readingProgress",
                    "savedAt",
                    "name",
                ]
            ),
            children,
            max_size=8,
        )
    ),
    max_leaves=30,
)


@FILE_SETTINGS
@given(value=JSON)
def test_any_json_to_wallabag(tmp_path: Path, value: object) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(value))
    _check(WALLABAG, path)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FILE_SETTINGS
@given(
    metadata=JSON,
    annotations=JSON,
    names=st.lists(
        st.one_of(
            st.text(max_size=20).map(lambda name: "m" + name),  # zipfile cuts a name at a NUL
            st.sampled_from(["../x", "/abs", "C:/x", "a\\b", "content/s.html", "highlights/s.md"]),
        ),
        max_size=4,
    ),
    markdown=st.text(max_size=200),
)
def test_any_zip(
    tmp_path: Path, metadata: object, annotations: object, names: list[str], markdown: str
) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata_0_to_9.json", json.dumps(metadata))
        archive.writestr("annotations/part_000000.json", json.dumps(annotations))
        archive.writestr("part_000000.csv", "title,url,time_added,tags,status\n")
        for name in names:
            archive.writestr(name, markdown)
    _check(POCKET_ZIP, path)
    _check(OMNIVORE, path)


@given(st.text())
def test_any_highlights_markdown(markdown: str) -> None:
    for quote in parse_highlights(markdown):
        assert quote.text and quote.text == quote.text.strip()
        assert "\u2934" not in quote.text or "](" not in quote.text.rsplit("\u2934", 1)[1]


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_times_and_progress(value: object) -> None:
    moment = utc_time(value)
    assert moment is None or UTC.fullmatch(moment)
    progress = unit_progress(value, 100)
    assert progress is None or 0.0 <= progress <= 1.0


@given(st.lists(st.text(max_size=40), max_size=20))
def test_any_lines_to_csv_records(lines: list[str]) -> None:
    for record in csv_records(lines, "f.csv", ["a"]):
        assert isinstance(record, Refused | tuple)
