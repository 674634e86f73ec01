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
        return json.dumps([b.to_dict() for b in self.blocks], ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> Document:
        return cls(tuple(Block.from_dict(b) for b in json.loads(data)))
