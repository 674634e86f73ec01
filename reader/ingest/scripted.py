"""Pages that show their text only once their scripts run, read as saved.

A page saved without running its scripts (a crawler's copy, `curl`, some archivers)
may hold its text where a browser with scripts would never show it: in `<noscript>`
(Discourse and Flarum serve a thread there to readers without JavaScript) or in
containers hidden until a script reveals them (`display:none` product details, a
lazily shown main column). Each rule here applies only when the visible page has
little text beside what is so hidden, so a page a browser rendered reads as shown.
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.xpath import ElementQuery

_NOSCRIPT = ElementQuery("descendant::noscript")
_INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title"})
# noscript text must be this many times what the rest of the page shows, and this long.
_NOSCRIPT_RATIO = 2.0
_NOSCRIPT_MIN = 200


def reveal_noscript(root: HtmlElement) -> bool:
    """Turn `<noscript>` blocks into plain `<div>`s when they hold the page's text.

    Only when their text is at least twice the rest of the page's visible text: a
    page whose noscript is a tracking pixel or a "please enable JavaScript" line
    keeps it hidden. Returns whether any was revealed.
    """
    body = root.find("body")
    if body is None:
        return False
    blocks = [n for n in _NOSCRIPT(body) if not any(a.tag == "noscript" for a in n.iterancestors())]
    if not blocks:
        return False
    contents = [_contents(n) for n in blocks]
    inside = sum(_visible_length(n, top=True) for n in contents)
    outside = _visible_length(body)
    if inside < _NOSCRIPT_MIN or inside < _NOSCRIPT_RATIO * outside:
        return False
    for block, content in zip(blocks, contents, strict=True):
        if content is not block:
            content.tail = block.tail
            block.getparent().replace(block, content)
        content.tag = "div"
    return True


def _contents(noscript: HtmlElement) -> HtmlElement:
    """The noscript, or when its markup was kept as text, a new element holding that
    markup parsed. (A parser with scripting on keeps a noscript's content as text,
    "<div><img ...>" and all: measured as text, a tracking pixel's long URL counted as
    the page's words, and was revealed as such.)"""
    text = noscript.text or ""
    if len(noscript) or "<" not in text:
        return noscript
    try:
        parsed = lxml.html.fragment_fromstring(text, create_parent="noscript")
    except (etree.ParserError, ValueError):
        return noscript
    content: HtmlElement = parsed
    return content


def _visible_length(el: HtmlElement, top: bool = False) -> int:
    """Characters of text under `el` outside scripts, styles and noscripts (`el` itself
    counts even when it is one, with `top`)."""
    total = 0
    walker = etree.iterwalk(el, events=("start",))
    for _event, node in walker:
        if node is not el:
            total += len((node.tail or "").strip())
        if not isinstance(node.tag, str):
            continue
        if node.tag in _INVISIBLE and not (top and node is el):
            walker.skip_subtree()
            continue
        total += len((node.text or "").strip())
    return total
