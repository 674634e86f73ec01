"""Where a highlight is: W3C TextQuoteSelectors, and finding them again in changed text.

A highlight is stored as offsets into `Document.text` *and* as a TextQuoteSelector
(the quoted text with up to 32 characters of context each side), because offsets go
stale as soon as an article is re-extracted (`reader import --update`, `reader reindex`)
or restored into another archive, while the quote and its context describe the place
in words. `locate` turns a selector back into offsets, in three stages from the most to
the least certain:

1. exact occurrences of the quote, the one whose context agrees best (ties: nearest the
   old start offset, the `hint`);
2. the same with every run of whitespace counted as one space (re-extraction often
   changes line breaks, indentation and non-breaking spaces, nothing else);
3. an approximate match allowing edits in about a fifth of the quote, scored as the
   Hypothesis client's anchoring does: quote similarity first, then how well the prefix
   and suffix agree, then nearness to the hint. Candidates come from the context (the
   quote between where the prefix ends and the suffix starts) and from a bit-parallel
   approximate search (Myers 1999) near the hint, and only then over the whole text.
   A q-gram filter keeps that search to the parts of the text that can hold a match,
   so a quote gone from a 20,000-word article costs well under a second. Edit
   distances (of a quote, of its context, the best length of a match) are rapidfuzz's
   Levenshtein; the search is ours, as rapidfuzz lists no approximate occurrences.

A match is accepted when at most a fifth of it differs from the quote (edits over the
longer of the two); a quote under SHORT_QUOTE characters also needs its context.

When none of them places the quote convincingly, `locate` returns None and the caller
keeps the highlight as orphaned (its quote and note are never thrown away). Pure code:
no database, no Textual.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, compress, count
from operator import sub

from rapidfuzz.distance import Levenshtein

CONTEXT = 32
# An approximate match may differ from the quote in this share of its characters.
MAX_ERROR_RATE = 0.2
# Below this many characters a fuzzy match also needs its prefix or suffix to agree:
# a short quote with a couple of edits turns up by chance in any long text.
SHORT_QUOTE = 24
# The approximate search looks this far around the hint before it reads the whole text.
WINDOW = 4000
# At most this many places are tried for one selector from each source (each side's
# context, the approximate search), nearest the hint first. A 32-character context
# rarely occurs twice in an article; the cap bounds the cost in repetitive text.
MAX_ANCHORS = 10
MAX_CANDIDATES = 20

# Weights of the fuzzy score, as the Hypothesis client's match-quote uses.
_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POS_WEIGHT = 50.0, 20.0, 20.0, 2.0
_WS = re.compile(r"\s+")
_Q = 3  # q-gram length of the approximate search's filter
# _closest_edge tries lengths one at a time up to this many edits; beyond, one Myers pass
# over every length is cheaper, whatever the pattern's length (measured: about 55).
_OUTWARD_EDITS = 48


@dataclass(frozen=True)
class TextQuoteSelector:
    """The W3C Web Annotation TextQuoteSelector: a quote and the text around it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def make_selector(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuoteSelector:
    """The selector of `text[start:end]`, with up to `context` characters each side.

    Raises ValueError unless `0 <= start < end <= len(text)`: an empty highlight
    has no quote to find again.
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad range {start}..{end} for a text of {len(text)} characters")
    if context < 0:
        raise ValueError(f"context must not be negative, got {context}")
    return TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def locate(
    text: str, selector: TextQuoteSelector, hint: int | None = None
) -> tuple[int, int] | None:
    """Where `selector` is in `text`, as `(start, end)`, or None when it cannot be placed.

    `hint` is where the quote started before (its old offset); it breaks ties between
    equally good places. A returned range is never empty and never outside `text`.
    """
    if not selector.exact or not text:
        return None
    found = _locate_exact(text, selector, hint)
    if found is None:
        found = _locate_whitespace(text, selector, hint)
    if found is None:
        found = _locate_fuzzy(text, selector, hint)
    if found is not None and not 0 <= found[0] < found[1] <= len(text):
        return None  # cannot happen; an orphan is better than a highlight out of bounds
    return found


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` occurs in `text`, in order, with whitespace runs compared as
    one space and the quote's edge whitespace ignored.

    For a quote a person typed (`reader highlight`, a find box): they cannot know
    whether the page broke a line or put a non-breaking space between two words.
    """
    needle = _WS.sub(" ", quote).strip()
    if not needle:
        return []
    if not all(word in text for word in needle.split(" ")):
        return []  # cheap: a word of the quote is nowhere in the text
    collapsed = _Collapsed(text)
    return [collapsed.span(pos, len(needle)) for pos in _occurrences(collapsed.text, needle)]


# --- Stage 1: exact ---------------------------------------------------------------


def _occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> Iterator[int]:
    hi = len(text) if hi is None else hi
    pos = text.find(needle, lo, hi)
    while pos != -1:
        yield pos
        pos = text.find(needle, pos + 1, hi)


def _prefix_agreement(text: str, start: int, prefix: str) -> int:
    """How many characters at the end of `prefix` equal those just before `start`."""
    lo, hi = 0, min(len(prefix), start)  # binary search: agreement is monotonic
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text.endswith(prefix[len(prefix) - mid :], 0, start):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _suffix_agreement(text: str, end: int, suffix: str) -> int:
    """How many characters at the start of `suffix` equal those from `end` on."""
    lo, hi = 0, min(len(suffix), len(text) - end)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text.startswith(suffix[:mid], end):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _best_occurrence(
    text: str, exact: str, prefix: str, suffix: str, hint: int | None
) -> int | None:
    """The occurrence of `exact` whose context agrees best, nearest `hint` on a tie.

    Agreement is first counted exactly, outward from the quote (cheap, for every
    occurrence). When no occurrence has its whole context, the page was edited right
    next to the quote, and a character or two that happen to agree elsewhere must not
    outweigh a context that is all there but for the edit: the likeliest few are then
    compared approximately.
    """
    scored: list[tuple[int, int, int]] = []  # (-agreement, distance from hint, position)
    for pos in _occurrences(text, exact):
        agreement = _prefix_agreement(text, pos, prefix) + _suffix_agreement(
            text, pos + len(exact), suffix
        )
        scored.append((-agreement, abs(pos - hint) if hint is not None else 0, pos))
    if not scored:
        return None
    best = min(scored)
    if -best[0] == len(prefix) + len(suffix) or len(scored) == 1:
        return best[2]
    likely = sorted(scored)[:MAX_CANDIDATES]
    if hint is not None:
        likely += sorted(scored, key=lambda s: s[1:])[:MAX_CANDIDATES]
    selector = TextQuoteSelector(exact, prefix, suffix)

    def key(s: tuple[int, int, int]) -> tuple[float, int, int]:
        similarity = _context_similarity(text, s[2], s[2] + len(exact), selector)
        return (-round(similarity, 9), s[1], s[2])

    return min(likely, key=key)[2]


def _locate_exact(
    text: str, selector: TextQuoteSelector, hint: int | None
) -> tuple[int, int] | None:
    pos = _best_occurrence(text, selector.exact, selector.prefix, selector.suffix, hint)
    return None if pos is None else (pos, pos + len(selector.exact))


# --- Stage 2: whitespace-insensitive ------------------------------------------------


class _Collapsed:
    """`text` with each run of whitespace as one space, and the way back to offsets in
    `text`: a table of the runs (one entry a run, not a list as long as the text)."""

    def __init__(self, text: str) -> None:
        self.text = _WS.sub(" ", text)
        spans = [run.span() for run in _WS.finditer(text)]
        self._starts = [start for start, _ in spans]  # where each run starts in the original
        # How far the original is ahead of the collapsed text after each run.
        self._ahead = list(accumulate(end - start - 1 for start, end in spans))
        # Where each run's one space is in the collapsed text.
        self._runs = list(map(sub, self._starts, [0, *self._ahead[:-1]]))

    def original(self, pos: int) -> int:
        """The original offset of the collapsed text's character at `pos`."""
        i = bisect_right(self._runs, pos) - 1
        if i < 0:
            return pos
        if self._runs[i] == pos:  # a run's space: where the run starts
            return self._starts[i]
        return pos + self._ahead[i]

    def collapsed(self, pos: int) -> int:
        """About where original offset `pos` is in the collapsed text (for hints)."""
        i = bisect_right(self._starts, pos) - 1
        return pos - (self._ahead[i] if i >= 0 else 0)

    def span(self, pos: int, length: int) -> tuple[int, int]:
        """The original range of `length` collapsed characters at `pos`, the last of
        them no space."""
        return self.original(pos), self.original(pos + length - 1) + 1


def _locate_whitespace(
    text: str, selector: TextQuoteSelector, hint: int | None
) -> tuple[int, int] | None:
    exact = _WS.sub(" ", selector.exact).strip()
    if not exact:
        return None
    if not all(word in text for word in exact.split(" ")):
        return None  # cheap: a word of the quote is nowhere in the text
    collapsed = _Collapsed(text)
    if exact not in collapsed.text:
        return None
    # Whitespace stripped off the quote belongs to the context now.
    raw = selector.exact
    lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]
    prefix = _WS.sub(" ", selector.prefix + lead)
    suffix = _WS.sub(" ", trail + selector.suffix)
    collapsed_hint = collapsed.collapsed(hint) if hint is not None else None
    pos = _best_occurrence(collapsed.text, exact, prefix, suffix, collapsed_hint)
    if pos is None:
        return None
    # The quote was stripped, so it starts and ends with a character that is no space.
    return collapsed.span(pos, len(exact))


