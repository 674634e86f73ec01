"""bench/make_service_export.py: a Pocket export reader reads whole, deterministic, whose
quotes are in the matching pages (straight apostrophes there where the export curls them)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from bench.make_service_export import generate
from reader.ingest.services import ServiceItem, detect_export
from reader.ingest.services.pocket import POCKET_ZIP

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def test_the_export_and_its_pages_match(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    stats = generate(tmp_path / "pocket.zip", 120, 60, seed=3, pages=pages)
    assert (stats["items"], stats["highlights"]) == (120, 60)
    assert stats["utm_urls"] > 0 and stats["curly_quotes"] > 0
    assert detect_export(tmp_path / "pocket.zip") is POCKET_ZIP
    results = list(POCKET_ZIP.read(tmp_path / "pocket.zip"))
    assert all(isinstance(result, ServiceItem) for result in results)
    items = [result for result in results if isinstance(result, ServiceItem)]
    assert len(items) == 120
    assert sum(len(item.highlights) for item in items) == 60
    texts = {}
    for page in pages.iterdir():
        text = html.unescape(page.read_text())
        match = CANONICAL.search(text)
        assert match
        texts[match.group(1)] = text
    assert len(texts) == 120
    curled = 0
    for item in items:
        assert item.url
        text = texts[item.url.split("?")[0]]  # a utm_ variant's page has the clean URL
        for quote in item.highlights:
            straight = quote.text.replace("\u2019", "'")
            assert straight in text
            curled += quote.text != straight
    assert curled == stats["curly_quotes"]


def test_the_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a.zip", 50, 20, seed=5)
    generate(tmp_path / "b.zip", 50, 20, seed=5, pages=tmp_path / "pages")
    generate(tmp_path / "c.zip", 50, 20, seed=6)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert (tmp_path / "a.zip").read_bytes() != (tmp_path / "c.zip").read_bytes()


def test_the_services_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.services import main

    assert main(["--items", "50", "--highlights", "20", "--round-trip", "10"]) == 0
    table = capsys.readouterr().out
    assert "50 articles, 50 missing pages, 20 highlights waiting" in table
    assert "10 saved pages filling their missing pages" in table
    assert "4 highlights anchored, 0 still waiting, 0 pages still missing" in table
