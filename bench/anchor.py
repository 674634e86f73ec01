"""Re-anchoring highlights on real prose: reader.anchor against the matcher it replaced.

    python bench/anchor.py                      # old (git 1637db3) against the checkout
    python bench/anchor.py --old PATH|REV       # another old anchor.py: a file or a git rev
    python bench/anchor.py --pages 40 --runs 3  # fewer articles, more timing runs

Issue 15 replaced the hand-written bit-parallel (Myers) matcher in reader/anchor.py with
rapidfuzz where rapidfuzz does the job as well. This script re-anchors the same selectors
with each variant in the same run and prints, per kind of edit, how many were placed
right and the time spent:

- old: reader/anchor.py as it was (Myers written twice: the approximate search, and
  the distances from a fixed start for a match's length and the context's agreement),
  loaded by path from a file or a git revision;
- new: the checkout's reader/anchor.py (rapidfuzz's Levenshtein for distances, the
  context, and a match's length tried outward from the quote's; one Myers pass kept
  for the search and for lengths when the text is far off);
- rapidfuzz search: the new module with the approximate search done by rapidfuzz too
  (`fuzz.partial_ratio_alignment` on each region the q-gram filter keeps), to show what
  replacing the last hand-written part would cost.

Texts: the readability test pages' expected.html and the modern-pages ground-truth bodies
(shared/corpora beside the checkout). Highlights are random runs of 10-40 whole words,
the same every run (seeded). Edits, as re-extraction makes them:

- lead: a paragraph added at the top (exact stage);
- reflow: every run of whitespace replaced by another (whitespace stage);
- word: one word inside the quote replaced (approximate stage);
- words: two words inside replaced, a word in each side's context changed and a
  paragraph added at the top (approximate stage, context edited, moved);
- gone: the quote removed, its context kept (the context points at text that is no
  match: the far-off case of fitting a match's length);
- cut: the quote and 50 characters each side removed (the whole text is searched;
  placed only where the text repeats the quote).

"right" counts the cases placed at the edited quote (overlapping it, at most a fifth of
it differing) or at a place at least as close to the old quote (the quote repeated, a
similar table row: the selector cannot tell them apart); when the edit changed more than
a fifth of the old quote (beyond the search's reach), orphaned or overlapping it; for
gone and cut, orphaned or placed on a near copy. Times are the CPU time of locate (on a
shared machine wall time mostly measures the neighbours), summed over every case, the
variants interleaved case by case; the best of --runs is shown. Nothing here is part of
the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import lxml.html
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OLD_REVISION = "1637db3"  # the last commit with the hand-written matcher written twice
KINDS = ("lead", "reflow", "word", "words", "gone", "cut")

Range = tuple[int, int]
Locate = Callable[..., Range | None]


def load_module(name: str, source: str) -> ModuleType:
    """A fresh module from Python source, independent of any other copy."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location(name, file.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    Path(file.name).unlink()
    return module


def old_source(where: str, module: str = "reader/anchor.py") -> str:
    """The source of an older `module`: `where` is a file, or a git revision of ours."""
    path = Path(where)
    if path.is_file():
        return path.read_text()
    return subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{where}:{module}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def with_rapidfuzz_search(module: ModuleType) -> ModuleType:
    """`module` with its approximate search done by rapidfuzz's partial_ratio_alignment.

    rapidfuzz has no search that lists every approximate occurrence; the nearest thing
    gives the best window of each region the q-gram filter keeps (Indel similarity, a
    window as long as the quote), whose start and end are then each fitted with
    Levenshtein as the Myers ends are.
    """

    def search_candidates(
        text: str, quote: str, lo: int, hi: int, hint: int | None, slack: int
    ) -> set[Range]:
        max_errors = int(len(quote) * module.MAX_ERROR_RATE)
        if max_errors == 0:
            return set()
        cutoff = 100 * (1 - 2 * max_errors / (2 * len(quote)))
        windows = []
        for region_lo, region_hi in module._regions(quote, text, lo, hi, max_errors):
            found = fuzz.partial_ratio_alignment(
                quote, text[region_lo:region_hi], score_cutoff=cutoff
            )
            if found is not None:
                windows.append((region_lo + found.dest_start, region_lo + found.dest_end))
        old_end = hint + len(quote) if hint is not None else None
        nearest = module._nearest(iter(end for _, end in windows), old_end, module.MAX_CANDIDATES)
        candidates = set()
        for start, end in windows:
            if end in nearest:  # the window's own ends, each fitted from the other
                candidates.add((module._best_start(quote, text, end, slack), end))
                candidates.add((start, module._best_end(quote, text, start, slack)))
        return candidates

    module._search_candidates = search_candidates
    return module