# --- Stage 3: approximate -----------------------------------------------------------


def _regions(pattern: str, text: str, lo: int, hi: int, max_errors: int) -> list[tuple[int, int]]:
    """The parts of `text[lo:hi]` that can hold a match of `pattern` with at most
    `max_errors` edits: a q-gram filter, so the bit-parallel search reads a fraction
    of a long article when the quote is gone.

    Each edit spoils at most Q of the pattern's m - Q + 1 q-grams, so a match keeps at
    least `m - Q + 1 - Q * max_errors` of them, all inside the match, which is at most
    `m + max_errors` long (the q-gram lemma). Windows of that length holding fewer
    q-grams of the pattern cannot hold a match.
    """
    m = len(pattern)
    needed = m - _Q + 1 - _Q * max_errors
    if needed <= 0 or hi - lo < m + max_errors:
        return [(lo, hi)] if lo < hi else []
    grams = {pattern[i : i + _Q] for i in range(m - _Q + 1)}
    # Every step below iterates in C (map, accumulate, compress): no Python per character.
    slices = map(slice, range(lo, hi - _Q + 1), range(lo + _Q, hi + 1))
    sums = list(accumulate(map(grams.__contains__, map(text.__getitem__, slices)), initial=0))
    span = m + max_errors - _Q + 1  # q-gram positions in a window of the longest match
    counts = map(sub, sums[span:], sums)
    regions: list[tuple[int, int]] = []
    for i in compress(count(lo), map(needed.__le__, counts)):
        end = min(hi, i + m + max_errors)
        if regions and i <= regions[-1][1]:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((i, end))
    return regions


