"""The document model: an article as a list of blocks with inline marks.

`Document.text` (the non-empty blocks' texts joined by blank lines) is what full-text
search indexes and what annotation offsets point into; every other rendering (Markdown,
the reading view) is derived from the same blocks, and `Document.spans()` is the one
place that says where each block's text sits inside `Document.text`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

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

    def to_dict(self) -> dict:
        data: dict = {"kind": self.kind, "text": self.text}
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
    def from_dict(cls, data: dict) -> Block:
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
        return len(self.text.split())

    def to_json(self) -> str:
        return json.dumps([b.to_dict() for b in self.blocks], ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> Document:
        return cls(tuple(Block.from_dict(b) for b in json.loads(data)))

    def to_markdown(self) -> str:
        return render_markdown(self.blocks)


# --- Markdown rendering -----------------------------------------------------------

# Characters that can start or change Markdown structure inside running text.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
# At the start of a line these make a heading, quote, list, rule or code fence.
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)](?=\s|$))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape `text` so that CommonMark shows it as typed, not as structure."""
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = text.replace("&", "&amp;")
    return _LINE_START.sub(lambda m: m.group(1) + _escape_line_start(m.group(2)), text)


def _escape_line_start(token: str) -> str:
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def _safe_href(href: str) -> str | None:
    """Only web and mail links survive into Markdown: never javascript: or data:."""
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in ("http", "https", "mailto", "ftp", ""):
        return None
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def render_inline(text: str, marks: tuple[Mark, ...]) -> str:
    """Text with its marks as Markdown; marks are assumed to nest (as HTML does)."""
    if not marks:
        return escape_markdown(text)
    opens: dict[int, list[Mark]] = {}
    closes: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.start >= mark.end:
            continue
        opens.setdefault(mark.start, []).append(mark)
        closes.setdefault(mark.end, []).append(mark)
    out: list[str] = []
    code_depth = 0
    cuts = sorted({0, len(text), *opens, *closes})
    for i, pos in enumerate(cuts):
        for mark in sorted(closes.get(pos, ()), key=lambda m: m.start, reverse=True):
            out.append(_close(mark))
            if mark.kind == "code":
                code_depth -= 1
        for mark in sorted(opens.get(pos, ()), key=lambda m: m.end, reverse=True):
            out.append(_open(mark))
            if mark.kind == "code":
                code_depth += 1
        if i + 1 < len(cuts):
            chunk = text[pos : cuts[i + 1]]
            out.append(chunk.replace("`", "'") if code_depth else escape_markdown(chunk))
    return "".join(out)


def _open(mark: Mark) -> str:
    if mark.kind == "link":
        return "[" if mark.href and _safe_href(mark.href) else ""
    return {"em": "*", "strong": "**", "code": "`"}.get(mark.kind, "")


def _close(mark: Mark) -> str:
    if mark.kind == "link":
        href = _safe_href(mark.href) if mark.href else None
        return f"]({href})" if href else ""
    return {"em": "*", "strong": "**", "code": "`"}.get(mark.kind, "")


def render_markdown(blocks: tuple[Block, ...] | list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        rendered = render_block(block)
        if rendered:
            parts.append(rendered)
    return "\n\n".join(parts) + ("\n" if parts else "")


def render_block(block: Block) -> str:
    kind = block.kind
    if kind == "rule":
        return "---"
    if kind == "code":
        fence = "```"
        while fence in block.text:
            fence += "`"
        return f"{fence}{block.lang}\n{block.text}\n{fence}"
    if kind == "table":
        return _render_table(block)
    inline = render_inline(block.text, block.marks)
    if kind == "heading":
        return "#" * max(1, min(6, block.level or 1)) + " " + inline.replace("\n", " ")
    if kind == "list_item":
        indent = "    " * block.level
        bullet = f"{block.number or 1}." if block.ordered else "-"
        pad = " " * (len(bullet) + 1)
        lines = inline.split("\n")
        return indent + bullet + " " + ("\n" + indent + pad).join(lines)
    if kind == "quote":
        prefix = "> " * max(1, block.level)
        return "\n".join(prefix + line if line else prefix.rstrip() for line in inline.split("\n"))
    if kind == "figure":
        src = _safe_href(block.src) if block.src else None
        alt = escape_markdown(block.alt or block.text)
        image = f"![{alt}]({src})" if src else ""
        caption = f"*{inline}*" if block.text else ""
        return "\n".join(part for part in (image, caption) if part)
    return inline


def _render_table(block: Block) -> str:
    rows = [list(r) for r in block.rows] or [line.split("\t") for line in block.text.split("\n")]
    width = max(len(r) for r in rows)
    cells = [
        [escape_markdown(c).replace("\n", " ") for c in r + [""] * (width - len(r))] for r in rows
    ]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)
