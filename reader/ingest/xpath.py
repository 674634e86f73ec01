"""Compiled XPath queries typed by what they select.

lxml's stubs give every XPath result one wide type (a boolean, a number, a string,
or a list of elements, strings and tuples); a query written to select elements, or
text nodes, says which here, once.
"""

from __future__ import annotations

from typing import cast

from lxml import etree
from lxml.html import HtmlElement


class ElementQuery:
    """An XPath that selects elements (`descendant::*[...]`), in document order."""

    def __init__(self, path: str) -> None:
        self._xpath = etree.XPath(path)

    def __call__(self, node: HtmlElement) -> list[HtmlElement]:
        return cast(list[HtmlElement], self._xpath(node))


class TextQuery:
    """An XPath that selects text nodes (`//text()[...]`), in document order."""

    def __init__(self, path: str) -> None:
        self._xpath = etree.XPath(path)

    def __call__(self, node: HtmlElement) -> list[str]:
        return cast(list[str], self._xpath(node))
