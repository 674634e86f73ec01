"""A snippet of an article's text around the words of a query, made in Python: for a
query of very common words only (`the`, `of and`), where FTS5's snippet() scores every
window around every match (~200 of `the` an article: 0.4 ms each, 20 ms a page) and any
window with the words says as much as the best one."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from reader.models import MATCH_END, MATCH_START

# A token as articles_fts's tokenizer (unicode61) sees one: letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
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
def _pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, words)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def snippet(text: str, words: frozenset[str], tokens: int, ellipsis: str) -> str | None:
    """`tokens` tokens of `text` from a few before its first match of `words`, the
    matches marked as FTS5's snippet() marks them (MATCH_START/MATCH_END), an ellipsis
    where text is left out before or after; None if no word is found as a token."""
    first = _pattern(words).search(text)
    if first is None:
        return None
    back = max(0, first.start() - _LOOK_BACK)
    before = list(_TOKEN.finditer(text, back, first.start()))
    if back and before:
        before.pop(0)  # maybe cut by the look-back's start
    lead = min(_LEAD, len(before), (tokens - 1) // 2)  # the match stays in the window
    start = before[-lead].start() if lead else first.start()
    parts: list[str] = []
    at = start
    for found in islice(_TOKEN.finditer(text, start), tokens):
        token = found.group()
        parts.append(text[at : found.start()])
        parts.append(f"{MATCH_START}{token}{MATCH_END}" if token.lower() in words else token)
        at = found.end()
    opening = ellipsis if _TOKEN.search(text, 0, start) else ""
    tail = ellipsis if _TOKEN.search(text, at) else ""
    return opening + "".join(parts) + tail
