"""How bench/extraction.py scores an extraction: body text, snippets, metadata.

Body text is scored as Zyte's article-extraction-benchmark (evaluate.py) and the
modern benchmark after it do: tokens are `\\w+`, word 4-gram shingles with counts, per
page tp/fp/fn normalised to sum 1; precision is averaged over the pages where
something was extracted or expected to be (tp + fp > 0), recall over the pages with an
expected body (tp + fn > 0), and F1 is taken from those two means. The mean per-page
F1 is reported beside it (an empty extraction scores 0 there). `with`/`without` are
the modern benchmark's snippets: the share of must-have sentences found in the text,
and of boilerplate sentences found in it (case-insensitive substrings).
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

_TOKEN = re.compile(r"\w+", re.UNICODE)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "td",
        "th",
        "tr",
        "table",
        "pre",
        "blockquote",
        "figcaption",
        "figure",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "dt",
        "dd",
        "dl",
        "hr",
        "main",
        "nav",
        "caption",
    ]
)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-grams of `text` with their counts (Zyte's `_all_shingles`)."""
    tokens = _TOKEN.findall(text or "")
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def tp_fp_fn(expected: str, got: str) -> tuple[float, float, float]:
    """Zyte's `string_shingle_matching`: shingle tp/fp/fn normalised to sum 1."""
    truth, pred = shingles(expected), shingles(got)
    tp = sum((truth & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(truth.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def page_f1(counts: tuple[float, float, float]) -> float:
    p, r = precision_score(*counts), recall_score(*counts)
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class BodyScore:
    """Zyte's figures over a set of pages, and the mean per-page F1."""

    precision: float
    recall: float
    f1: float
    mean_page_f1: float
    pages: int


def body_score(counts: Sequence[tuple[float, float, float]]) -> BodyScore:
    """Zyte's `metrics_from_tp_fp_fns`, plus the mean per-page F1."""
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    mean_f1 = statistics.fmean(page_f1(c) for c in counts) if counts else 0.0
    return BodyScore(p, r, f1, mean_f1, len(counts))


def snippet_rate(text: str, snippets: Iterable[str]) -> float | None:
    """Share of `snippets` found in `text` (case-insensitive); None without snippets."""
    wanted = [s for s in snippets if s.strip()]
    if not wanted:
        return None
    lowered = text.lower()
    return sum(s.lower() in lowered for s in wanted) / len(wanted)


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment, with block boundaries as line breaks."""
    if not markup.strip():
        return ""
    root = lxml.html.fromstring(markup)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        elif tag in ("script", "style"):
            el.text = ""
    return str(root.text_content())


# --- metadata ---------------------------------------------------------------------


# Typographic punctuation compared as its plain form: reader keeps a title's own
# characters, the modern set's ground truth writes most of them plain.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def squash(text: str | None) -> str:
    """A value as compared: NFKC, plain quotes and dashes, whitespace collapsed, case
    folded."""
    plain = unicodedata.normalize("NFKC", text or "").translate(_PLAIN)
    return " ".join(plain.split()).casefold()


# What a title puts between a page's name and its site's: "Post | Site", "Site - Post".
_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", ": ", " :: ", " · ", " » ", " / ")
# Second-level labels under a country's domain: "example" is the name of example.co.uk.
_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"])


def _name_key(text: str) -> str:
    """A site's name as compared: case and punctuation aside ("The-Verge" is "the verge")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def domain_names(host: str | None) -> list[str]:
    """The names a domain gives its site: "example" and "example.co.uk" of
    "www.example.co.uk" ("Example.co.uk - Post"), "example" and "example.com" of
    "blog.example.com"; none for no host."""
    labels = [label for label in (host or "").lower().strip(".").split(".") if label]
    if len(labels) < 2:
        return labels
    suffix = labels[-2:] if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else labels[-1:]
    name = labels[-len(suffix) - 1]
    return [name, ".".join([name, *suffix])]


def same_title(expected: str, got: str, site_names: Sequence[str], host: str | None) -> bool:
    """The title as expected; or, issue 19's allowance, as expected less a known site's
    name (`site_names`: the page's og:site_name and publisher; the domain's name of
    `host`) that it begins or ends with behind a separator: "Post | Site" is "Post" on
    Site. Written here, not taken from reader: a bench must not make its expectation
    with the code it judges."""
    want = squash(got)
    if squash(expected) == want:
        return True
    names = {_name_key(n) for n in [*site_names, *domain_names(host)]} - {""}
    title = " ".join(unicodedata.normalize("NFKC", expected).split())
    for separator in _SITE_SEPARATORS:
        # At each of its places: a site's name may hold a separator ("Foundation - Docs").
        for at in (m.start() for m in re.finditer(re.escape(separator), title)):
            head, tail = title[:at], title[at + len(separator) :]
            if (_name_key(head) in names and squash(tail) == want) or (
                _name_key(tail) in names and squash(head) == want
            ):
                return True
    return False


_JSONLD = re.compile(r"^\s*application/ld\+json\s*$", re.I)
_MAX_JSONLD = 200_000  # characters of a JSON-LD block read: a page's own are small
_MAX_DEPTH = 8


def page_site_names(markup: bytes | str) -> list[str]:
    """The names a page declares for its site, read here rather than by reader: its
    og:site_name and the name of its JSON-LD publisher."""
    try:
        root = lxml.html.fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return []
    names = [
        str(meta.get("content") or "")
        for meta in root.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:site_name"
    ]
    for script in root.iter("script"):
        if _JSONLD.match(script.get("type") or "") and script.text:
            try:
                data = json.loads(script.text[:_MAX_JSONLD])
            except ValueError:
                continue
            names += _publishers(data, 0)
    return [n.strip() for n in names if n.strip()]


def _publishers(data: object, depth: int) -> list[str]:
    """Publisher names anywhere in a JSON-LD value (in an @graph, under an article)."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(data, list):
        return [n for item in data for n in _publishers(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    names = []
    publisher = data.get("publisher")
    for item in publisher if isinstance(publisher, list) else [publisher]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(item["name"])
        elif isinstance(item, str):
            names.append(item)
    for value in data.values():
        if isinstance(value, (dict, list)):
            names += _publishers(value, depth + 1)
    return names


# What joins the people of a byline: "A, B and C", "A & B", "A | Newsroom", "A; B".
_PEOPLE_SEPARATORS = re.compile(r"\s*(?:[,;|&]|\band\b)\s*")
# A byline as a page prints it (Mozilla's ground truth): "By A", "Written by A".
_BY = re.compile(r"^(?:written\s+)?by\s+")


def people(byline: str | None) -> frozenset[str]:
    """The names a byline lists, as compared: squashed, in any order, whatever joins
    them, a leading "By" aside."""
    names = _PEOPLE_SEPARATORS.split(_BY.sub("", squash(byline)))
    return frozenset(name.strip(" .") for name in names if name.strip(" ."))


def same_author(expected: str, got: str | None) -> bool:
    """The people the ground truth names, no more and no fewer: case, order, the words
    that join them and a leading "By" aside. Written here, not taken from reader (until
    stop 35 reader's byline cleaner reshaped the expected byline too, so that a byline
    it cut the same wrong way on both sides counted: "Maria & Katerina" as "Katerina")."""
    return people(expected) == people(got)


def same_day(expected: str | None, got: str | None) -> bool:
    return bool(expected) and (expected or "")[:10] == (got or "")[:10]


@dataclass
class Tally:
    """ok / total over the pages where the expected value is known."""

    ok: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, page: str, ok: bool) -> None:
        self.total += 1
        self.ok += bool(ok)
        if not ok:
            self.misses.append(page)

    @property
    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.ok}/{self.total} {100 * self.rate:.1f}%"
