"""Reading a `reader export --format json` file back: bounded, checked, one line on failure.

The file is untrusted input (anyone can hand one over, and a damaged disk can hand
over anything), so what is read is bounded before Python's JSON parser sees it:

- its size (`DEFAULT_MAX_SIZE`, `--max-size` raises it): read at most one byte past it;
- its nesting (`MAX_DEPTH` levels; an export is 5 deep): 5,000 nested arrays would
  make the parser raise RecursionError;
- its numbers: at most `MAX_NUMBER` characters (a 100,000-digit integer makes Python
  raise ValueError, and no offset needs more than 19 digits), finite (1e999, NaN and
  Infinity are not numbers JSON allows or an offset can be).

Every failure is an ImportFormatError of one line naming the file and, where it is
known, the line and column (`FILE:LINE:COL: ...`) or the field (`articles[3].start`).
`validate` then checks each field reader reads for its type, its range (an offset
SQLite can hold) and its text (no unpaired surrogate, which no UTF-8 can store).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, NoReturn

from reader.export.files import ExportError
from reader.models import COLORS

__all__ = [
    "DEFAULT_MAX_SIZE",
    "FORMAT",
    "MAX_DEPTH",
    "VERSION",
    "ImportFormatError",
    "load",
    "loads",
    "validate",
]

FORMAT = "reader-annotations"
VERSION = 1

DEFAULT_MAX_SIZE = 256 * 2**20  # about a million annotations
MAX_DEPTH = 32  # an export nests 5 deep: articles, an article, annotations, an annotation
MAX_NUMBER = 32  # characters of one number literal: offsets have at most 19 digits
_MAX_OFFSET = 2**63 - 1  # the largest INTEGER SQLite holds


class ImportFormatError(ExportError):
    """The file is not a reader annotations export; one line naming the file and field."""


# --- reading -------------------------------------------------------------------------


def load(path: Path, *, max_size: int = DEFAULT_MAX_SIZE) -> dict[str, Any]:
    """Read and check an export file; ImportFormatError names the file and the place."""
    from reader.ingest.sources import format_size, read_at_most

    try:
        size = path.stat().st_size
        if size > max_size:
            raise ImportFormatError(_too_big(path, size, max_size))
        with path.open("rb") as file:
            data = read_at_most(file, size, max_size)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ImportFormatError(f"{path}: cannot read: {reason}") from error
    if len(data) > max_size:  # grew meanwhile, or a device that reports no size
        raise ImportFormatError(
            f"{path}: larger than the {format_size(max_size)} limit for an annotations file"
            " (--max-size)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path}: cannot read: not UTF-8 ({error.reason} at byte {error.start:,})"
        ) from error
    del data
    return loads(text, str(path))


def _too_big(path: Path, size: int, max_size: int) -> str:
    from reader.ingest.sources import format_size

    return (
        f"{path}: {format_size(size)}, larger than the {format_size(max_size)} limit for an"
        " annotations file (--max-size)"
    )


def loads(text: str, where: str = "data") -> dict[str, Any]:
    """Parse and check the text of an export; `where` names it in errors."""
    _check_bounds(text, where)
    try:
        data = json.loads(text, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"{where}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from error
    except (ValueError, RecursionError) as error:  # bounds checked: only what the hooks say
        raise ImportFormatError(f"{where}: not valid JSON: {error}") from error
    return validate(data, where)


# Strings (skipped whole), brackets (nesting), over-long numbers, NaN and Infinity.
_TOKEN = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"'
    r"|(?P<open>[\[{])|(?P<close>[\]}])"
    rf"|(?P<number>-?\d[\d.eE+-]{{{MAX_NUMBER},}})"
    r"|(?P<constant>NaN|-?Infinity)",
    re.S,
)


def _check_bounds(text: str, where: str) -> None:
    """Refuse nesting past MAX_DEPTH, numbers longer than MAX_NUMBER and non-numbers,
    naming the line and column, before the JSON parser meets them."""
    depth = 0
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup
        if kind is None:
            continue  # a string
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                _fail_at(text, token.start(), where, f"nested more than {MAX_DEPTH} levels deep")
        elif kind == "close":
            depth -= 1
        elif kind == "number":
            length = len(token.group())
            _fail_at(text, token.start(), where, f"a number {length:,} characters long")
        else:
            _fail_at(text, token.start(), where, f"{token.group()} is not a number JSON allows")


def _fail_at(text: str, offset: int, where: str, message: str) -> NoReturn:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    raise ImportFormatError(f"{where}:{line}:{column}: {message}")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"the number {literal[:MAX_NUMBER]} is out of range")
    return value


# --- checking ------------------------------------------------------------------------


def _fail(where: str, field_path: str, message: str) -> NoReturn:
    raise ImportFormatError(f"{where}: {field_path}: {message}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _describe(value: object) -> str:
    """A value as an error shows it: short, whatever its size or depth."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return json.dumps(value[:30]) + ("…" if len(value) > 30 else "")
    return json.dumps(value)[:40]


