"""Extraction quality and speed on two corpora, reader beside the libraries it competes with.

    python bench/extraction.py                      # both corpora, all three extractors
    python bench/extraction.py --corpus modern      # one corpus
    python bench/extraction.py --extractors ours    # ours only (no comparison columns)
    python bench/extraction.py --worst 20           # our 20 lowest pages on the modern set
    python bench/extraction.py --save a.json        # per-page scores, for --compare later
    python bench/extraction.py --compare a.json     # pages whose F1 moved by > 0.05
    python bench/extraction.py --cache              # reuse the baselines' output (dev loop)
    python bench/extraction.py --before main        # also reader as commit `main` has it

The corpora (never copied into the repository; a missing one is skipped):
`../shared/corpora/readability-pages/` (Mozilla Readability's 130 test pages, expected
HTML and metadata) and `../shared/corpora/modern-pages/` (500 pages of 2025-26 from the
web-content-extraction benchmark: ground-truth body, title, author, date, must-have and
must-not-have snippets, page type). The extractors, one page at a time, interleaved,
each in a worker process of its own: ours (`ingest_bytes`, what `reader import` runs),
bare readability-lxml (`Document(bytes).summary(html_partial=True)`, `short_title()`)
and trafilatura
(`bare_extraction(bytes, with_metadata=True)`, its defaults otherwise). No extractor is
told the page's URL (a saved file rarely says it). `--before REV` adds reader as that
commit has it (its `reader/` from `git archive`, in a worker of its own fed the same
pages in turn), so a change shows its before and after in one run. Speed is CPU time
(`time.process_time()`) around each call, so other work on the machine does not count.
Scoring: bench/extraction_scoring.py.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extraction_scoring import (  # noqa: E402
    BodyScore,
    Tally,
    body_score,
    html_text,
    page_f1,
    page_site_names,
    same_author,
    same_day,
    same_title,
    snippet_rate,
    squash,
    tp_fp_fn,
)

CORPORA = ROOT.parent / "shared" / "corpora"
MOZILLA = CORPORA / "readability-pages"
MODERN = CORPORA / "modern-pages"
CACHE = ROOT / "bench" / "output" / "extraction-baselines.json"
EXTRACTORS = ("ours", "readability", "trafilatura")
LABELS = {"ours": "reader", "readability": "bare readability-lxml", "trafilatura": "trafilatura"}
TYPE_ORDER = ("article", "forum", "service", "product", "documentation", "listing", "collection")


@dataclass
class Page:
    """One corpus page and what a good extraction of it gives."""

    corpus: str  # "mozilla" | "modern"
    id: str
    data: bytes
    body: str
    page_type: str
    expected: dict[str, Any]  # title, author, published, lang, site_name, url
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)


@dataclass
class Result:
    """What one extractor made of one page."""

    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    cpu: float = 0.0
    wall: float = 0.0


def mozilla_pages(corpus: Path = MOZILLA) -> list[Page]:
    """Mozilla's test pages: expected.html's text, expected-metadata.json."""
    pages = []
    for d in sorted(p for p in corpus.iterdir() if (p / "source.html").is_file()):
        exp = json.loads((d / "expected-metadata.json").read_text(encoding="utf-8"))
        pages.append(
            Page(
                "mozilla",
                d.name,
                (d / "source.html").read_bytes(),
                html_text((d / "expected.html").read_text(encoding="utf-8")),
                "mozilla",
                {
                    "title": exp.get("title") or "",
                    "author": exp.get("byline") or "",
                    "published": exp.get("publishedTime") or "",
                    "lang": exp.get("lang") or "",
                    "site_name": exp.get("siteName") or "",
                },
            )
        )
    return pages


def modern_pages(corpus: Path = MODERN) -> list[Page]:
    """The modern benchmark's pages (pages/ID.html.gz) and ground-truth.json."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, gt in sorted(truth.items()):
        path = corpus / "pages" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        pages.append(
            Page(
                "modern",
                page_id,
                gzip.decompress(path.read_bytes()),
                gt.get("body") or "",
                gt.get("page_type") or "article",
                {k: gt.get(k) or "" for k in ("title", "author", "published", "url")},
                list(gt.get("with") or []),
                list(gt.get("without") or []),
            )
        )
    return pages


