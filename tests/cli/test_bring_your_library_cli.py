"""The round trip of issue 21 through the CLI, in both orders: a Pocket export (missing
pages, quotes waiting) and the pages saved later (filled, quotes anchored on the page's
own characters although the export curls its apostrophes), or the pages first and the
export merged into them; and importing the export again changes nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.importer.pages import article_html

CSV = (
    "title,url,time_added,tags,status\n"
    "Slow Software,https://essays.example.org/slow-software,1700000000,software|essays,unread\n"
    '"Tides, and how to read them",https://tides.example.com/read,1600000000,,archive\n'
)
ANNOTATIONS = [
    {
        "url": "https://essays.example.org/slow-software?utm_source=pocket",
        "title": "Slow Software",
        "highlights": [
            {"quote": "Readers don’t wait for software", "created_at": 1700000100},
            {"quote": "A sentence the page never had in it at all", "created_at": 1700000200},
        ],
    }
]
PARAGRAPHS = (
    "Readers don't wait for software. They open a page and expect it to be there, and"
    " every layer between the click and the words adds latency nobody measures.",
    "Measure first, then cut: most of the time is spent where nobody looked.",
)


def run(db: Path, *args: str) -> Result:
    from reader.cli import main

    return CliRunner().invoke(main, ["--db", str(db), *args], env={"COLUMNS": "120"})


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    export = tmp_path / "pocket.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("part_000000.csv", CSV)
        archive.writestr("annotations/part_000000.json", json.dumps(ANNOTATIONS))
    page = tmp_path / "saved" / "slow.html"
    page.parent.mkdir()
    html = article_html(
        "Slow software, fast readers",
        PARAGRAPHS,
        url="https://www.essays.example.org/slow-software/",
    )
    page.write_text(html)
    return {"export": export, "page": page}


def highlights(db: Path) -> list[dict[str, object]]:
    result = run(db, "annotations", "--json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = []
    for article in json.loads(result.output):
        found += article["annotations"]
    return found


def test_export_first_then_the_page(tmp_path: Path, files: dict[str, Path]) -> None:
    db = tmp_path / "archive.db"
    first = run(db, "import", str(files["export"]))
    assert first.exit_code == 0, first.output
    assert "Pocket (" in first.output and "2 articles new" in first.output
    assert "2 missing pages; 0 highlights anchored, 2 waiting" in first.output
    missing = json.loads(run(db, "list", "--json", "is:missing").output)
    assert {row["url"] for row in missing} == {
        "https://essays.example.org/slow-software",
        "https://tides.example.com/read",
    }
    filled = run(db, "import", str(files["page"]))
    assert "filled 1 missing page (1 waiting highlight anchored, 1 still waiting)" in filled.output
    assert len(json.loads(run(db, "list", "--json").output)) == 2  # never a second article
    placed = [h for h in highlights(db) if not h["orphaned"]]
    assert [h["exact"] for h in placed] == ["Readers don't wait for software"]  # the page's own
    again = run(db, "import", str(files["export"]))
    assert "0 articles new, 2 unchanged" in again.output
    assert len(highlights(db)) == 2


def test_the_page_first_then_the_export(tmp_path: Path, files: dict[str, Path]) -> None:
    db = tmp_path / "archive.db"
    assert run(db, "import", str(files["page"])).exit_code == 0
    merged = run(db, "import", str(files["export"]))
    assert "1 articles new" not in merged.output and "1 article new, 1 merged" in merged.output
    assert "1 highlight anchored, 1 waiting" in merged.output
    rows = json.loads(run(db, "list", "--json").output)
    slow = next(row for row in rows if not row["missing"])
    assert slow["tags"] == ["essays", "software"] and slow["title"] == "Slow software, fast readers"
    assert slow["added_at"].startswith("2023-11-14")  # the export's earlier saved time
    placed = [h for h in highlights(db) if not h["orphaned"]]
    assert [h["exact"] for h in placed] == ["Readers don't wait for software"]
