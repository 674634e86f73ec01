"""One block's inline text, built piece by piece, with its marks and highlighted ranges.

The plain-text and Markdown readers both build blocks here, so they agree on
whitespace (runs collapse as text arrives, so mark offsets are right by construction,
as in `reader.ingest.convert.walk`) and on inline HTML: text files carry stray tags
(`He <u>said</u>`, `<a href="...">`) and Markdown allows them. Formatting tags
become marks, links keep only web targets (`absolute_url`, as for HTML pages), and
every other tag is dropped: none is ever shown as a tag or interpreted. Character
references (`&amp;`) are decoded, and what they decode to is text, never a tag.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from reader.document import Mark
from reader.ingest.convert.elements import MARK_TAGS
from reader.ingest.convert.links import absolute_url
from reader.ingest.formats import is_html_tag_name
from reader.textrules import clean_inline

__all__ = ["InlineText", "strip_tags"]

# `<u>` and `<ins>` are underlines: emphasis is the nearest mark the document has.
_MARK_TAGS = {**MARK_TAGS, "u": "em", "ins": "em"}
# Elements whose content is never text to read; dropped up to their end tag.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "svg", "textarea"})
# Elements inside a line of text: dropping their tags must not glue words together, but
# must not put a space into a word either (`<b>un</b>done`). Any other tag is a space.
_INLINE = frozenset(
    {
        *_MARK_TAGS,
        "a",
        "abbr",
        "bdi",
        "bdo",
        "big",
        "blink",
        "data",
        "del",
        "font",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "sub",
        "sup",
        "time",
        "wbr",
    }
)

_ATTRIBUTES = r"""(?:[^<>"']|"[^"]*"|'[^']*')*"""
# A tag, a comment, or a character reference.
_MARKUP = re.compile(
    rf"<(/?)([A-Za-z][A-Za-z0-9-]*)({_ATTRIBUTES})>"
    r"|<!--.*?(?:-->|$)"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
    re.DOTALL,
)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


@dataclass(slots=True)
class _Open:
    kind: str
    start: int
    href: str | None = None


class InlineText:
    """The text of one block as it is built: add text, open and close marks, finish.

    Marks always nest: closing one that others opened after it closes those too and
    opens them again right after (as an HTML parser does with `<b><i></b></i>`).
    `base_url` resolves relative links.
    """

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url
        self._parts: list[str] = []
        self._length = 0
        self._last = "\n"  # "\n" at the start, so leading spaces drop
        self._marks: list[Mark] = []
        self._open: list[_Open] = []
        self._highlights: list[tuple[int, int]] = []
        self._highlight_start: int | None = None
        self._hidden: str | None = None  # inside a <script> (Markdown's inline HTML)

    @property
    def empty(self) -> bool:
        return not "".join(self._parts).strip()

    def add(self, text: str) -> None:
        """Text, controls removed and whitespace runs collapsed to one space."""
        if self._hidden is not None:
            return
        text = clean_inline(text)
        if not text:
            return
        if text[0] == " " and self._last in " \n":
            text = text[1:]
            if not text:
                return
        self._parts.append(text)
        self._length += len(text)
        self._last = text[-1]

    def line_break(self) -> None:
        """A hard line break (`<br>`, two spaces at a Markdown line's end)."""
        if self._last == " " and self._parts:
            self._parts[-1] = self._parts[-1][:-1]
            self._length -= 1
        if self._length == 0 or self._last == "\n":
            return
        self._parts.append("\n")
        self._length += 1
        self._last = "\n"

    def open(self, kind: str, href: str | None = None) -> None:
        self._open.append(_Open(kind, self._length, href))

    def close(self, kind: str) -> None:
        """End the innermost open mark of `kind` (none open: nothing happens)."""
        kinds = [mark.kind for mark in self._open]
        if kind not in kinds:
            return
        index = len(kinds) - 1 - kinds[::-1].index(kind)
        above = self._open[index + 1 :]
        for mark in [*reversed(above), self._open[index]]:
            self._end(mark)
        del self._open[index:]
        self._open += [_Open(m.kind, self._length, m.href) for m in above]

    def start_highlight(self) -> None:
        if self._highlight_start is None:
            self._highlight_start = self._length

    def end_highlight(self) -> None:
        if self._highlight_start is not None:
            self._highlights.append((self._highlight_start, self._length))
            self._highlight_start = None

    def add_html(self, text: str) -> None:
        """Text that may hold inline HTML: tags become marks or go, references decode."""
        position = 0
        hidden_until = 0
        for found in _MARKUP.finditer(text):
            if found.start() < hidden_until:
                continue
            self.add(text[position : found.start()])
            position = found.end()
            token = found.group(0)
            if token.startswith("&"):
                self.add(html.unescape(token))
            elif token.startswith("<!--"):
                continue
            elif not is_html_tag_name(found.group(2)):
                self.add(token)  # `<Jane Doe>`, `<placeholder>`: text that looks like a tag
            else:
                name = found.group(2).lower()
                if name in _HIDDEN and not found.group(1):
                    end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, position)
                    hidden_until = position = end.end() if end else len(text)
                    continue
                self.tag(found.group(1) == "/", name, found.group(3))
        if position < len(text):
            self.add(text[position:])

    def add_tag(self, source: str) -> None:
        """One HTML tag as written (Markdown's inline HTML): a mark, a break, or nothing."""
        found = _MARKUP.fullmatch(source.strip())
        if found is None or found.group(2) is None:
            return  # a comment, or something markdown-it took for HTML that is not a tag
        if is_html_tag_name(found.group(2)):
            self.tag(found.group(1) == "/", found.group(2).lower(), found.group(3))

    def tag(self, closing: bool, name: str, attributes: str) -> None:
        """Apply an HTML element's tag: formatting opens or closes a mark; `<br>` breaks
        the line; any other element's tag is dropped (a space where it parts words).
        The text inside a script or a style is not text: it goes up to its end tag."""
        if name in _HIDDEN:
            if not closing:
                self._hidden = name
            elif self._hidden == name:
                self._hidden = None
        elif self._hidden is not None:
            return
        elif name == "br":
            self.line_break()
        elif name in _MARK_TAGS:
            (self.close if closing else self.open)(_MARK_TAGS[name])
        elif name == "a":
            if closing:
                self.close("link")
            else:
                href = _HREF.search(attributes)
                target = next((g for g in href.groups() if g is not None), "") if href else ""
                url = absolute_url(html.unescape(target), self.base_url) if target else None
                self.open("link", url)
        elif name not in _INLINE:
            self.add(" ")

    def finish(self) -> tuple[str, tuple[Mark, ...], tuple[tuple[int, int], ...]]:
        """The block's text (ends trimmed), its marks and its highlighted ranges."""
        for mark in reversed(self._open):
            self._end(mark)
        self._open = []
        self.end_highlight()
        raw = "".join(self._parts)
        text = raw.rstrip(" \n")
        size = len(text)
        marks = tuple(
            Mark(m.kind, m.start, min(m.end, size), m.href)
            for m in self._marks
            if m.start < min(m.end, size) and (m.kind != "link" or m.href)
        )
        highlights = tuple(
            (start, min(end, size)) for start, end in self._highlights if start < min(end, size)
        )
        return text, marks, highlights

    def _end(self, mark: _Open) -> None:
        self._marks.append(Mark(mark.kind, mark.start, self._length, mark.href))


def strip_tags(text: str) -> str:
    """`text` as one clean line with its inline HTML dropped (a title, a caption)."""
    inline = InlineText()
    inline.add_html(text)
    return inline.finish()[0].replace("\n", " ")