# --- the extractors ----------------------------------------------------------------


def _ours() -> Callable[[Page], Result]:
    from reader.ingest.page import IngestError
    from reader.ingest.pipeline import ingest_bytes

    def run(page: Page) -> Result:
        try:
            _, got = ingest_bytes(page.data, f"{page.id}.html", max_size=None)
        except IngestError as error:
            return Result(error=str(error))
        return Result(got.text, got.metadata())

    return run


def _readability() -> Callable[[Page], Result]:
    from readability import Document

    def run(page: Page) -> Result:
        try:
            doc = Document(page.data)
            title = doc.short_title()
            text = html_text(doc.summary(html_partial=True))
        except Exception as error:  # bare readability raises anything
            return Result(error=f"{type(error).__name__}: {error}")
        return Result(text, {"title": title})

    return run


def _trafilatura() -> Callable[[Page], Result]:
    import trafilatura

    def run(page: Page) -> Result:
        found = trafilatura.bare_extraction(page.data, with_metadata=True)
        if found is None or isinstance(found, dict):
            return Result(error="no result")
        doc = found.as_dict()
        meta = {
            "title": doc.get("title") or "",
            "byline": doc.get("author") or "",
            "published": doc.get("date") or "",
            "site_name": doc.get("sitename") or "",
            "lang": doc.get("language") or "",
        }
        return Result(doc.get("text") or "", meta)

    return run


RUNNERS: dict[str, Callable[[], Callable[[Page], Result]]] = {
    "ours": _ours,
    "readability": _readability,
    "trafilatura": _trafilatura,
}


def page_bytes(corpus: str, page_id: str) -> bytes:
    """The saved page `corpus/page_id` as its file holds it (decompressed)."""
    if corpus == "mozilla":
        return (MOZILLA / page_id / "source.html").read_bytes()
    return gzip.decompress((MODERN / "pages" / f"{page_id}.html.gz").read_bytes())


def checkout(rev: str, into: Path) -> Path:
    """`reader/` as commit `rev` has it, unpacked under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "reader"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _worker(name: str, code: Path) -> Callable[[Page], Result]:
    """Extractor `name` in a worker process of its own (`--worker`), with `code`'s
    `reader/` first on its path: one page a request, its result (with the worker's own
    CPU and wall time) a reply. Each extractor has a process to itself, so none pays
    for what another left in memory (their CPU times were 1.4x apart in one process)."""
    worker = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(code), "--run", name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    stdin, stdout = worker.stdin, worker.stdout

    def run(page: Page) -> Result:
        stdin.write(json.dumps([page.corpus, page.id]) + "\n")
        stdin.flush()
        reply = stdout.readline()
        if not reply:
            raise RuntimeError(f"the {name} worker stopped")
        return Result(**json.loads(reply))

    return run


def serve(code: Path, name: str) -> int:
    """A worker: extractor `name` with `code`'s reader first on the path."""
    sys.path.insert(0, str(code))
    run = RUNNERS[name]()
    import reader

    assert Path(reader.__file__).is_relative_to(code), reader.__file__
    for line in sys.stdin:
        corpus, page_id = json.loads(line)
        page = Page(corpus, page_id, page_bytes(corpus, page_id), "", "", {})
        wall, cpu = time.perf_counter(), time.process_time()
        result = run(page)
        result.cpu = time.process_time() - cpu
        result.wall = time.perf_counter() - wall
        print(json.dumps(asdict(result)), flush=True)
    return 0


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {
        "readability": version("readability-lxml"),
        "trafilatura": version("trafilatura"),
    }


