"""Records read from rows by field name, and rows written by column name.

Each record of reader.models that the archive reads has a `Columns`: its SELECT list,
made from the dataclass's fields (one column per field, named as the field, in field
order), and the conversions of the few values SQLite cannot hold as Python wants them
(0/1 for a bool, tag names joined by a separator). So a new column is one edit: the
record's field (and the migration that adds the column). The few fields that are not
plain columns (an article's tags, its annotation count, its document) name the SQL
that computes them.

Rows are read in that order, the one the SELECT list itself was made in, rather than
through a dict per row: summaries are read by the hundred for every search and list
page, where a dict per row took a third longer (500 summaries: 5.8 ms against 4.2).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reader.archive.base import placeholders, read_by_id
from reader.document import Document
from reader.models import Annotation, Article, ArticleSummary, Original

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


class Columns(Generic[R]):
    """How a dataclass `record` is read: `Columns.sql` selects its fields from `alias`
    (`computed` gives the SQL of fields that are not columns of that table) and
    `Columns.read` makes the record from such a row, applying `convert` by field."""

    def __init__(
        self,
        record: type[R],
        alias: str,
        *,
        computed: Mapping[str, str] | None = None,
        convert: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        computed = computed or {}
        convert = convert or {}
        self.record = record
        self.names = tuple(field.name for field in fields(record))
        unknown = (set(computed) | set(convert)) - set(self.names)
        if unknown:
            raise ValueError(f"{record.__name__} has no field {sorted(unknown)[0]!r}")
        self.sql = ", ".join(
            f'{computed[name]} AS "{name}"' if name in computed else f'{alias}."{name}"'
            for name in self.names
        )
        self._convert = tuple(
            (index, convert[name]) for index, name in enumerate(self.names) if name in convert
        )
        self.width = len(self.names)

    def read(self, row: Sequence[Any]) -> R:
        """The record from a row that starts with `sql`'s columns."""
        values = list(row[: self.width])
        for index, convert in self._convert:
            values[index] = convert(values[index])
        return self.record(*values)

    def rest(self, row: Sequence[Any]) -> tuple[Any, ...]:
        """The columns a query selected after the record's."""
        return tuple(row[self.width :])


def insert_row(conn: sqlite3.Connection, table: str, row: Mapping[str, object]) -> int:
    """INSERT `row` ({column: value}) into `table`; returns the new rowid."""
    columns = ", ".join(f'"{name}"' for name in row)
    cursor = conn.execute(
        f"INSERT INTO {table}({columns}) VALUES ({placeholders(row)})", list(row.values())
    )
    assert cursor.lastrowid is not None  # an INSERT that did not raise made a row
    return cursor.lastrowid


# -- articles ---------------------------------------------------------------------------

# An article's tags come from article_tags, not articles.tag_names: that column sits
# after the article's text, so reading it would walk the text's overflow pages, and a
# tag name may itself contain a space. Joined by the unit separator (char(31)), a
# control character that clean_tag_name strips from names.
_TAG_SEPARATOR = "\x1f"
_TAGS_OF = (
    "(SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM article_tags x"
    " JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id ORDER BY t.name COLLATE NOCASE))"
)
_ANNOTATION_COUNT = "(SELECT count(*) FROM annotations n WHERE n.article_id = a.id)"


def _tag_names(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(_TAG_SEPARATOR)) if joined else ()


_MISSING = "EXISTS (SELECT 1 FROM missing_pages m WHERE m.article_id = a.id)"

_SUMMARY_SQL = {"tags": _TAGS_OF, "annotation_count": _ANNOTATION_COUNT, "missing": _MISSING}
_SUMMARY_CONVERT: dict[str, Callable[[Any], Any]] = {
    "starred": bool,
    "tags": _tag_names,
    "missing": bool,
}

# An article's document is its blocks (structure: kinds, lengths, marks) over its text,
# read as one value: the two joined by a NUL, which JSON never holds unescaped.
_DOCUMENT_SQL = "a.blocks || char(0) || a.text"


def read_document(value: str) -> Document:
    """The document from `_DOCUMENT_SQL`'s value (either storage format of the blocks)."""
    blocks, _, text = value.partition("\0")
    return Document.from_json(blocks, text)


# Over `articles a`.
SUMMARY = Columns(ArticleSummary, "a", computed=_SUMMARY_SQL, convert=_SUMMARY_CONVERT)
ARTICLE = Columns(
    Article,
    "a",
    computed={**_SUMMARY_SQL, "document": _DOCUMENT_SQL},
    convert={**_SUMMARY_CONVERT, "document": read_document},
)


def read_summaries(
    conn: sqlite3.Connection, ids: list[int], damaged: set[int] | None = None
) -> dict[int, ArticleSummary]:
    """The summaries of the articles `ids` that exist, by id (in no particular order).

    With `damaged`, an article whose row sits on a damaged page is left out and its id
    added there, instead of failing the whole read.
    """

    def read(some: list[int]) -> dict[int, ArticleSummary]:
        cursor = conn.execute(
            f"SELECT {SUMMARY.sql} FROM articles a WHERE a.id IN ({placeholders(some)})", some
        )
        summaries = map(SUMMARY.read, cursor)
        return {summary.id: summary for summary in summaries}

    return read(ids) if damaged is None else read_by_id(ids, read, damaged)


# Over `sources s`: the stored bytes are zlib-compressed.
ORIGINAL = Columns(Original, "s", computed={"data": "s.raw"}, convert={"data": zlib.decompress})

# -- annotations ------------------------------------------------------------------------

# Over `annotations n`. A highlight's tags joined as an article's are.
_HIGHLIGHT_TAGS_OF = (
    "(SELECT group_concat(name, char(31)) FROM (SELECT h.name FROM highlight_tags h"
    " WHERE h.annotation_id = n.id ORDER BY h.name COLLATE NOCASE))"
)
ANNOTATION = Columns(
    Annotation,
    "n",
    computed={"tags": _HIGHLIGHT_TAGS_OF},
    convert={"orphaned": bool, "tags": _tag_names},
)
