"""readability-lxml, adapted: its choice of the article element, over our parsed tree.

readability-lxml 0.9 is the core of extraction (`extract`): it scores the page's
paragraphs and picks the container that holds them. `_Readability` runs it over a tree
we parsed (no second parse, no link rewriting, no copies) and keeps the element it
picked; the private API it overrides is pinned by tests/ingest/test_readability_contract.py.
"""

from __future__ import annotations

import copy
import logging
import math
import re
from collections.abc import Callable
from typing import Any

from lxml.html import HtmlElement
from readability import Document as Readability
from readability import cleaners as readability_cleaners
from readability import debug as readability_debug
from readability.readability import REGEXES as READABILITY_REGEXES

from reader.ingest.xpath import ElementQuery

# readability-lxml logs a traceback for every page it gives up on; we fall back and say
# why ourselves. A NullHandler keeps Python's last-resort handler from printing them to
# stderr, while an application that configures logging still receives them.
logging.getLogger("readability.readability").addHandler(logging.NullHandler())

# readability's own cleaner minus its javascript pass: that pass rewrites every link
# of the page (a third of readability's time), and only ever blanks link targets,
# which convert's allow-list of web schemes drops anyway; the text is the same.
_CLEANER = copy.copy(readability_cleaners.html_cleaner)
_CLEANER.javascript = False
_DISPLAY_NONE = READABILITY_REGEXES["displayNoneRe"]
_LISTS = frozenset({"ul", "ol"})
# Mozilla's Readability counts a link to a place in the page (`#section`) at 0.3 of
# its length in link density; readability-lxml counts it whole, so a heading that
# links to itself (a documentation or blog page's anchor, `<h2><a href="#goals">`) was
# dropped as a link, and a table of contents weighed as a menu.
_HASH_URL = re.compile(r"#.")
_HASH_LINK = 0.3
# What `_add_between_taken` never adds, and how much of a sibling's text may be links.
_NOT_BETWEEN = frozenset({"nav", "aside", "form", "footer"})
_BETWEEN_LINKS = 0.25
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A box with this much text or less may be a heading on its own (`_is_heading_box`).
_HEADING_BOX = 200


# What readability's text_length measures: len(clean(text)), where clean turns a run of
# 255+ whitespace characters into one space (via 255 spaces), a run holding a newline
# into "\n", a tab or spaces-and-tabs into a space, and strips the ends. Its three
# regex passes over the whole text (the first quadratic in indentation) were a third
# of readability's time; a single-character run keeps its length, so only the longer
# runs need a look, and the count is the same.
_RUN = re.compile(r"\s{2,}")
_TAB_SPACE = re.compile(r"\t|[ \t]{2,}")


def readability_length(text: str) -> int:
    """`len(readability.readability.clean(text))`, computed faster."""
    text = text.strip()
    length = len(text)
    for run in _RUN.findall(text):
        if len(run) >= 255 or "\n" in run:
            length -= len(run) - 1
        else:
            length -= len(run) - len(_TAB_SPACE.sub(" ", run))
    return length


def readability_text_length(elem: HtmlElement) -> int:
    """`readability.readability.text_length(elem)`, computed faster."""
    return readability_length(elem.text_content() or "")


# readability's score of each candidate element: {'content_score': float, 'elem': element}.
Scores = dict[HtmlElement, dict[str, Any]]