def extract_all(
    pages: list[Page],
    names: list[str],
    cached: dict[str, dict[str, Any]],
    before: Path | None = None,
) -> dict[str, dict[str, Result]]:
    """Every extractor on every page, interleaved page by page; CPU and wall time each
    (the `--before` worker's are its own)."""
    runners = {name: _worker(name, ROOT) for name in names}
    if before is not None:
        runners = {"ours": runners.pop("ours"), "before": _worker("ours", before), **runners}
    results: dict[str, dict[str, Result]] = {name: {} for name in runners}
    for page in pages:
        key = f"{page.corpus}/{page.id}"
        for name, run in runners.items():
            if name not in ("ours", "before") and key in cached.get(name, {}):
                results[name][key] = Result(**cached[name][key])
            else:
                results[name][key] = run(page)
    return results


def load_cache() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("results", {}) if data.get("versions") == _versions() else {}


def save_cache(results: dict[str, dict[str, Result]]) -> None:
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    baselines = {
        n: {k: asdict(r) for k, r in rs.items()}
        for n, rs in results.items()
        if n not in ("ours", "before")
    }
    payload = {"versions": _versions(), "results": baselines}
    CACHE.write_text(json.dumps(payload), encoding="utf-8")


# --- scoring and reports ---------------------------------------------------------------


@dataclass
class Scored:
    """One extractor's figures on one page."""

    counts: tuple[float, float, float]
    f1: float
    with_rate: float | None
    without_rate: float | None
    empty: bool


def score_page(page: Page, result: Result) -> Scored:
    text = "" if result.error else result.text
    counts = tp_fp_fn(page.body, text)
    return Scored(
        counts,
        page_f1(counts),
        snippet_rate(text, page.with_),
        snippet_rate(text, page.without),
        not any(ch.isalnum() for ch in text),
    )


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _body(scored: list[Scored]) -> BodyScore:
    return body_score([s.counts for s in scored])


def report_body(pages: list[Page], scores: dict[str, dict[str, Scored]]) -> None:
    rows = []
    for name, by_page in scores.items():
        scored = [by_page[f"{p.corpus}/{p.id}"] for p in pages]
        body = _body(scored)
        rows.append(
            [
                LABELS[name],
                f"{body.f1:.3f} ({body.precision:.3f}, {body.recall:.3f})",
                f"{body.mean_page_f1:.3f}",
                _pct(_mean([s.with_rate for s in scored])),
                _pct(_mean([s.without_rate for s in scored])),
                str(sum(s.empty for s in scored)),
            ]
        )
    header = ["extractor", "F1 (P, R)", "mean page F1", "with", "without", "no text"]
    print(_table(header, rows))


def report_types(pages: list[Page], scores: dict[str, dict[str, Scored]]) -> None:
    types = [t for t in TYPE_ORDER if any(p.page_type == t for p in pages)]
    types += sorted({p.page_type for p in pages} - set(types))
    names = list(scores)
    header = ["page type", "pages", *(f"{LABELS[n]} F1 / page F1" for n in names)]
    if "ours" in scores:
        header.append("reader pages under 0.05")
        if "readability" in scores:
            header.append("reader > 0.05 below readability")
    rows = []
    for page_type in types:
        keys = [f"{p.corpus}/{p.id}" for p in pages if p.page_type == page_type]
        row = [page_type, str(len(keys))]
        for name in names:
            body = _body([scores[name][k] for k in keys])
            row.append(f"{body.f1:.3f} / {body.mean_page_f1:.3f}")
        if "ours" in scores:
            row.append(str(sum(scores["ours"][k].f1 < 0.05 for k in keys)))
            if "readability" in scores:
                row.append(str(sum(_loses(scores, k) for k in keys)))
        rows.append(row)
    print(_table(header, rows))


def _loses(scores: dict[str, dict[str, Scored]], key: str) -> bool:
    return scores["ours"][key].f1 < scores["readability"][key].f1 - 0.05


