"""Mozilla Readability's test pages: nothing crashes, and the issue-7 quality figures hold.

The figures are those `python bench/extraction.py` prints (same scoring code), asserted
a little below what extraction reaches today, so a regression fails here first.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from reader.ingest.extract import extract_page
from reader.ingest.page import ExtractedPage, IngestError
from reader.ingest.sources import read_page

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction.py"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@cache
def run(corpus: Path) -> tuple[dict[str, ExtractedPage | IngestError], dict[str, Any]]:
    """Extract every page once for all the tests here; score with the bench's code."""
    scoring = bench()
    pages: dict[str, ExtractedPage | IngestError] = {}
    results = {}
    corpus_pages = scoring.mozilla_pages(corpus)
    for item in corpus_pages:
        key = f"{item.corpus}/{item.id}"
        try:
            page = extract_page(read_page(corpus / item.id / "source.html"))
        except IngestError as error:
            pages[item.id] = error
            results[key] = scoring.Result(error=str(error))
        else:
            pages[item.id] = page
            results[key] = scoring.Result(page.text, page.metadata())
    body = scoring.body_score(
        [scoring.score_page(p, results[f"{p.corpus}/{p.id}"]).counts for p in corpus_pages]
    )
    return pages, {"f1": body.f1, "tallies": scoring.metadata_tallies(corpus_pages, results)}


def rate(scores: dict[str, Any], key: str) -> float:
    rate: float = scores["tallies"][key].rate
    return rate


def test_every_page_extracts(corpus_dir: Path) -> None:
    pages, _ = run(corpus_dir)
    assert len(pages) >= 100
    failed = {name: str(p) for name, p in pages.items() if isinstance(p, IngestError)}
    assert not failed


def test_extracted_text_is_clean_and_marks_fit(corpus_dir: Path) -> None:
    pages, _ = run(corpus_dir)
    for name, page in pages.items():
        assert isinstance(page, ExtractedPage)
        for value in (page.title, page.byline, page.site_name, page.published, page.lang):
            assert not CONTROLS.search(value or ""), name
        for block in page.document.blocks:
            text = block.text.replace("\t", "").replace("\n", "")
            assert not CONTROLS.search(text), (name, block.kind)
            for mark in block.marks:
                assert 0 <= mark.start < mark.end <= len(block.text), (name, mark)
                if mark.kind == "link":
                    assert mark.href and not mark.href.lower().startswith(("javascript:", "data:"))


def test_body_f1(corpus_dir: Path) -> None:
    _, scores = run(corpus_dir)
    assert scores["f1"] >= 0.95, scores["f1"]


def test_titles(corpus_dir: Path) -> None:
    _, scores = run(corpus_dir)
    assert rate(scores, "title") >= 0.95


def test_bylines(corpus_dir: Path) -> None:
    # The same people as expected (bench.extraction_scoring.same_author, which no longer
    # cleans the expected byline with reader's own rules): 55 of 76 at stop 35. Mozilla's
    # expected bylines are the page's byline as printed, dates and "Edited by" and all,
    # which no list of names matches ("By Nathan Willis March 25, 2015").
    _, scores = run(corpus_dir)
    assert rate(scores, "author") >= 0.72


def test_languages(corpus_dir: Path) -> None:
    _, scores = run(corpus_dir)
    assert rate(scores, "lang") >= 0.97


def test_site_names(corpus_dir: Path) -> None:
    _, scores = run(corpus_dir)
    assert rate(scores, "site") >= 0.95


def test_published_days(corpus_dir: Path) -> None:
    _, scores = run(corpus_dir)
    assert rate(scores, "date") >= 0.95


# --- the modern benchmark's 500 pages (issue 19) ----------------------------------------


@cache
def run_modern(corpus: Path) -> dict[str, Any]:
    """reader over the modern set as `python -m bench.extraction` runs it, scored alike."""
    scoring = bench()
    pages = scoring.modern_pages(corpus)
    ours = scoring.RUNNERS["ours"]()
    results = {f"{p.corpus}/{p.id}": ours(p) for p in pages}
    scored = [scoring.score_page(p, results[f"{p.corpus}/{p.id}"]) for p in pages]
    return {
        "body": scoring.body_score([s.counts for s in scored]),
        "empty": sum(s.empty for s in scored),
        "tallies": scoring.metadata_tallies(pages, results),
    }


@pytest.fixture
def modern_dir(corpus_dir: Path) -> Path:
    modern = corpus_dir.parent / "modern-pages"
    if not (modern / "ground-truth.json").is_file():
        pytest.skip(f"corpus not found at {modern}")
    return modern


def test_modern_pages_body_and_titles(modern_dir: Path) -> None:
    scores = run_modern(modern_dir)
    assert scores["body"].f1 >= 0.77, scores["body"]
    assert scores["body"].mean_page_f1 >= 0.73, scores["body"]
    assert scores["empty"] <= 3
    assert rate(scores, "title") >= 0.75


def test_modern_authors(modern_dir: Path) -> None:
    # Issue 19 asks for 80%; the same people as the ground truth names (same_author):
    # 214 of 241 at stop 35, 188 before its byline rules.
    scores = run_modern(modern_dir)
    assert rate(scores, "author") >= 0.88
