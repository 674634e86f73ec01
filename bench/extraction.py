"""Extraction quality and speed over Mozilla Readability's test pages.

    python bench/extraction.py                 # ours (via `reader extract`, else in-process)
    python bench/extraction.py --in-process    # ours, calling extract_page directly
    python bench/extraction.py --baseline      # bare readability-lxml, for comparison
    python bench/extraction.py --worst 10      # the ten pages with the lowest body F1

Body text is scored the way Zyte's article-extraction-benchmark scores articleBody:
word 4-gram shingles of the expected text against the extracted text, per-page
precision and recall, their means over pages, and F1 from the means. Metadata is scored
against expected-metadata.json: title (whitespace-normalised exact), byline (both sides
normalised to names by our own byline cleaner, case-insensitive), language (case- and
separator-insensitive), site name (case-insensitive) and the published day; each over
the pages whose expected value is non-empty.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "readability-pages"

TARGETS = {
    "body_f1": 0.90,
    "title": 0.95,
    "byline": 0.80,
    "lang": 0.95,
    "site_name": 0.80,
    "published": 0.85,
}

_TOKEN = re.compile(r"\w+", re.UNICODE)
_BLOCKS = frozenset(
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


def shingles(text: str, n: int = 4) -> Counter:
    """Word n-grams of `text` with their counts (Zyte's `_all_shingles`)."""
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def precision_recall(expected: str, got: str) -> tuple[float, float]:
    """Zyte's shingle matching for one page: (precision, recall)."""
    truth, pred = shingles(expected), shingles(got)
    truth.pop((), None)
    pred.pop((), None)
    tp = sum((truth & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(truth.values()) - tp
    if tp == fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment, with block boundaries as line breaks."""
    if not markup.strip():
        return ""
    root = lxml.html.fromstring(markup)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        elif isinstance(el.tag, str) and el.tag.lower() in ("script", "style"):
            el.text = ""
    return root.text_content()


@dataclass
class Result:
    """What one extractor made of one page."""

    name: str
    text: str = ""
    meta: dict = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def pages(corpus: Path) -> list[Path]:
    """The corpus's page folders (each with source.html), sorted."""
    return sorted(p for p in corpus.iterdir() if (p / "source.html").is_file())


# --- runners ------------------------------------------------------------------------


def run_ours_in_process(dirs: list[Path]) -> tuple[list[Result], float]:
    """read_page + extract_page per page, timed one by one (IngestError is a result)."""
    from reader.ingest.extract import extract_page
    from reader.ingest.page import IngestError, RawPage

    try:
        from reader.ingest.sources import read_page
    except ImportError:
        read_page = None

    results = []
    start = time.perf_counter()
    for d in dirs:
        path = d / "source.html"
        t0 = time.perf_counter()
        try:
            if read_page is not None:
                raw = read_page(path)
            else:
                data = path.read_bytes()
                raw = RawPage(data=data, html=data, filename=str(path), kind="html")
            page = extract_page(raw)
            result = Result(d.name, page.text, page.metadata())
        except IngestError as error:
            result = Result(d.name, error=str(error))
        result.seconds = time.perf_counter() - t0
        results.append(result)
    return results, time.perf_counter() - start


def cli_available() -> bool:
    """Whether `reader extract` exists and knows --format jsonl."""
    exe = shutil.which("reader") or str(Path(sys.executable).parent / "reader")
    try:
        done = subprocess.run(
            [exe, "extract", "--help"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and "jsonl" in done.stdout


def run_ours_cli(dirs: list[Path]) -> tuple[list[Result], float]:
    """One `reader extract --format jsonl` over every page; wall time includes start-up."""
    exe = shutil.which("reader") or str(Path(sys.executable).parent / "reader")
    paths = [str(d / "source.html") for d in dirs]
    start = time.perf_counter()
    done = subprocess.run(
        [exe, "extract", "--format", "jsonl", *paths], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    by_path: dict[str, dict] = {}
    for line in done.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            by_path[str(Path(obj.get("path", "")).resolve())] = obj
    results = []
    for d in dirs:
        obj = by_path.get(str((d / "source.html").resolve()))
        if obj is None or obj.get("error"):
            results.append(Result(d.name, error=(obj or {}).get("error", "missing from output")))
            continue
        meta = obj.get("metadata", obj)
        results.append(Result(d.name, obj.get("text", ""), meta))
    return results, elapsed


def run_baseline(dirs: list[Path]) -> tuple[list[Result], float]:
    """Bare readability-lxml on the file's bytes: summary() and short_title()."""
    from readability import Document

    results = []
    start = time.perf_counter()
    for d in dirs:
        data = (d / "source.html").read_bytes()
        t0 = time.perf_counter()
        try:
            doc = Document(data)
            title = doc.short_title()
            summary = doc.summary(html_partial=True)
            result = Result(d.name, html_text(summary), {"title": title})
        except Exception as error:  # bare readability raises anything
            result = Result(d.name, error=f"{type(error).__name__}: {error}")
        result.seconds = time.perf_counter() - t0
        results.append(result)
    return results, time.perf_counter() - start


# --- scoring -------------------------------------------------------------------------


def _ws(text: str | None) -> str:
    return " ".join((text or "").split())


def _byline(text: str | None) -> str:
    from reader.ingest.metadata.bylines import clean_byline

    return (clean_byline(text or "") or "").casefold()


def score(dirs: list[Path], results: list[Result]) -> dict:
    """Per-page body precision/recall, their means and F1, and the metadata tallies."""
    rows = []
    counts: dict[str, list[int]] = {k: [0, 0] for k in TARGETS if k != "body_f1"}
    # Bylines again, over the pages whose expected byline is a name at all (not
    # "Last Updated: ..." or "Follow Author"): no credit for agreeing on nothing.
    strict = [0, 0]
    for d, result in zip(dirs, results, strict=True):
        expected_text = html_text((d / "expected.html").read_text(encoding="utf-8"))
        p, r = (0.0, 0.0) if result.error else precision_recall(expected_text, result.text)
        rows.append((d.name, p, r, result.error))
        exp = json.loads((d / "expected-metadata.json").read_text(encoding="utf-8"))
        got = result.meta

        def tally(key: str, expected: object, ok: bool) -> None:
            if expected:
                counts[key][1] += 1
                counts[key][0] += bool(ok)

        tally("title", _ws(exp.get("title")), _ws(exp.get("title")) == _ws(got.get("title")))
        tally(
            "byline",
            _ws(exp.get("byline")),
            _byline(exp.get("byline")) == _byline(got.get("byline")),
        )
        if _byline(exp.get("byline")):
            strict[1] += 1
            strict[0] += _byline(exp.get("byline")) == _byline(got.get("byline"))
        norm_lang = lambda s: (s or "").replace("_", "-").lower()  # noqa: E731
        tally("lang", exp.get("lang"), norm_lang(exp.get("lang")) == norm_lang(got.get("lang")))
        tally(
            "site_name",
            _ws(exp.get("siteName")),
            _ws(exp.get("siteName")).casefold() == _ws(got.get("site_name")).casefold(),
        )
        tally(
            "published",
            exp.get("publishedTime"),
            (exp.get("publishedTime") or "")[:10] == (got.get("published") or "")[:10],
        )
    mean_p = statistics.fmean(r[1] for r in rows)
    mean_r = statistics.fmean(r[2] for r in rows)
    f1 = 2 * mean_p * mean_r / (mean_p + mean_r) if mean_p + mean_r else 0.0
    return {
        "rows": rows,
        "precision": mean_p,
        "recall": mean_r,
        "f1": f1,
        "counts": counts,
        "byline_strict": strict,
    }


def report(label: str, scores: dict, elapsed: float, n: int, worst: int) -> None:
    """Print one extractor's figures (and its worst pages by F1)."""
    print(f"== {label}: {n} pages in {elapsed:.2f} s ({n / elapsed:.1f} pages/s)")
    print(
        f"body  F1 {scores['f1']:.3f}  P {scores['precision']:.3f}  R {scores['recall']:.3f}"
        f"   (target F1 >= {TARGETS['body_f1']:.2f})"
    )
    for key, (ok, total) in scores["counts"].items():
        pct = 100 * ok / total if total else 0.0
        print(f"{key:<10} {ok:>3}/{total:<3} {pct:5.1f}%   (target >= {100 * TARGETS[key]:.0f}%)")
        if key == "byline":
            ok, total = scores["byline_strict"]
            pct = 100 * ok / total if total else 0.0
            print(f"  strict   {ok:>3}/{total:<3} {pct:5.1f}%   (expected bylines that are names)")
    errors = [(name, err) for name, _, _, err in scores["rows"] if err]
    for name, err in errors:
        print(f"  error {name}: {err}")
    if worst:
        print(f"-- worst {worst} by F1")
        ranked = sorted(
            scores["rows"], key=lambda row: 2 * row[1] * row[2] / (row[1] + row[2] or 1)
        )
        for name, p, r, _ in ranked[:worst]:
            f = 2 * p * r / (p + r) if p + r else 0.0
            print(f"  {name:<40} F1 {f:.3f}  P {p:.3f}  R {r:.3f}")


def main(argv: list[str] | None = None) -> int:
    """Score ours (and with --baseline bare readability-lxml); print the figures."""
    if hasattr(signal, "SIGPIPE"):  # `| head` ends the output quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--in-process", action="store_true", help="call extract_page directly")
    parser.add_argument("--baseline", action="store_true", help="also score bare readability-lxml")
    parser.add_argument("--worst", type=int, default=0, metavar="N")
    parser.add_argument("--only", help="substring of page names to run (debugging)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    dirs = pages(args.corpus)
    if args.only:
        dirs = [d for d in dirs if args.only in d.name]
    if args.in_process or not cli_available():
        results, elapsed = run_ours_in_process(dirs)
        label = "ours (in-process)"
    else:
        results, elapsed = run_ours_cli(dirs)
        label = "ours (reader extract --format jsonl)"
    ours = score(dirs, results)
    report(label, ours, elapsed, len(dirs), args.worst)
    if args.baseline:
        base_results, base_elapsed = run_baseline(dirs)
        report(
            "bare readability-lxml", score(dirs, base_results), base_elapsed, len(dirs), args.worst
        )
        ours_rate = sum(r.seconds for r in results) or elapsed
        base_rate = sum(r.seconds for r in base_results) or base_elapsed
        print(f"slowdown vs bare readability-lxml: {ours_rate / base_rate:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