def metadata_tallies(pages: list[Page], results: dict[str, Result]) -> dict[str, Tally]:
    """Title, author, date (and on Mozilla's pages language and site) against expected."""
    tallies: dict[str, Tally] = {}
    for page in pages:
        result = results[f"{page.corpus}/{page.id}"]
        got, exp = result.meta, page.expected

        def tally(field_name: str, known: object, ok: bool) -> None:
            if known:
                tallies.setdefault(field_name, Tally()).add(page.id, ok)  # noqa: B023

        # The site's names as the page declares them and its domain, not as reader reads
        # them: the expected title is made without the code under test.
        host = _host(exp.get("url")) if page.corpus == "modern" else None
        sites = page_site_names(page.data)
        tally("title", exp["title"], same_title(exp["title"], got.get("title") or "", sites, host))
        tally("author", exp["author"], same_author(exp["author"], got.get("byline")))
        tally("date", exp["published"], same_day(exp["published"], got.get("published")))
        if page.corpus == "mozilla":
            norm = lambda s: (s or "").replace("_", "-").lower()  # noqa: E731
            tally("lang", exp["lang"], norm(exp["lang"]) == norm(got.get("lang")))
            tally(
                "site", exp["site_name"], squash(exp["site_name"]) == squash(got.get("site_name"))
            )
    return tallies


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url or "").hostname or None
    except ValueError:
        return None


def report_metadata(pages: list[Page], results: dict[str, dict[str, Result]]) -> None:
    tallies = {name: metadata_tallies(pages, rs) for name, rs in results.items()}
    fields = list(next(iter(tallies.values())))
    rows = [
        [LABELS[name], *(str(t.get(f, Tally())) for f in fields)] for name, t in tallies.items()
    ]
    print(_table(["extractor", *fields], rows))


def report_speed(pages: list[Page], results: dict[str, dict[str, Result]]) -> None:
    keys = [f"{p.corpus}/{p.id}" for p in pages]
    rows = []
    for name, by_page in results.items():
        cpu = sum(by_page[k].cpu for k in keys)
        wall = sum(by_page[k].wall for k in keys)
        rows.append(
            [
                LABELS[name],
                f"{cpu:.2f} s",
                f"{len(keys) / cpu:.1f}" if cpu else "-",
                f"{wall:.2f} s",
                f"{cpu / sum(results['readability'][k].cpu for k in keys):.2f}x"
                if "readability" in results
                else "-",
            ]
        )
    print(_table(["extractor", "CPU", "pages/s (CPU)", "wall", "CPU vs readability"], rows))


def report_worst(
    pages: list[Page], scores: dict[str, dict[str, Scored]], results: dict, n: int
) -> None:
    ranked = sorted(pages, key=lambda p: scores["ours"][f"{p.corpus}/{p.id}"].f1)
    print(f"\nours' {n} lowest pages:")
    for page in ranked[:n]:
        key = f"{page.corpus}/{page.id}"
        others = "  ".join(
            f"{name} {scores[name][key].f1:.2f}" for name in scores if name != "ours"
        )
        res = results["ours"][key]
        how = res.error or res.meta.get("extractor", "")
        print(
            f"  {page.id} {page.page_type:<13} ours {scores['ours'][key].f1:.2f}  {others}  {how}"
        )


def report_losses(pages: list[Page], scores: dict[str, dict[str, Scored]]) -> None:
    keys = [f"{p.corpus}/{p.id}" for p in pages]
    lost = [k for k in keys if _loses(scores, k)]
    share = len(lost) / len(keys) if keys else 0.0
    print(
        f"\nreader more than 0.05 F1 below bare readability-lxml: {len(lost)} of {len(keys)}"
        f" pages ({100 * share:.1f}%; target <= 2%)"
    )
    for key in lost:
        ours, bare = scores["ours"][key].f1, scores["readability"][key].f1
        print(f"  {key}: ours {ours:.2f}, readability {bare:.2f}")