# --- Texts and cases -------------------------------------------------------------------


def corpus_texts(pages: int) -> list[tuple[str, str]]:
    """(name, text) of up to `pages` articles of at least 300 words from each corpus."""
    texts: list[tuple[str, str]] = []
    readability = CORPORA / "readability-pages"
    found = 0
    for folder in sorted(p for p in readability.iterdir() if (p / "expected.html").is_file()):
        text = lxml.html.fromstring((folder / "expected.html").read_bytes()).text_content()
        if len(text.split()) >= 300 and found < pages:
            texts.append((f"readability/{folder.name}", text))
            found += 1
    truth = json.loads((CORPORA / "modern-pages" / "ground-truth.json").read_text())
    found = 0
    for key in sorted(truth):
        body = truth[key].get("body") or ""
        if len(body.split()) >= 300 and found < pages:
            texts.append((f"modern/{key}", body))
            found += 1
    return texts


@dataclass
class Case:
    kind: str
    text: str  # the edited text
    selector_args: tuple[str, int, int]  # make_selector's text, start, end (before the edit)
    hint: int
    expected: Range | None  # where the edited quote is (None: cut)


def replace_word(text: str, lo: int, hi: int, rng: random.Random, inner: bool) -> tuple[str, int]:
    """`text` with one word of `text[lo:hi]` replaced (with `inner`, not its first or
    last), and how much longer the text became."""
    words = list(re.finditer(r"\S+", text[lo:hi]))
    if len(words) < (3 if inner else 1):
        return text, 0
    target = words[rng.randrange(1, len(words) - 1)] if inner else rng.choice(words)
    a, b = lo + target.start(), lo + target.end()
    new = rng.choice(["REPLACED", "changed", "a", "different-word"])
    return text[:a] + new + text[b:], len(new) - (b - a)


def reflow(text: str, start: int, end: int, rng: random.Random) -> tuple[str, Range]:
    """`text` with every run of whitespace replaced, and where start..end went."""
    pieces = re.split(r"(\s+)", text)
    spaces = [" ", "  ", "\n", "\xa0", " \n "]
    new_text = "".join(rng.choice(spaces) if i % 2 else p for i, p in enumerate(pieces))
    before = len(re.findall(r"\S+", text[:start]))
    inside = len(re.findall(r"\S+", text[start:end]))
    spans = [m.span() for m in re.finditer(r"\S+", new_text)]
    return new_text, (spans[before][0], spans[before + inside - 1][1])


def cases(texts: list[tuple[str, str]], highlights: int, seed: int) -> Iterator[Case]:
    rng = random.Random(seed)
    lead = "An editor's note added after the page was saved.\n\n"
    for _, text in texts:
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        for _ in range(highlights):
            first = rng.randrange(0, len(spans) - 41)
            last = first + rng.randrange(9, 40)
            start, end = spans[first][0], spans[last][1]
            args = (text, start, end)
            yield Case("lead", lead + text, args, start, (start + len(lead), end + len(lead)))

            reflowed, expected = reflow(text, start, end, rng)
            yield Case("reflow", reflowed, args, start, expected)

            changed, shift = replace_word(text, start, end, rng, inner=True)
            yield Case("word", changed, args, start, (start, end + shift))

            # Inside first, then after, then before the quote: each edit's offsets hold.
            changed, shift1 = replace_word(text, start, end, rng, inner=True)
            changed, shift2 = replace_word(changed, start, end + shift1, rng, inner=True)
            new_end = end + shift1 + shift2
            changed, _ = replace_word(changed, new_end + 1, new_end + 30, rng, inner=False)
            changed, moved = replace_word(changed, max(0, start - 30), start - 1, rng, inner=False)
            expected = (start + moved + len(lead), new_end + moved + len(lead))
            yield Case("words", lead + changed, args, start, expected)

            yield Case("gone", text[:start] + text[end:], args, start, None)

            cut = text[: max(0, start - 50)] + text[end + 50 :]
            yield Case("cut", cut, args, start, None)