def _check(
    record: dict[str, Any], where: str, prefix: str, name: str, types: tuple[type, ...]
) -> None:
    if name not in record:
        return
    value = record[name]
    # bool is an int in Python; a JSON true is not a valid offset.
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
        _fail(where, f"{prefix}.{name}", f"expected {expected}, got {_describe(value)}")
    _check_value(value, where, f"{prefix}.{name}")


def _check_value(value: object, where: str, field_path: str) -> None:
    """Text UTF-8 can store, integers SQLite can hold (a progress or position out of
    its range is clamped when saved; one SQLite cannot take would not be)."""
    if isinstance(value, str):
        surrogate = _SURROGATE.search(value)
        if surrogate is not None:
            code = f"\\u{ord(surrogate.group()):04x}"
            _fail(where, field_path, f"not valid Unicode (an unpaired surrogate, {code})")
    elif isinstance(value, int) and not -_MAX_OFFSET - 1 <= value <= _MAX_OFFSET:
        _fail(where, field_path, f"{value} is out of range (an offset is at most 19 digits)")


def _check_strings(record: dict[str, Any], where: str, prefix: str, name: str) -> None:
    for j, value in enumerate(record.get(name, [])):
        if not isinstance(value, str):
            _fail(where, f"{prefix}.{name}[{j}]", "expected a string")
        _check_value(value, where, f"{prefix}.{name}[{j}]")


def validate(data: object, where: str = "data") -> dict[str, Any]:
    """`data`, once checked to be a reader annotations export we can read; else
    ImportFormatError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFormatError(f"{where}: not a reader annotations export (no format {FORMAT!r})")
    if data.get("version") != VERSION:
        version = _describe(data.get("version"))
        raise ImportFormatError(
            f"{where}: export version {version} is not supported (expected {VERSION})"
        )
    articles = data.get("articles")
    if not isinstance(articles, list):
        _fail(where, "articles", "expected a list")
    text, opt_text = (str,), (str, type(None))
    for i, article in enumerate(articles):
        prefix = f"articles[{i}]"
        if not isinstance(article, dict):
            _fail(where, prefix, "expected an object")
        for name in ("url", "byline", "site_name", "published", "lang", "read_at", "archived_at"):
            _check(article, where, prefix, name, opt_text)
        for name in ("title", "added_at"):
            _check(article, where, prefix, name, text)
        _check(article, where, prefix, "starred", (bool,))
        _check(article, where, prefix, "missing", (bool,))
        _check(article, where, prefix, "progress", (int, float))
        _check(article, where, prefix, "position", (int,))
        for name in ("sha256", "tags", "annotations"):
            _check(article, where, prefix, name, (list,))
        _check_strings(article, where, prefix, "sha256")
        _check_strings(article, where, prefix, "tags")
        # A missing page (a book from Readwise) may be known by its title alone.
        known_by_title = article.get("missing") and article.get("title")
        if not article.get("url") and not article.get("sha256") and not known_by_title:
            _fail(where, prefix, "has neither a url nor a sha256 to find the article by")
        for j, record in enumerate(article.get("annotations", [])):
            _validate_annotation(record, where, f"{prefix}.annotations[{j}]")
    return data


def _validate_annotation(record: Any, where: str, prefix: str) -> None:
    if not isinstance(record, dict):
        _fail(where, prefix, "expected an object")
    kind = record.get("type")
    if kind not in ("highlight", "note"):
        _fail(where, f"{prefix}.type", "expected 'highlight' or 'note'")
    for name in ("note", "created_at", "updated_at"):
        _check(record, where, prefix, name, (str,))
    if kind == "note":
        if not record.get("note", "").strip():
            _fail(where, f"{prefix}.note", "an article note needs text")
        return
    for name in ("exact", "prefix", "suffix", "color"):
        _check(record, where, prefix, name, (str,))
    for name in ("start", "end"):
        _check(record, where, prefix, name, (int, type(None)))
    _check(record, where, prefix, "orphaned", (bool,))
    _check(record, where, prefix, "tags", (list,))
    _check_strings(record, where, prefix, "tags")
    if not record.get("exact"):
        _fail(where, f"{prefix}.exact", "a highlight needs its quoted text")
    if record.get("color", "yellow") not in COLORS:
        _fail(where, f"{prefix}.color", f"expected one of {', '.join(COLORS)}")