def compare(
    before: dict[str, float], since: str, scores: dict[str, dict[str, Scored]], pages: list[Page]
) -> None:
    """Pages whose F1 (ours) moved by more than 0.05 from `before` (page key -> F1)."""
    by_key = {f"{p.corpus}/{p.id}": p for p in pages}
    moved = []
    for key, scored in scores["ours"].items():
        old = before.get(key)
        if old is not None and abs(scored.f1 - old) > 0.05:
            moved.append((scored.f1 - old, key))
    print(f"\nmoved since {since}: {len(moved)} pages")
    for delta, key in sorted(moved):
        print(
            f"  {key:<30} {by_key[key].page_type:<13} {delta:+.2f} -> {scores['ours'][key].f1:.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `| head` ends the output quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--corpus", choices=["both", "mozilla", "modern"], default="both")
    parser.add_argument("--extractors", default=",".join(EXTRACTORS))
    parser.add_argument("--only", help="comma-separated page ids (debugging)")
    parser.add_argument("--type", help="only pages of this type (modern corpus)")
    parser.add_argument("--worst", type=int, default=0, metavar="N")
    parser.add_argument("--save", type=Path, help="write ours' per-page F1 here (JSON)")
    parser.add_argument("--compare", type=Path, help="pages that moved since a --save")
    parser.add_argument("--cache", action="store_true", help="reuse the baselines' results")
    parser.add_argument("--before", metavar="REV", help="also reader as commit REV has it")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)  # a worker's code
    parser.add_argument("--run", default="ours", help=argparse.SUPPRESS)  # a worker's extractor
    args = parser.parse_args(argv)
    if args.worker:
        return serve(args.worker, args.run)
    names = [n for n in args.extractors.split(",") if n]
    if unknown := set(names) - set(EXTRACTORS):
        parser.error(f"unknown extractors: {', '.join(sorted(unknown))}")
    if "trafilatura" in names and importlib.util.find_spec("trafilatura") is None:
        print("trafilatura is not installed: left out", file=sys.stderr)
        names.remove("trafilatura")
    if args.before and "ours" not in names:
        parser.error("--before compares with ours: keep ours in --extractors")

    corpora: dict[str, list[Page]] = {}
    if args.corpus in ("both", "mozilla") and MOZILLA.is_dir():
        corpora["mozilla"] = mozilla_pages()
    if args.corpus in ("both", "modern") and MODERN.is_dir():
        corpora["modern"] = modern_pages()
    if not corpora:
        print(f"no corpus found under {CORPORA}", file=sys.stderr)
        return 2
    for label, pages in corpora.items():
        if args.only:
            wanted = set(args.only.split(","))
            pages = [p for p in pages if p.id in wanted]
        if args.type:
            pages = [p for p in pages if p.page_type == args.type]
        corpora[label] = pages
    every = [p for pages in corpora.values() for p in pages]

    cached = load_cache() if args.cache else {}
    with tempfile.TemporaryDirectory(prefix="reader-before-") as scratch:
        before = checkout(args.before, Path(scratch)) if args.before else None
        if args.before:
            LABELS["before"] = f"reader at {args.before}"
        results = extract_all(every, names, cached, before)
    if args.cache:
        save_cache(results)
    scores = {
        name: {f"{p.corpus}/{p.id}": score_page(p, rs[f"{p.corpus}/{p.id}"]) for p in every}
        for name, rs in results.items()
    }
    for label, pages in corpora.items():
        if not pages:
            continue
        title = "Mozilla Readability test pages" if label == "mozilla" else "modern benchmark"
        print(f"\n## {title}: {len(pages)} pages\n")
        report_body(pages, scores)
        if label == "modern":
            print()
            report_types(pages, scores)
        print()
        report_metadata(pages, results)
        print()
        report_speed(pages, results)
        if "ours" in scores and "readability" in scores:
            report_losses(pages, scores)
        if args.worst and "ours" in scores:
            report_worst(pages, scores, results, args.worst)
    if len([p for p in corpora.values() if p]) > 1:
        print(f"\n## both corpora: {len(every)} pages\n")
        report_speed(every, results)
    if "ours" in scores:
        if args.compare:
            compare(
                json.loads(args.compare.read_text(encoding="utf-8")),
                args.compare.name,
                scores,
                every,
            )
        if "before" in scores:
            was = {k: s.f1 for k, s in scores["before"].items()}
            compare(was, LABELS["before"], scores, every)
        if args.save:
            args.save.write_text(
                json.dumps({k: s.f1 for k, s in scores["ours"].items()}), encoding="utf-8"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