class _Readability(Readability):  # type: ignore[misc]  # readability has no types
    """readability-lxml over our parsed tree, without its link rewriting or copies.

    readability mutates the tree it reads, so it is handed the caller's own tree and
    reads it once; the rare second pass (its "ruthless" pass found too little) reads
    a fresh one from `fresh`. Its `<base href>` handling would resolve links against
    a base we may not trust (we make links absolute ourselves, in convert), so it
    goes, and readability's pre-cleaning runs in place on that tree.
    """

    html: HtmlElement | None  # readability's attribute: the tree it reads
    retry_length: int  # readability's: a sanitized article shorter than this is retried

    def __init__(self, tree: HtmlElement, fresh: Callable[[], HtmlElement]) -> None:
        super().__init__("")
        self._tree: HtmlElement | None = tree
        self._fresh = fresh
        self._lengths: dict[HtmlElement, int] | None = None
        self.article: HtmlElement | None = None
        self._picked: dict[str, Any] = {}

    def _html(self, force: bool = False) -> HtmlElement:
        if force or self.html is None:
            tree, self._tree = self._tree, None
            self.html = self._prepare(tree if tree is not None else self._fresh())
        return self.html

    def _prepare(self, tree: HtmlElement) -> HtmlElement:
        """What readability's `_parse` does to a tree, in place and without links."""
        self.encoding = "utf-8"
        for base in list(tree.iter("base")):
            base.drop_tree()
        for elem in tree.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in tree.xpath("//*[@style]"):
            if _DISPLAY_NONE.search(elem.get("style")):
                elem.drop_tree()
        _drop_dialogs(tree)
        _CLEANER(tree)
        return tree

    def score_paragraphs(self) -> Scores:
        # Scoring reads the tree without changing it, and asks for the link density
        # of nested candidates again and again (every link once per ancestor): each
        # element's text length is measured once here.
        self._lengths = {}
        try:
            scores: Scores = super().score_paragraphs()
            return scores
        finally:
            self._lengths = None

    def get_link_density(self, elem: HtmlElement) -> float:
        """readability's link density, its text lengths measured faster (and once
        each while scoring), a link within the page weighing as in Mozilla's
        Readability (`_HASH_LINK`)."""
        length = self._text_length
        link_length = sum(
            length(a) * (_HASH_LINK if _HASH_URL.match(a.get("href") or "") else 1.0)
            for a in elem.iterdescendants("a")
        )
        return float(link_length) / max(length(elem), 1)

    def _text_length(self, elem: HtmlElement) -> int:
        lengths = self._lengths
        if lengths is None:
            return readability_text_length(elem)
        length = lengths.get(elem)
        if length is None:
            length = lengths[elem] = readability_text_length(elem)
        return length

    def sanitize(self, node: HtmlElement, candidates: Scores, keep_all_images: bool = False) -> str:
        # readability drops every heading whose class or id has a "negative" word in
        # it, as a substring: a documentation page's `scroll-margin-top` or `meta-
        # heading` styling cost it all its section headings. A heading's names are
        # hidden from that test (and given back after); headings that are mostly
        # links still go, and our cleanup reads the names for related boxes and the
        # like.
        hidden = []
        for header in self.tags(node, "h1", "h2", "h3", "h4", "h5", "h6"):
            if self.get_link_density(header) <= 0.33:
                names = {k: header.attrib.pop(k) for k in ("class", "id") if k in header.attrib}
                if names:
                    hidden.append((header, names))
        # readability drops a list whose content score plus class weight is below
        # zero; a `<ul>` starts at -3, so a list of one or two items without commas
        # went from the middle of the text. Mozilla's Readability weighs the class
        # alone there: a list is dropped for its name (or its links, its length,
        # like any box), not for being a list.
        candidates = {el: score for el, score in candidates.items() if el.tag not in _LISTS}
        try:
            result: str = super().sanitize(node, candidates, keep_all_images)
        finally:
            for header, names in hidden:
                header.attrib.update(names)
        self.article = node
        return result

    def get_article(
        self, candidates: Scores, best_candidate: dict[str, Any], html_partial: bool = False
    ) -> HtmlElement:
        # Two of Mozilla Readability's steps that readability-lxml leaves out. Its
        # pick moves up to the outermost box it is the only content of, whose
        # siblings are joined (`_outermost_only_child`); and a sibling with the same
        # class (a manual page's run of `refsect1` sections, Synopsis and Description
        # before the long Parameters) is weighed with a fifth of the best one's score
        # added, so that a section shorter than a fifth of it is still part of the
        # article. The segments merged from elsewhere are found by the pick's class.
        self._picked = best_candidate
        best = _outermost_only_child(best_candidate["elem"], self.class_weight)
        best_candidate = {**best_candidate, "elem": best}
        name = best.get("class")
        parent = best.getparent()
        bonus = best_candidate["content_score"] * 0.2
        siblings = list(parent) if parent is not None else []
        changed: dict[HtmlElement, float] = {}  # each sibling's score as it was
        copy_of_best = _copies(best, siblings)
        for sibling in siblings:
            if sibling is best or sibling not in candidates:
                continue
            if sibling in copy_of_best:
                # The page's text again (a layout for another screen size, hidden
                # by a stylesheet): never joined.
                changed[sibling] = candidates[sibling]["content_score"]
                candidates[sibling]["content_score"] = -math.inf
            elif name and sibling.get("class") == name:
                changed[sibling] = candidates[sibling]["content_score"]
                candidates[sibling]["content_score"] += bonus
        try:
            article: HtmlElement = super().get_article(candidates, best_candidate, html_partial)
        finally:
            for sibling, score in changed.items():
                candidates[sibling]["content_score"] = score
        self._add_section_headings(siblings, parent)
        self._add_between_taken(siblings, parent)
        return article

    def _add_between_taken(self, siblings: list[HtmlElement], parent: HtmlElement | None) -> None:
        """A sibling between two taken ones is part of the text they are parts of
        (a list of statistics, a table, a short note between two sections), unless it
        is navigation, a form, an aside, named as boilerplate or mostly links.

        readability takes a sibling for its own score, which a box of list items or
        a sentence under 80 characters does not earn, and the article lost its
        middle. (A taken sibling has moved out of `parent`, into the article.)
        """
        with_text = [s for s in siblings if isinstance(s.tag, str) and readability_text_length(s)]
        for before, sibling, after in zip(with_text, with_text[1:], with_text[2:], strict=False):
            if (
                sibling.getparent() is parent
                and before.getparent() is not parent
                and after.getparent() is not parent
                and sibling.tag not in _NOT_BETWEEN
                and self.class_weight(sibling) >= 0
                and self.get_link_density(sibling) <= _BETWEEN_LINKS
            ):
                after.addprevious(sibling)

    def merge_article_segments(
        self, candidates: Scores, best_candidate: dict[str, Any], score_threshold: float
    ) -> None:
        # The segments of the article elsewhere on the page are found by the class of
        # readability's own pick, not of the box it was moved up to.
        super().merge_article_segments(candidates, self._picked, score_threshold)

    def _add_section_headings(
        self, siblings: list[HtmlElement], parent: HtmlElement | None
    ) -> None:
        """A sibling that is only a heading goes with the section it heads.

        readability takes a sibling for its score, and a box holding nothing but a
        heading has none: a page that wraps each heading apart from its section
        (`<section><h3>2. Enable sleep</h3></section><section><p>...`) lost every
        heading between the sections it kept. A heading box is taken when the next
        sibling with text was taken (it moved out of `parent`, into the article).
        """
        following: HtmlElement | None = None  # the next sibling with text, when taken
        for sibling in reversed(siblings):
            if sibling.getparent() is not parent:
                following = sibling
            elif following is not None and self._is_heading_box(sibling):
                following.addprevious(sibling)
                following = sibling
            elif readability_text_length(sibling):
                following = None

    def _is_heading_box(self, elem: HtmlElement) -> bool:
        """A heading, or a box whose text is (almost all) a heading's: not too long,
        not a link, not named as boilerplate."""
        if not isinstance(elem.tag, str) or self.class_weight(elem) < 0:
            return False
        length = readability_text_length(elem)
        if not 0 < length <= _HEADING_BOX:
            return False
        inside = sum(readability_text_length(h) for h in elem.iter(*_HEADINGS))
        return inside >= 0.9 * length and self.get_link_density(elem) <= 0.33

    def get_preserved_elements(self, node: HtmlElement) -> dict[HtmlElement, bool]:
        # Mozilla Readability spares a box whose text is mostly a heading's from its
        # "too short" rule (`headingDensity`); readability-lxml dropped a heading
        # wrapped in a `<div>` or `<section>` of its own for being under 25 characters.
        allowed: dict[HtmlElement, bool] = super().get_preserved_elements(node)
        for elem in self.tags(node, "div", "section"):
            if elem not in allowed and self._is_heading_box(elem):
                allowed[elem] = True
        return allowed

    def get_clean_html(self) -> str:
        """What `summary` measures the sanitized article by, against `retry_length`: a
        second pass starts when it is shorter. readability serialises the article and
        cleans its attributes with a regex for this (100 MB of HTML on a big page, and
        a copy); serialised HTML is at least as long as its text, so an article with
        that much text gets a stand-in of that length, and only a shorter one is
        serialised. (`summary` returns it; `_readability_article` reads the node.)"""
        if self.html is not None and _text_reaches(self.html, self.retry_length):
            return " " * self.retry_length
        result: str = super().get_clean_html()
        return result


