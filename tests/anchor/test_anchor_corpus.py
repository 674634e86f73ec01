"""reader.anchor on real prose: Mozilla Readability's test pages (skipped without them).

Random word-aligned highlights in each article's text are moved by the edits a
re-extraction makes (a paragraph more at the top, reflowed whitespace, a word changed
inside the quote, the quote cut) and must be found again, or not at all. Real prose
repeats itself (pull quotes, navigation text), which the synthetic tests do not.
"""

from __future__ import annotations

import functools
import random
import re
from pathlib import Path

import lxml.html
import pytest

from reader.anchor import _distance, locate, make_selector

PAGES = 12  # articles tried, the same ones every run
HIGHLIGHTS = 4  # highlights per article


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def article_texts(corpus: Path) -> list[str]:
    texts = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "expected.html").is_file()):
        text = lxml.html.fromstring((folder / "expected.html").read_bytes()).text_content()
        if len(text.split()) >= 300:
            texts.append(text)
    return texts[:PAGES]


def word_ranges(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """`count` ranges of 10-30 whole words."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    ranges = []
    for _ in range(count):
        first = rng.randrange(0, len(words) - 30)
        last = first + rng.randrange(9, 30)
        ranges.append((words[first][0], words[last][1]))
    return ranges


@pytest.fixture
def texts(corpus_dir: Path) -> list[str]:
    found = article_texts(corpus_dir)
    if not found:
        pytest.skip("no corpus article with 300 words")
    return found


def cases(texts: list[str]):
    rng = random.Random(20240601)
    for text in texts:
        for start, end in word_ranges(text, rng, HIGHLIGHTS):
            yield rng, text, start, end


def test_a_paragraph_added_at_the_top(texts: list[str]) -> None:
    lead = "An editor's note added after the page was saved.\n\n"
    for _, text, start, end in cases(texts):
        selector = make_selector(text, start, end)
        found = locate(lead + text, selector, hint=start)
        assert found is not None
        assert (lead + text)[found[0] : found[1]] == selector.exact
        if text.count(selector.exact) == 1:
            assert found == (start + len(lead), end + len(lead))


def test_reflowed_whitespace(texts: list[str]) -> None:
    for rng, text, start, end in cases(texts):
        selector = make_selector(text, start, end)
        pieces = re.split(r"\s+", text)
        spaces = rng.choices([" ", "  ", "\n", "\xa0", " \n "], k=len(pieces))
        changed = "".join(piece + space for piece, space in zip(pieces, spaces, strict=True))
        found = locate(changed, selector, hint=start)
        assert found is not None
        assert squash(changed[found[0] : found[1]]) == squash(selector.exact)


def test_a_word_changed_inside(texts: list[str]) -> None:
    for rng, text, start, end in cases(texts):
        selector = make_selector(text, start, end)
        words = list(re.finditer(r"\S+", text[start:end]))
        target = words[rng.randrange(1, len(words) - 1)]
        a, b = start + target.start(), start + target.end()
        changed = text[:a] + "REPLACED" + text[b:]
        new_end = end + len("REPLACED") - (b - a)
        found = locate(changed, selector, hint=start)
        quote = changed[start:new_end]
        if _distance(selector.exact, quote) > len(quote) // 5:
            continue  # a long word in a short quote: too much changed to promise anything
        assert found is not None
        assert found[0] < new_end and found[1] > start
        assert _distance(quote, changed[found[0] : found[1]]) <= len(quote) // 5


def test_a_cut_quote_is_orphaned_unless_the_text_repeats_it(texts: list[str]) -> None:
    for _, text, start, end in cases(texts):
        selector = make_selector(text, start, end)
        changed = text[: max(0, start - 50)] + text[end + 50 :]
        found = locate(changed, selector, hint=start)
        if found is not None:  # a pull quote, a repeated line: a fair place for it
            placed = changed[found[0] : found[1]]
            assert _distance(selector.exact, placed) <= max(len(placed), len(selector.exact)) // 5
