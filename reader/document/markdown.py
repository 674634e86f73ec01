"""A document's blocks as CommonMark: what `reader show`, `reader extract` and export print.

Text from pages is escaped so that it shows as typed, never as Markdown structure, and
only web and mail links survive.
"""

from __future__ import annotations

import re

from reader.document.model import Block, Document, Mark

# Characters that can start or change Markdown structure inside running text.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
# An `&` CommonMark would read as the start of an entity or numeric character reference.
_ENTITY_START = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]{0,31};|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
# At the start of a line these make a heading, quote, list, rule or code fence.
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)](?=\s|$))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape `text` so that CommonMark shows it as typed, not as structure.

    Escapes are backslashes, never HTML entities: the output is text a person reads too
    (`reader show`, exported notes), where `&amp;` for `&` would be noise. Only an `&` that
    would start a character reference (`&copy;`, `&#38;`) needs one.
    """
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = _ENTITY_START.sub(r"\\&", text)
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


def render_markdown(document: Document) -> str:
    """The whole document as Markdown, blocks separated by blank lines."""
    parts: list[str] = []
    for block in document.blocks:
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
