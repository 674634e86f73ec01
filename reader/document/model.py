"""The document model: an article as a list of blocks with inline marks.

`Document.text` (the non-empty blocks' texts joined by blank lines) is what full-text
search indexes and what annotation offsets point into; every other rendering (Markdown in
`reader.document.markdown`, the reading view) is derived from the same blocks, and
`Document.spans()` is the one place that says where each block's text sits inside
`Document.text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

BLOCK_KINDS = frozenset(
    {"heading", "paragraph", "list_item", "quote", "code", "figure", "table", "rule"}
)
MARK_KINDS = frozenset({"em", "strong", "code", "link"})
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Mark:
    """An inline mark over `block.text[start:end]`: emphasis, strong, code or a link."""

    kind: str
    start: int
    end: int
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article.

    - heading: `level` 1-6.
    - list_item: `level` is the nesting depth (0 = top level), `ordered` and `number`.
    - quote: `level` is the quote depth (1 = one `>`).
    - code: preformatted text, `lang` when the page said.
    - figure: `text` is the caption (else the alt text), `alt`, `src` (absolute URL).
    - table: `rows` of cell texts; `text` is the rows joined by newlines, cells by tabs.
    - rule: a thematic break, no text.
    """

    kind: str
    text: str = ""
    marks: tuple[Mark, ...] = ()
    level: int = 0
    ordered: bool = False
    number: int | None = None
    lang: str = ""
    alt: str = ""
    src: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The block as JSON-ready data: only the fields it sets (what the archive stores)."""
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.marks:
            data["marks"] = [
                [m.kind, m.start, m.end] + ([m.href] if m.href is not None else [])
                for m in self.marks
            ]
        for name in ("level", "ordered", "number", "lang", "alt", "src"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.rows:
            data["rows"] = [list(row) for row in self.rows]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        marks = tuple(
            Mark(m[0], m[1], m[2], m[3] if len(m) > 3 else None) for m in data.get("marks", ())
        )
        rows = tuple(tuple(row) for row in data.get("rows", ()))
        return cls(
            kind=data["kind"],
            text=data.get("text", ""),
            marks=marks,
            level=data.get("level", 0),
            ordered=data.get("ordered", False),
            number=data.get("number"),
            lang=data.get("lang", ""),
            alt=data.get("alt", ""),
            src=data.get("src", ""),
            rows=rows,
        )


@dataclass(frozen=True, slots=True)
class Span:
    """Where block `index` sits in `Document.text`: `text[start:end] == block.text`."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...] = ()
    _text: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(
            self, "_text", BLOCK_SEPARATOR.join(b.text for b in self.blocks if b.text)
        )

    @property
    def text(self) -> str:
        """The plain text: non-empty blocks joined by blank lines."""
        return self._text

    def spans(self) -> Iterator[Span]:
        """Each non-empty block's position in `text`, in order."""
        offset = 0
        for index, block in enumerate(self.blocks):
            if not block.text:
                continue
            end = offset + len(block.text)
            yield Span(index, offset, end)
            offset = end + len(BLOCK_SEPARATOR)

    @property
    def word_count(self) -> int:
        """`len(self.text.split())`, without that list: a 100 MB article has 12 million
        words, and their list takes 800 MB. Counted a megabyte at a time (a word the
        cut splits in two is counted once)."""
        text, step = self.text, 2**20
        if len(text) <= step:
            return len(text.split())
        count = 0
        for start in range(0, len(text), step):
            count += len(text[start : start + step].split())
            if start and not text[start - 1].isspace() and not text[start].isspace():
                count -= 1
        return count

    def to_json(self) -> str:
        """The blocks as structure over `text` (what the archive stores beside it): each
        block's kind, the length of its text and the fields it sets, never the text
        itself, so an article's text is stored once. `from_json(data, text)` reads it."""
        blocks = []
        for block in self.blocks:
            data = block.to_dict()
            del data["kind"], data["text"]
            rows = data.pop("rows", None)
            if rows is not None and not _rows_follow_text(block):
                data["rows"] = rows  # cells the text cannot give back (a tab in one)
            elif rows is not None:
                data["rows"] = _ROWS_FROM_TEXT
            entry: list[Any] = [block.kind, len(block.text)]
            if data:
                entry.append(data)
            blocks.append(entry)
        return json.dumps({"v": 2, "blocks": blocks}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str, text: str | None = None) -> Document:
        """The document `to_json` wrote, over its `text`; or one in the first format (a
        list of whole blocks, text included: archives before schema v2), `text` unused.

        Raises ValueError when the blocks do not cover `text` exactly (a damaged row).
        """
        parsed = json.loads(data)
        if isinstance(parsed, list):
            return cls(tuple(Block.from_dict(b) for b in parsed))
        if text is None:
            raise ValueError("this document is stored apart from its text: give the text")
        blocks = []
        offset = 0
        for entry in parsed["blocks"]:
            kind, length = entry[0], entry[1]
            fields: dict[str, Any] = dict(entry[2]) if len(entry) > 2 else {}
            block_text = ""
            if length:
                if offset:
                    if text[offset : offset + len(BLOCK_SEPARATOR)] != BLOCK_SEPARATOR:
                        raise ValueError("the blocks do not follow the text")
                    offset += len(BLOCK_SEPARATOR)
                block_text = text[offset : offset + length]
                if len(block_text) != length:
                    raise ValueError("the blocks run past the text")
                offset += length
            if fields.get("rows") == _ROWS_FROM_TEXT:
                fields["rows"] = [line.split("\t") for line in block_text.split("\n")]
            blocks.append(Block.from_dict({"kind": kind, "text": block_text, **fields}))
        if offset != len(text):
            raise ValueError("the blocks do not cover the text")
        return cls(tuple(blocks))


# A table's rows stored as this: its cells are its text's lines split at tabs.
_ROWS_FROM_TEXT = "text"


def _rows_follow_text(block: Block) -> bool:
    """Whether a table's rows are exactly its text's lines split at tabs."""
    if not block.rows or any(not row for row in block.rows):
        return False
    rebuilt = tuple(tuple(line.split("\t")) for line in block.text.split("\n"))
    return rebuilt == block.rows