def _column_distances(pattern: str, text: str, anchored: bool, limit: int) -> list[tuple[int, int]]:
    """`(n, d)` for each n in 0..len(text) where d <= `limit`, d being the fewest edits
    between `pattern` and a piece of `text` that ends after its first n characters; with
    `anchored` the piece starts at text[0], without it anywhere (an approximate search).

    Myers' bit-parallel algorithm (1999): one pass of a few integer operations per
    character, whatever the pattern's length (Python's integers are as wide as it
    needs). Hand-written because rapidfuzz gives the distance of two whole strings, not
    every end in one pass; bench/anchor.py measures the alternatives.
    """
    m = len(pattern)
    if m == 0:
        return [(n, n if anchored else 0) for n in range(len(text) + 1) if n <= limit]
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    get = masks.get  # the loop runs once a character: every lookup and operation counts
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    found = [(0, m)] if m <= limit else []
    for n, char in enumerate(text, 1):
        eq = get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        # Anchored, the row above the pattern costs one edit a character, else nothing.
        ph = ((ph << 1) | 1) & full if anchored else (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score <= limit:
            found.append((n, score))
    return found


def _search_ends(pattern: str, text: str, lo: int, hi: int, max_errors: int) -> list[int]:
    """Ends of `text[lo:hi]` where `pattern` matches with at most `max_errors` edits:
    for each run of adjacent matching ends, the end with the fewest edits."""
    ends: list[int] = []
    run_end, best, best_edits = -1, -1, 0  # the current run's last end and best end
    for n, edits in _column_distances(pattern, text[lo:hi], anchored=False, limit=max_errors):
        if n == 0:
            continue  # the empty piece before lo is no match
        if n != run_end + 1:
            if best != -1:
                ends.append(lo + best)
            best, best_edits = n, edits
        elif edits < best_edits:
            best, best_edits = n, edits
        run_end = n
    if best != -1:
        ends.append(lo + best)
    return ends


def _distance(a: str, b: str) -> int:
    """The Levenshtein distance between `a` and `b`."""
    return Levenshtein.distance(a, b)


def _closest_edge(pattern: str, text: str, at_end: bool = False) -> tuple[int, int]:
    """`(edits, n)`: the start of `text` n characters long (its end, with `at_end`)
    that is closest to `pattern`; ties go to the length nearest the pattern's, then
    the shorter.

    A length n costs at least |n - len(pattern)| edits, so lengths are tried outward
    from the pattern's, with rapidfuzz, until that alone is no better than the best
    found: one comparison when the text agrees. When it agrees badly, trying lengths
    one by one would cost more than one Myers pass over every length, which is taken.
    """
    m, top = len(pattern), len(text)

    def piece(n: int) -> str:
        return text[top - n :] if at_end else text[:n]

    length = min(m, top)
    best = (Levenshtein.distance(pattern, piece(length)), length)
    if best[0] > _OUTWARD_EDITS:
        if at_end:
            pattern, text = pattern[::-1], text[::-1]
        columns = _column_distances(pattern, text, anchored=True, limit=m + top)
        n, edits = min(columns, key=lambda column: (column[1], abs(column[0] - m)))
        return edits, n
    for delta in count(m - length + 1):
        if delta >= best[0]:
            break
        for n in (m - delta, m + delta):
            if 0 <= n <= top:
                edits = Levenshtein.distance(pattern, piece(n), score_cutoff=best[0] - 1)
                if edits < best[0]:
                    best = (edits, n)
    return best


def _best_end(pattern: str, text: str, start: int, slack: int) -> int:
    """The end of the closest match of `pattern` that starts at `start`."""
    segment = text[start : start + len(pattern) + slack]
    return start + _closest_edge(pattern, segment)[1]


def _best_start(pattern: str, text: str, end: int, slack: int) -> int:
    """The start of the closest match of `pattern` that ends at `end`."""
    segment = text[max(0, end - len(pattern) - slack) : end]
    return end - _closest_edge(pattern, segment, at_end=True)[1]


def _context_similarity(text: str, start: int, end: int, selector: TextQuoteSelector) -> float:
    """How well the selector's prefix and suffix agree with the text around start..end (0-2)."""
    total = 0.0
    for context, before in ((selector.prefix, True), (selector.suffix, False)):
        if not context:
            # make_selector leaves a side empty only at the edge of the text.
            at_edge = start == 0 if before else end == len(text)
            total += 1.0 if at_edge else 0.5
            continue
        if before:
            segment = text[max(0, start - 2 * len(context)) : start]
        else:
            segment = text[end : end + 2 * len(context)]
        edits, _ = _closest_edge(context, segment, at_end=before)
        total += 1.0 - edits / len(context)
    return total


def _trim(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """`start..end` without edge whitespace the quote does not have."""
    if not quote[:1].isspace():
        while start < end and text[start].isspace():
            start += 1
    if not quote[-1:].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _nearest(positions: Iterator[int], hint: int | None, limit: int) -> list[int]:
    found = list(positions)
    if hint is not None:
        found.sort(key=lambda p: abs(p - hint))
    return found[:limit]


def _context_candidates(
    text: str, selector: TextQuoteSelector, hint: int | None, slack: int
) -> set[tuple[int, int]]:
    """Ranges the context points at: after the prefix, before the suffix, or between."""
    quote, prefix, suffix = selector.exact, selector.prefix, selector.suffix
    m = len(quote)
    candidates: set[tuple[int, int]] = set()
    # No prefix: make_selector found the quote at the very start of the text.
    starts = [p + len(prefix) for p in _occurrences(text, prefix)] if prefix else [0]
    for start in _nearest(iter(starts), hint, MAX_ANCHORS):
        candidates.add((start, _best_end(quote, text, start, slack)))
        if suffix:  # every place the suffix could follow, not only the first: it may repeat
            lo, hi = start + max(1, m - slack), start + m + slack + len(suffix)
            candidates.update((start, end) for end in _occurrences(text, suffix, lo, hi))
        elif start + m + slack >= len(text):
            candidates.add((start, len(text)))
    if suffix:
        ends = list(_occurrences(text, suffix))
        old_end = hint + m if hint is not None else None
        for end in _nearest(iter(ends), old_end, MAX_ANCHORS):
            candidates.add((_best_start(quote, text, end, slack), end))
    return candidates


def _search_candidates(
    text: str, quote: str, lo: int, hi: int, hint: int | None, slack: int
) -> set[tuple[int, int]]:
    """Ranges where the quote matches approximately inside `text[lo:hi]`."""
    max_errors = int(len(quote) * MAX_ERROR_RATE)
    if max_errors == 0:
        return set()
    ends = [
        end
        for region_lo, region_hi in _regions(quote, text, lo, hi, max_errors)
        for end in _search_ends(quote, text, region_lo, region_hi, max_errors)
    ]
    old_end = hint + len(quote) if hint is not None else None
    return {
        (_best_start(quote, text, end, slack), end)
        for end in _nearest(iter(ends), old_end, MAX_CANDIDATES)
    }


def _best_candidate(
    text: str,
    selector: TextQuoteSelector,
    candidates: set[tuple[int, int]],
    hint: int | None,
) -> tuple[int, int] | None:
    quote = selector.exact
    m = len(quote)
    best: tuple[float, int, int] | None = None
    for start, end in candidates:
        start, end = _trim(text, max(0, start), min(end, len(text)), quote)
        if start >= end or abs((end - start) - m) > MAX_ERROR_RATE * max(m, end - start):
            continue  # the difference in length alone is too many edits
        similarity = 1.0 - _distance(quote, text[start:end]) / max(m, end - start)
        if similarity < 1.0 - MAX_ERROR_RATE:
            continue
        context = _context_similarity(text, start, end, selector)
        if m < SHORT_QUOTE and context < 1.0:
            continue
        nearness = 1.0 - abs(start - hint) / len(text) if hint is not None else 0.0
        score = (
            _QUOTE_WEIGHT * similarity
            + (_PREFIX_WEIGHT + _SUFFIX_WEIGHT) / 2 * context
            + _POS_WEIGHT * nearness
        )
        key = (score, -start, -end)
        if best is None or key > best:
            best = key
    return None if best is None else (-best[1], -best[2])


def _locate_fuzzy(
    text: str, selector: TextQuoteSelector, hint: int | None
) -> tuple[int, int] | None:
    quote = selector.exact
    m = len(quote)
    slack = m // 4 + 1  # a match may be this much longer or shorter than the quote
    candidates = _context_candidates(text, selector, hint, slack)
    lo, hi = 0, len(text)
    if hint is not None:
        lo, hi = max(0, hint - WINDOW - m), min(len(text), hint + m + WINDOW)
    candidates |= _search_candidates(text, quote, lo, hi, hint, slack)
    found = _best_candidate(text, selector, candidates, hint)
    if found is None and (lo, hi) != (0, len(text)):
        found = _best_candidate(
            text, selector, _search_candidates(text, quote, 0, len(text), hint, slack), hint
        )
    return found
