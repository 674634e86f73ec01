"""A block's text as XHTML: its marks (emphasis, strong, code, links), the highlights
over it as `<mark>`, and their note references; and the small pieces of the chapter
writer that everything it writes goes through (text filtered for XML, links checked).

Text is only ever set as text (lxml escapes it); attributes come from this module's own
values or pass `safe_href`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from reader.document import Block
from reader.models import COLORS, Annotation

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"

# What XML 1.0 cannot hold; replaced one for one so offsets inside a block do not move.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINK_SCHEMES = ("http://", "https://", "mailto:")


def xml_text(text: str) -> str:
    """`text` as XML can hold it: each character XML refuses becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def safe_href(href: str | None) -> str | None:
    """A link the book may carry: absolute web or mail URLs only (never javascript:,
    data:, or a relative path that would point inside the book)."""
    if not href:
        return None
    href = xml_text(href.strip())
    if not href.lower().startswith(_LINK_SCHEMES) or len(href) > 8192:
        return None
    return href.replace(" ", "%20")


def child(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A new XHTML child of `parent`; `class_` for `class`; text and values filtered."""
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in attrs.items():
        element.set(name.rstrip("_"), xml_text(value))
    if text is not None:
        element.text = xml_text(text)
    return element


@dataclass(frozen=True)
class Note:
    annotation: Annotation
    number: int

    @property
    def note_id(self) -> str:
        return f"note-{self.annotation.id}"

    @property
    def ref_id(self) -> str:
        return f"noteref-{self.annotation.id}"


@dataclass(frozen=True)
class Piece:
    """The piece of a highlight over `block.text[start:end]`."""

    start: int
    end: int
    annotation: Annotation
    last: bool  # the highlight ends in this block: its note reference follows it


# --- Inline text --------------------------------------------------------------------

# Layers from the outside in: a highlight is outermost so that its note reference
# (a link) can follow it without ever sitting inside another link.
_LAYERS = ("highlight", "link", "strong", "em", "code")
_TAGS = {"link": "a", "strong": "strong", "em": "em", "code": "code"}


def inline(
    parent: etree._Element,
    block: Block,
    ranges: Sequence[Piece],
    notes: Mapping[int, Note],
    *,
    plain: bool = False,
) -> None:
    """`block.text` into `parent` with its marks and highlights: the text is cut where
    any of them starts or ends, each piece wrapped in the layers that cover it, and
    neighbouring pieces share a wrapper when they have the same one."""
    text = block.text
    covers: list[tuple[str, int, int, object]] = []
    if not plain:
        for mark in block.marks:
            start, end = max(0, mark.start), min(len(text), mark.end)
            if start >= end or mark.kind not in _TAGS:
                continue
            if mark.kind == "link":
                href = safe_href(mark.href)
                if href is None:
                    continue
                covers.append(("link", start, end, href))
            else:
                covers.append((mark.kind, start, end, True))
    for r in ranges:
        covers.append(("highlight", r.start, r.end, r))
    cuts = sorted({0, len(text), *(c[1] for c in covers), *(c[2] for c in covers)})
    pieces: list[tuple[str, dict[str, object]]] = []
    for start, end in pairwise(cuts):
        if start >= end:
            continue
        layers: dict[str, object] = {}
        for layer, c_start, c_end, value in covers:
            if c_start <= start and end <= c_end and layer not in layers:
                layers[layer] = value
        pieces.append((text[start:end], layers))
    _write_layers(parent, pieces, 0, notes)


def _write_layers(
    parent: etree._Element,
    pieces: Sequence[tuple[str, dict[str, object]]],
    depth: int,
    notes: Mapping[int, Note],
) -> None:
    if depth == len(_LAYERS):
        append_text(parent, "".join(text for text, _ in pieces))
        return
    layer = _LAYERS[depth]
    for value, group in _groups(pieces, layer):
        if value is None:
            _write_layers(parent, group, depth + 1, notes)
            continue
        if layer == "highlight":
            assert isinstance(value, Piece)
            color = value.annotation.color if value.annotation.color in COLORS else "yellow"
            element = child(parent, "mark", class_=f"highlight-{color}")
            _write_layers(element, group, depth + 1, notes)
            note = notes.get(value.annotation.id)
            if note is not None and value.last:
                ref = child(parent, "a", str(note.number), href=f"#{note.note_id}")
                ref.set("id", note.ref_id)
                ref.set("class", "noteref")
                ref.set(EPUB_TYPE, "noteref")
            continue
        if layer == "link":
            element = child(parent, "a", href=str(value))
        else:
            element = child(parent, _TAGS[layer])
        _write_layers(element, group, depth + 1, notes)


def _groups(
    pieces: Sequence[tuple[str, dict[str, object]]], layer: str
) -> Iterable[tuple[object, list[tuple[str, dict[str, object]]]]]:
    """Runs of neighbouring pieces with the same value for `layer`."""
    run: list[tuple[str, dict[str, object]]] = []
    current: object = None
    for piece in pieces:
        value = piece[1].get(layer)
        if run and value is not current and value != current:
            yield current, run
            run = []
        current = value
        run.append(piece)
    if run:
        yield current, run


def append_text(parent: etree._Element, text: str) -> None:
    """Text after `parent`'s last child (or inside it when it has none)."""
    text = xml_text(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
