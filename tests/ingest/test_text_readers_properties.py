"""Hypothesis over the plain-text and Markdown readers: whatever the text, an article or a
one-line IngestError; safe text; and every word of the output comes from the input.

"Word" is a `\\w+` token. Reading joins some of the input's words: stripping controls
and soft hyphens, mending a word hyphenated across a wrap ("gov-" "ernment"), dropping
tags (`<b>un</b>done`) and Markdown's markup (`a*b*c`, `[a](x)[b](y)`) all put two
words together. So a word of the output must be made of words of the input, one after
another (character references decoded: `&#65;` is "A"); a word none of the input's
words make up (a heading "Footnotes", a list's number) is invented. A byline's names
are joined "A, B and C", so "and" may be one of its words. Checked over the text, the
title, the byline and the excerpt.
"""

from __future__ import annotations

import html
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.ingest.markdown import parse_markdown
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.plaintext import normalize_text, read_text_article
from reader.textrules import strip_controls

from ..reliability.helpers import page_problems
from .text_articles import NEWS_TXT, OBSIDIAN_MD

# The pieces text and Markdown articles are made of, and the ones that trip readers.
PIECES = (
    "\n",
    "\n\n",
    "  \n",
    "# ",
    "## ",
    "- ",
    "  - ",
    "1. ",
    "> ",
    "> > ",
    "==",
    "**",
    "*",
    "_",
    "`",
    "```py\n",
    "---\n",
    "* * *\n",
    "[a link](https://e.x/p)",
    "[js](javascript:alert(1))",
    '![alt](pic.png "Title")',
    "![[embed.png]]",
    "<u>",
    "</u>",
    "<b>",
    "<i>x</b>",
    '<a href="javascript:x">',
    '<a href="/rel">',
    "</a>",
    "<script>",
    "</script>",
    "<br>",
    "<div>",
    "<!-- c",
    "&amp;",
    "&#27;",
    "&#65;",
    "&lt;b&gt;",
    "January 10, 2022",
    "Updated: 10.01.2022",
    "By Jane Doe",
    "Original url:",
    "Source: ",
    "https://e.x/a b-1",
    "Related article: more",
    "Advertisement",
    "Piet Klaver / Lantern Wire",
    "well-\nknown",
    "gov-\nernment",
    "\u00ad",
    "\x1b[31m",
    "\x07",
    "\u202e",
    "\u2028",
    "\r\n",
    "\t",
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n",
    "[^1]",
    "[^1]: a note\n",
    "---\ntitle: T x\nauthor: '[[Ann Lee]]'\ntags: [a, b]\n---\n",
)
WORDS = st.text(alphabet="abcdeXYZ019 .,-'", max_size=20)
ARTICLES = st.lists(st.sampled_from(PIECES) | WORDS | st.text(max_size=8), max_size=40).map("".join)
_WORD = re.compile(r"\w+")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|\w+);")


def input_words(source: str) -> set[str]:
    """The words of `source`, read every way the readers may read it."""
    words: set[str] = set()
    kept = strip_controls(source)
    for soft in (kept, kept.replace("\u00ad", ""), kept.replace("_", " _ ")):
        decoded = _REFERENCE.sub(lambda found: f" {html.unescape(found.group(0))} ", soft)
        for variant in (soft, html.unescape(soft), decoded):
            words.update(_WORD.findall(variant))
    return words


def _reachable(word: str, words: set[str]) -> list[bool]:
    """For each position in `word`, whether `words` one after another reach it."""
    reachable = [True] + [False] * len(word)
    for start in range(len(word)):
        if reachable[start]:
            for end in range(start + 1, len(word) + 1):
                if not reachable[end] and word[start:end] in words:
                    reachable[end] = True
    return reachable


def made_of(word: str, words: set[str]) -> bool:
    """Whether `word` is one or more of `words`, one after another."""
    return _reachable(word, words)[-1]


def begins_as(word: str, words: set[str]) -> bool:
    """Whether `word` is one or more of `words`, one after another, the last perhaps
    cut short: a title or excerpt cut inside a word that long says so with "…"."""
    reachable = _reachable(word, words)
    return any(
        reachable[start] and any(known.startswith(word[start:]) for known in words)
        for start in range(len(word) + 1)
    )


def check(page: ExtractedPage, source: str) -> None:
    assert page_problems(page) == []
    words = input_words(source)
    for name in ("text", "title", "byline", "excerpt"):
        value = getattr(page, name) or ""
        known = words | {"and"} if name == "byline" else words
        found = _WORD.findall(value)
        cut = found.pop() if value.endswith("…") and found else None
        invented = [word for word in found if not made_of(word, known)]
        if cut is not None and not begins_as(cut, known):
            invented.append(cut)
        assert not invented, (name, invented)
    text = page.text
    for start, end in page.highlights:
        assert 0 <= start < end <= len(text)
    for span in page.document.spans():
        block = page.document.blocks[span.index]
        for mark in block.marks:
            assert 0 <= mark.start < mark.end <= len(block.text)


def read_text(source: str) -> ExtractedPage | None:
    data = source.encode("utf-8", "surrogatepass")
    try:
        return read_text_article(RawPage(data=data, html=data, filename="a.txt", kind="text"))
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        return None


def read_markdown(source: str) -> ExtractedPage | None:
    try:
        return parse_markdown(normalize_text(source))
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        return None


@settings(max_examples=300)
@given(ARTICLES)
@example(NEWS_TXT)
@example(OBSIDIAN_MD)
@example("gov-\nernment\n\ngovernment")
@example("&#27;[2J &#x202e;x")
def test_text_reader(source: str) -> None:
    source = source.encode("utf-8", "replace").decode("utf-8")  # what a file can hold
    page = read_text(source)
    if page is not None:
        check(page, source)


@settings(max_examples=300)
@given(ARTICLES)
@example(NEWS_TXT)
@example(OBSIDIAN_MD)
@example("T\n\n" + "> " * 200 + "deep")
@example("T\n\n" + "[" * 500 + "x" + "]" * 500)
@example("---\n" + "a: &a [*a, *a]\n" * 50 + "---\n\nBody")
@example("x" * 200)  # a first line of one word: its title is cut inside it
def test_markdown_reader(source: str) -> None:
    source = source.encode("utf-8", "replace").decode("utf-8")
    page = read_markdown(source)
    if page is not None:
        check(page, source)


def test_the_check_catches_an_invented_word() -> None:
    from reader.document import Block, Document

    page = ExtractedPage(Document((Block("paragraph", "Footnotes for a note"),)), title="a")
    try:
        check(page, "a note\n\n[^1]: for\n")
    except AssertionError as error:
        assert "Footnotes" in str(error)
    else:
        raise AssertionError("an invented word passed")
    check(page, "Foot-\nnotes for a note")  # made of the input's words: passes
