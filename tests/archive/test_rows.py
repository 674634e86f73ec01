"""archive/rows.py: records are read by field name, whatever the table's column order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pytest

from reader.archive.rows import ANNOTATION, SUMMARY, Columns
from reader.models import Annotation, ArticleSummary


@dataclass(frozen=True)
class Label:
    id: int
    pinned: bool
    name: str = ""
    length: int = 0


def test_fields_are_selected_by_name_and_converted() -> None:
    conn = sqlite3.connect(":memory:")
    # Columns in another order than the fields, and one the record does not have.
    conn.execute("CREATE TABLE labels(name TEXT, unused TEXT, pinned INTEGER, id INTEGER)")
    conn.execute("INSERT INTO labels VALUES ('rust', 'x', 1, 7)")
    columns = Columns(Label, "l", computed={"length": "length(l.name)"}, convert={"pinned": bool})
    row = conn.execute(f"SELECT {columns.sql}, 'after' FROM labels l").fetchone()
    assert columns.read(row) == Label(id=7, pinned=True, name="rust", length=4)
    assert columns.rest(row) == ("after",)


def test_a_field_named_for_sql_or_conversion_must_exist() -> None:
    with pytest.raises(ValueError, match="no field 'colour'"):
        Columns(Label, "l", convert={"colour": str})
    with pytest.raises(ValueError, match="no field 'size'"):
        Columns(Label, "l", computed={"size": "1"})


def test_archive_records_select_every_field() -> None:
    for columns, record in ((SUMMARY, ArticleSummary), (ANNOTATION, Annotation)):
        assert columns.names == tuple(record.__dataclass_fields__)
        assert all(f'"{name}"' in columns.sql for name in columns.names)