def _copies(elem: HtmlElement, siblings: list[HtmlElement]) -> set[HtmlElement]:
    """The siblings whose text is `elem`'s (compared only when as long)."""
    length = text_length(elem)
    found = set()
    text: str | None = None
    for sibling in siblings:
        if sibling is not elem and text_length(sibling) == length:
            text = elem.text_content() if text is None else text
            if sibling.text_content() == text:
                found.add(sibling)
    return found


def _outermost_only_child(elem: HtmlElement, weight: Callable[[HtmlElement], float]) -> HtmlElement:
    """`elem`, or the outermost ancestor of which it is the only content (below
    `<body>`): Mozilla's Readability moves its pick up so, "to help sibling joining
    when adjacent content is in the parent's sibling". readability-lxml joins the
    pick's own siblings, and a page that wraps each section's text in a box of its
    own (`<section class="content"><div class="content__body">`) kept one section.
    Not into a box named as boilerplate (a `widget`): sanitize would drop it whole."""
    parent = elem.getparent()
    while (
        parent is not None
        and parent.tag not in ("body", "html")
        and sum(1 for child in parent if isinstance(child.tag, str)) == 1
        and weight(parent) >= 0
    ):
        elem, parent = parent, parent.getparent()
    return elem


# A page's modal dialogs (`<dialog>`, `aria-modal=true`; a role=dialog "sheet" may hold
# a product's description): its cookie and privacy notices, sign-in pop-ups. A
# consent manager's dialog is often the page's longest run of prose, and readability
# picked it over a list of recipes. Each goes unless it holds `_DIALOG_SHARE` of the
# page's text (a page shown whole in a dialog).
_DIALOGS = ElementQuery("//dialog | //*[@aria-modal or @role='dialog' or @role='alertdialog']")
_DIALOG_SHARE = 0.5