# --- Scoring ---------------------------------------------------------------------------


def right(case: Case, selector_exact: str, found: Range | None) -> bool:
    placed = "" if found is None else case.text[found[0] : found[1]]
    if case.expected is None:
        limit = max(len(placed), len(selector_exact)) // 5
        return found is None or Levenshtein.distance(selector_exact, placed) <= limit
    start, end = case.expected
    quote = case.text[start:end]
    if found is not None and " ".join(placed.split()) == " ".join(selector_exact.split()):
        return True  # the old quote is still there elsewhere (lorem ipsum, tables)
    edits = Levenshtein.distance(selector_exact, quote)
    overlaps = found is not None and found[0] < end and found[1] > start
    if edits > len(selector_exact) // 5:
        return found is None or overlaps  # beyond the search's reach: nothing promised
    if found is None:
        return False
    if Levenshtein.distance(selector_exact, placed) <= edits:
        return True  # a place as close to the old quote (a copy, a similar table row)
    return overlaps and Levenshtein.distance(quote, placed) <= len(quote) // 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", default=OLD_REVISION, help="old anchor.py: a file or a git rev")
    parser.add_argument("--pages", type=int, default=65, help="articles from each corpus")
    parser.add_argument("--highlights", type=int, default=4, help="highlights per article")
    parser.add_argument("--runs", type=int, default=1, help="timing runs (best is shown)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-search-variant", action="store_true", help="skip rapidfuzz search")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import reader.anchor as checkout

    new_source = Path(checkout.__file__).read_text()
    variants: dict[str, ModuleType] = {
        "old": load_module("anchor_old", old_source(args.old)),
        "new": load_module("anchor_new", new_source),
    }
    if not args.no_search_variant:
        variants["rapidfuzz search"] = with_rapidfuzz_search(
            load_module("anchor_rapidfuzz_search", new_source)
        )

    texts = corpus_texts(args.pages)
    all_cases = list(cases(texts, args.highlights, args.seed))
    each = f"{args.highlights} highlights x {len(KINDS)} edits"
    print(f"{len(texts)} articles, {len(all_cases)} cases ({each})")

    best: dict[tuple[str, str], float] = {}
    results: dict[str, list[Range | None]] = {name: [] for name in variants}
    for run in range(args.runs):
        seconds = {(name, kind): 0.0 for name in variants for kind in KINDS}
        for case in all_cases:
            for name, module in variants.items():
                selector = module.make_selector(*case.selector_args)
                began = time.process_time()
                found = module.locate(case.text, selector, hint=case.hint)
                seconds[name, case.kind] += time.process_time() - began
                if run == 0:
                    results[name].append(found)
        for key, value in seconds.items():
            best[key] = min(best.get(key, value), value)

    old = results["old"]
    print(f"\n{'edit':<7} {'cases':>5}  " + "  ".join(f"{n:>26}" for n in variants))
    print(f"{'':<7} {'':>5}  " + "  ".join(f"{'right    same   seconds':>26}" for _ in variants))
    totals = {name: [0, 0, 0.0] for name in variants}
    for kind in KINDS:
        indices = [i for i, c in enumerate(all_cases) if c.kind == kind]
        row = []
        for name in variants:
            exacts = [all_cases[i].selector_args for i in indices]
            good = sum(
                right(all_cases[i], args_[0][args_[1] : args_[2]], results[name][i])
                for i, args_ in zip(indices, exacts, strict=True)
            )
            same = sum(results[name][i] == old[i] for i in indices)
            totals[name][0] += good
            totals[name][1] += same
            totals[name][2] += best[name, kind]
            row.append(f"{good:>5} {same:>7} {best[name, kind]:>9.3f}s")
        print(f"{kind:<7} {len(indices):>5}  " + "  ".join(f"{r:>26}" for r in row))
    row = [f"{g:>5} {s:>7} {t:>9.3f}s" for g, s, t in totals.values()]
    print(f"{'all':<7} {len(all_cases):>5}  " + "  ".join(f"{r:>26}" for r in row))
    print("\nright: placed at the edited quote or as close a place (gone, cut: orphaned or")
    print("on a near copy);")
    print("same: the same range as old; seconds: CPU time of locate, best of the runs.")


if __name__ == "__main__":
    main()
