"""A snippet of an article's text around the words of a query, made in Python where
FTS5's snippet() costs most: a query of very common words only (`the`, `of and`), where
it scores every window around every match (~200 of `the` an article: 0.4 ms each, 20 ms
a page) and any window with the words says as much as the best one; and a prefix longer
than the prefix indexes (`quat*`), which each snippet() statement expands over the
whole index (8-46 ms for 4 letters at 250,000 articles)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import islice

from reader.models import MATCH_END, MATCH_START

# A token as articles_fts's tokenizer (unicode61) sees one: letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_DIACRITICS = re.compile("[\u0300-\u036f]")  # combining marks, as NFD leaves them
_OTHER_LETTER = re.compile(r"[^\W_a-zA-Z0-9]")  # a letter or digit outside ASCII
_LEAD = 4  # tokens shown before the first match
_LOOK_BACK = 200  # characters searched for them


def plain_words(words: list[str]) -> frozenset[str] | None:
    """`words` lowercased, or None if one is not a plain ASCII word (the tokenizer
    folds diacritics and splits on punctuation: such words are left to FTS5)."""
    folded = frozenset(w.lower() for w in words)
    if not folded or not all(_PLAIN_WORD.fullmatch(w) for w in folded):
        return None
    return folded


@lru_cache(maxsize=32)
def _pattern(words: frozenset[str], prefixes: frozenset[str]) -> re.Pattern[str]:
    """A token that is one of `words` or begins with one of `prefixes`."""
    alternatives = []
    if words:
        alternatives.append(rf"(?:{'|'.join(sorted(map(re.escape, words)))})(?![^\W_])")
    if prefixes:
        alternatives.append("|".join(sorted(map(re.escape, prefixes))))
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})", re.IGNORECASE)


def snippet(
    text: str,
    words: frozenset[str],
    tokens: int,
    ellipsis: str,
    prefixes: frozenset[str] = frozenset(),
) -> str | None:
    """`tokens` tokens of `text` from a few before its first match of `words` (a token
    that is one of them) or `prefixes` (a token that begins with one), the matches
    marked as FTS5's snippet() marks them (MATCH_START/MATCH_END), an ellipsis where
    text is left out before or after; None if nothing matches."""
    first = _pattern(words, prefixes).search(text)
    if first is None:
        return None
    back = max(0, first.start() - _LOOK_BACK)
    before = list(_TOKEN.finditer(text, back, first.start()))
    if back and before:
        before.pop(0)  # maybe cut by the look-back's start
    lead = min(_LEAD, len(before), (tokens - 1) // 2)  # the match stays in the window
    start = before[-lead].start() if lead else first.start()
    after = sum(1 for _ in islice(_TOKEN.finditer(text, start), tokens))
    if after < tokens:
        # A window that would run past the end starts earlier, as FTS5's does: a short
        # text is shown whole.
        earlier = list(_TOKEN.finditer(text, 0, start))
        if earlier[after - tokens :]:
            start = earlier[after - tokens :][0].start()
    starts = tuple(prefixes)

    def marked(token: str) -> bool:
        folded = token.lower()
        return folded in words or folded.startswith(starts)

    return _window(text, start, tokens, ellipsis, marked)


def unmatched(text: str, words: frozenset[str], prefixes: frozenset[str] = frozenset()) -> bool:
    """Whether no token of `text` is one of `words` or begins with one of `prefixes`,
    as the tokenizer sees them (diacritics removed); False where that is not certain:
    a letter outside ASCII once its diacritics are removed (`ø`, `ß`, Cyrillic)."""
    if not text.isascii():
        text = _DIACRITICS.sub("", unicodedata.normalize("NFD", text))
        if _OTHER_LETTER.search(text):
            return False
    return _pattern(words, prefixes).search(text) is None


def opening(text: str, tokens: int, ellipsis: str) -> str:
    """The first `tokens` tokens of `text`, as FTS5's snippet() shows a column in which
    nothing matches (the article matched by its title, byline, site or tags)."""
    return _window(text, 0, tokens, ellipsis, lambda token: False)


def _window(
    text: str, start: int, tokens: int, ellipsis: str, marked: Callable[[str], bool]
) -> str:
    parts: list[str] = []
    at = start
    for found in islice(_TOKEN.finditer(text, start), tokens):
        token = found.group()
        parts.append(text[at : found.start()])
        parts.append(f"{MATCH_START}{token}{MATCH_END}" if marked(token) else token)
        at = found.end()
    opening = ellipsis if _TOKEN.search(text, 0, start) else ""
    # At the end, what follows the last token is shown (a full stop), as FTS5 does.
    tail = ellipsis if _TOKEN.search(text, at) else text[at:]
    return opening + "".join(parts) + tail
