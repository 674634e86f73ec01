"""`reader import-annotations` of hostile files: one line each, nothing half-restored.

Hypothesis builds the files: a valid export with one field replaced by something
hostile (deep nesting, huge or non-finite numbers, unpaired surrogates, values of the
wrong type), arbitrary text and bytes, and nesting of any depth. Each is either read
and restored into a real archive without an exception, or refused with one
ImportFormatError line naming the file. The issue's two cases also run as real
processes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.export import ImportFormatError, import_annotations
from reader.export.userdata_file import MAX_DEPTH, load, loads
from tests.reliability.helpers import FILLER, page_html, run_reader

URL = "https://news.example/article"
TEXT = "The quick brown fox jumps over the lazy dog. " + FILLER


def export() -> dict[str, Any]:
    return {
        "format": "reader-annotations",
        "version": 1,
        "articles": [
            {
                "url": URL,
                "sha256": [],
                "title": "An article",
                "starred": True,
                "progress": 0.5,
                "position": 3,
                "tags": ["kept"],
                "annotations": [
                    {"type": "highlight", "exact": "brown fox", "start": 10, "end": 19},
                    {"type": "note", "note": "A note."},
                ],
            }
        ],
    }


# Values no export holds, from the plain to the pathological.
hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**18, max_value=10**40),
    st.floats(),  # NaN and the infinities too
    st.text(st.characters(codec=None, exclude_categories=()), max_size=50),  # surrogates too
    st.just("\ud800"),
)
hostile_values = st.recursive(
    hostile_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = (
    ("format",),
    ("version",),
    ("articles",),
    ("articles", 0),
    *(
        ("articles", 0, name)
        for name in ("url", "sha256", "title", "starred", "progress", "position", "tags")
    ),
    ("articles", 0, "tags", 0),
    ("articles", 0, "annotations"),
    ("articles", 0, "annotations", 0),
    *(
        ("articles", 0, "annotations", 0, name)
        for name in ("type", "exact", "prefix", "start", "end", "color", "note", "created_at")
    ),
    ("articles", 0, "annotations", 1, "note"),
    (
        "articles",
        0,
        "extra",
    ),
)


def replaced(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = export()
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = copy.deepcopy(value)
    return data


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    from tests.export.conftest import make_page

    opened = Archive(tmp_path_factory.mktemp("hostile-json") / "archive.db")
    page, raw = make_page("An article", [TEXT], url=URL)
    opened.add_article(page, raw)
    return opened


def read_or_refuse(text: str, archive: Archive) -> None:
    """`text` is refused in one line naming the file, or restored without an exception."""
    try:
        data = loads(text, "hostile.json")
    except ImportFormatError as error:
        message = str(error)
        assert message.startswith("hostile.json") and "\n" not in message
        assert len(message) < 300
        return
    import_annotations(archive, data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(FIELDS), value=hostile_values)
def test_any_value_in_any_field_is_read_or_refused(
    archive: Archive, path: tuple[str | int, ...], value: object
) -> None:
    read_or_refuse(json.dumps(replaced(path, value)), archive)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    depth=st.integers(min_value=1, max_value=20_000),
    brackets=st.sampled_from(["[", '{"a":', '[{"b":', "[["]),
)
def test_nesting_of_any_depth_is_read_or_refused(
    archive: Archive, depth: int, brackets: str
) -> None:
    closing = {"[": "]", '{"a":': "}", '[{"b":': "}]", "[[": "]]"}[brackets]
    nested = brackets * depth + "1" + closing * depth
    data = json.dumps(export())
    text = data.replace('"position": 3', f'"position": 3, "extra": {nested}')
    levels = depth * brackets.count("[") + depth * brackets.count("{") + 3  # + the export's
    if levels > MAX_DEPTH:
        with pytest.raises(ImportFormatError, match=r"hostile\.json:1:\d+: nested more than"):
            loads(text, "hostile.json")
    else:
        read_or_refuse(text, archive)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(min_value=1, max_value=200_000), sign=st.sampled_from(["", "-"]))
def test_numbers_of_any_length_are_read_or_refused(
    archive: Archive, digits: int, sign: str
) -> None:
    text = json.dumps(export()).replace('"position": 3', f'"position": {sign}{"7" * digits}')
    read_or_refuse(text, archive)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.sampled_from('[]{}",:0123456789.eE-+ \\natrufslNIny'), max_size=200))
def test_json_shaped_garbage_is_refused_in_one_line(archive: Archive, text: str) -> None:
    read_or_refuse(text, archive)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_in_a_file_are_refused_in_one_line(tmp_path: Path, data: bytes) -> None:
    file = tmp_path / "bytes.json"
    file.write_bytes(data)
    try:
        load(file)
    except ImportFormatError as error:
        assert str(error).startswith(str(file)) and "\n" not in str(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 5_000 + "]" * 5_000, f"hostile.json:1:{MAX_DEPTH + 1}: nested more than"),
        (
            json.dumps(export()).replace('"position": 3', '"position": ' + "9" * 100_000),
            "hostile.json:1:",
        ),
    ],
    ids=["nesting-5000", "number-100000-digits"],
)
def test_the_issues_files_are_one_line_from_the_command(
    tmp_path: Path, content: str, message: str
) -> None:
    db = tmp_path / "archive.db"
    page = tmp_path / "page.html"
    page.write_bytes(page_html("An article", "<p>Words.</p>"))
    assert run_reader(db, "import", str(page)).returncode == 0
    hostile = tmp_path / "hostile.json"
    hostile.write_text(content)
    done = run_reader(db, "import-annotations", "hostile.json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"Error: {message}") and done.stderr.count("\n") == 1