def _is_modal(elem: HtmlElement) -> bool:
    modal: str | None = elem.get("aria-modal")
    if modal is not None:
        return modal.strip().lower() == "true"
    return True  # a <dialog>, or a dialog role that does not say it is no modal


def _drop_dialogs(tree: HtmlElement) -> None:
    dialogs = [elem for elem in _DIALOGS(tree) if _is_modal(elem)]
    if not dialogs:
        return
    total = text_length(tree)
    for dialog in dialogs:
        if dialog.getparent() is not None and text_length(dialog) < _DIALOG_SHARE * total:
            dialog.drop_tree()


def readability_article(tree: HtmlElement, fresh: Callable[[], HtmlElement]) -> HtmlElement | None:
    """readability-lxml's article element (cleaned by its sanitize).

    `tree` is read and changed in place (readability edits what it reads); `fresh`
    gives another copy of the page should readability want a second pass.
    """
    reader = _Readability(tree, fresh)
    try:
        reader.summary(html_partial=True)
    finally:
        _forget_described_nodes()
    return reader.article


def _forget_described_nodes() -> None:
    """Let go of the tree readability's debug helper keeps.

    readability formats its debug messages whether or not they are logged, and
    `readability.debug.describe` caches the last tree it described in module globals
    ("can leak memory", it says): the page's whole tree stayed alive after extraction,
    through the archive's write (400 MB for a 100 MB page).
    """
    readability_debug.uids = {}
    readability_debug.uids_document = None


def _text_reaches(elem: HtmlElement, length: int) -> bool:
    """Whether `elem`'s text is at least `length` characters, reading no more of it."""
    seen = 0
    for text in elem.itertext():
        seen += len(text)
        if seen >= length:
            return True
    return False


def text_length(elem: HtmlElement) -> int:
    """`len(elem.text_content())`, without making that string (100 MB on a big page)."""
    return sum(map(len, elem.itertext()))
