"""A saved page's HTML -> an lxml tree, bounded in memory and in nesting.

`parse_page_html` is what extraction reads a page with: refused before parsing when it
has more elements than reader can extract (`MAX_ELEMENTS`), decoded (`decode.html_codec`)
and fed to libxml2 a chunk at a time, so the decoded text is never held whole. A page
nested past libxml2's limit of 256 levels is parsed again flattened (`parse_html`).
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.decode import decode_html, html_codec
from reader.ingest.page import IngestError, RawPage
from reader.textrules import clean_line, strip_controls

__all__ = ["MAX_ELEMENTS", "check_elements", "parse_html", "parse_page_html"]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)

# Bytes of a saved page decoded and handed to the parser at a time: the decoded text of
# a big page is never held whole (a str takes up to 4 bytes a character, and its UTF-8
# copy for libxml2 as much again), only its tree.
_CHUNK = 2**20

# Above this many start tags a page is refused before it is parsed. Extracting costs
# about 1 KB of memory an element at its peak (measured: 750-1,300 bytes for pages of
# a million <p>, <b>, <a> or <br>: libxml2's nodes and text, readability's scores, the
# Document), so 2 million elements is about 2 GB for one worker. Saved articles have
# thousands, a 100 MB one under a million; a page over the limit is a data dump or a trap.
MAX_ELEMENTS = 2_000_000
_MEMORY_BUDGET = "about 2 GB"


_WRAPPER_TAGS = re.compile(
    r"<(/?)(?:div|section|center|article|main|aside|header|footer|blockquote|table|tbody|"
    r"thead|tr|td|th|ul|ol|dl|dd|dt|li|form|fieldset|nav|figure)\b[^>]*>",
    re.I,
)
_INLINE_TAGS = re.compile(
    r"</?(?:span|font|b|i|em|strong|a|u|small|big|sub|sup|s|strike|abbr|label|nobr)\b[^>]*>",
    re.I,
)


def parse_page_html(raw: RawPage) -> HtmlElement:
    """The saved page's HTML as an lxml tree: `parse_html(decode_html(raw))`, decoded
    and parsed a chunk at a time (see `_CHUNK`), after a check that the page has no
    more elements than reader can extract (`MAX_ELEMENTS`)."""
    check_elements(raw.html)
    codec, errors = html_codec(raw)
    decoder = codecs.getincrementaldecoder(codec)(errors)
    data = raw.html
    pieces = (data[start : start + _CHUNK] for start in range(0, len(data), _CHUNK))
    texts = itertools.chain(
        (decoder.decode(piece) for piece in pieces), (decoder.decode(b"", final=True),)
    )
    tree = _parse_clean(_clean_chunks(texts))
    if tree is None:  # nested past libxml2's limit: the flattened parses need it whole
        return _parse_flattened(_clean(decode_html(raw)))
    return tree


def check_elements(html: bytes) -> None:
    """Refuse a page with more start tags than `MAX_ELEMENTS`, before parsing it.

    Counted in the bytes (`<` less `</`, `<!`, `<?`): an upper bound on the elements
    libxml2 would make (a `<` in a script counts too). The `<`s alone, one fast pass,
    settle it for any page with fewer.
    """
    tags = html.count(b"<")
    if tags <= MAX_ELEMENTS:
        return
    tags -= html.count(b"</") + html.count(b"<!") + html.count(b"<?")
    if tags > MAX_ELEMENTS:
        raise IngestError(
            f"the page has {tags / 1e6:.1f} million elements, more than reader can extract"
            f" within {_MEMORY_BUDGET} of memory (at most {MAX_ELEMENTS / 1e6:g} million)"
        )


def parse_html(text: str) -> HtmlElement:
    """The page as an lxml tree; IngestError when there is no markup at all.

    libxml2 stops at 256 levels of nesting and drops everything below, so a page
    nested deeper (unclosed wrappers, hostile markup) is parsed again with its
    wrapper elements flattened into paragraphs: the text survives, the nesting not.
    Nested that deep in anything else (<q>, <code>, a custom element), the body is
    read as text with its paragraph breaks, and only the <head> keeps its markup.
    """
    text = _clean(text)
    tree = _parse_clean(_slices(text))
    return tree if tree is not None else _parse_flattened(text)


def _clean(text: str) -> str:
    # Control characters go before parsing: lxml keeps them in text but refuses them
    # when text is set again, which readability's own tree edits do.
    return strip_controls(_XML_DECLARATION.sub("", text, count=1))


def _clean_chunks(texts: Iterable[str]) -> Iterator[str]:
    """`_clean` over a text given in pieces: the XML declaration is looked for at the
    start of the first, and a CR ending a piece waits for the next (CRLF is one line
    end, and `strip_controls` must see both halves)."""
    first, carry = True, ""
    for text in texts:
        text = carry + text
        if first and text.strip():
            text, first = _XML_DECLARATION.sub("", text, count=1), False
        carry = "\r" if text.endswith("\r") else ""
        if carry:
            text = text[:-1]
        if text:
            yield strip_controls(text)
    if carry:
        yield strip_controls(carry)


def _slices(text: str) -> Iterator[str]:
    for start in range(0, len(text), _CHUNK):
        yield text[start : start + _CHUNK]


def _parse_flattened(text: str) -> HtmlElement:
    """A page nested too deeply for libxml2, parsed flattened (see `parse_html`)."""
    tree = _parse_clean(_slices(_INLINE_TAGS.sub("", _WRAPPER_TAGS.sub("\n<p>", text))))
    if tree is None:
        tree = _parse_clean(_slices(_text_only(text)))
        if tree is None:  # pragma: no cover - a page of text has no depth
            raise IngestError("page nested too deeply to read (more than 255 levels)")
    return tree


_HEAD = re.compile(r"<head\b.*?</head\s*>", re.I | re.S)
_INVISIBLE = re.compile(
    r"<(script|style|template|noscript|title)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S
)
_BREAKS = re.compile(
    r"<(?:p|div|br|li|h[1-6]|tr|blockquote|section|article|pre|dt|dd|hr)\b[^>]*>", re.I
)
_ANY_TAG = re.compile(r"</?[a-zA-Z!?][^>]*>")


def _text_only(text: str) -> str:
    """The page reduced to its <head> and its body's text in paragraphs: the last way
    to read a page nested too deeply for the parser."""
    head = _HEAD.search(text)
    body = text[head.end() :] if head else text
    body = _INVISIBLE.sub(" ", body)
    body = _ANY_TAG.sub(" ", _BREAKS.sub("\x00", body)).replace("\x00", "\n<p>")
    return f"<html>{head.group(0) if head else ''}<body>{body}</body></html>"


def _parse_clean(texts: Iterable[str]) -> HtmlElement | None:
    """Cleaned text, in pieces, as an lxml tree; None when it is nested past libxml2's
    limit (which drops what lies below). IngestError when there is no markup at all."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    empty = True
    try:
        for text in texts:
            if empty and text and not text.isspace():
                empty = False
            parser.feed(text.encode("utf-8", "replace"))
        if empty:
            raise IngestError("no article text found")
        root: HtmlElement = parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"not parseable as HTML ({clean_line(str(error))[:80]})") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.feed_error_log):
        return None
    return root
