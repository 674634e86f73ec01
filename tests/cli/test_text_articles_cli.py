"""`reader import` and `reader extract` on plain-text and Markdown articles, and the
data files they refuse, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main

from ..ingest.text_articles import (
    NEWS_CAPTION,
    NEWS_TITLE,
    NEWS_TXT,
    NEWS_URL,
    OBSIDIAN_HIGHLIGHTS,
    OBSIDIAN_MD,
)

REFUSED = (
    "not an article nor an export reader knows"
    " (Pocket, Omnivore, wallabag, Instapaper, Readwise, bookmarks)"
)


def run(db: Path, *args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "news": tmp_path / "news.txt",
        "clip": tmp_path / "clip.md",
        "json": tmp_path / "export.json",
        "csv": tmp_path / "data.csv",
    }
    paths["news"].write_text(NEWS_TXT, encoding="utf-8")
    paths["clip"].write_text(OBSIDIAN_MD, encoding="utf-8")
    paths["json"].write_text('{"list": {}}', encoding="utf-8")
    # A CSV of no service's layout (Pocket's `title,url,time_added` is an export now, #21).
    paths["csv"].write_text("name,amount,when\nA,3,1\n", encoding="utf-8")
    return paths


def test_import_text_and_markdown_refusing_data_files(
    archive_path: Path, files: dict[str, Path]
) -> None:
    result = run(archive_path, "import", *map(str, files.values()), "--jobs", "1", "-t", "mine")
    assert result.exit_code == 1  # two files failed
    assert "Imported 2 articles (#1, #2), 2 failed" in result.stdout
    assert f"{files['json']}: a JSON file, {REFUSED}" in result.stderr
    assert f"{files['csv']}: a CSV file, {REFUSED}" in result.stderr
    with Archive(archive_path) as archive:
        assert archive.get_article(1).title == NEWS_TITLE  # type: ignore[union-attr]
        assert archive.tags_of(2) == ["clippings", "mine", "software"]
        assert [a.exact for a in archive.annotations_for(2)] == list(OBSIDIAN_HIGHLIGHTS)
    again = run(archive_path, "import", str(files["news"]), str(files["clip"]))
    assert again.exit_code == 0
    assert "duplicate of #1" in again.stdout and "duplicate of #2" in again.stdout


def test_search_show_and_export_work_on_them(archive_path: Path, files: dict[str, Path]) -> None:
    run(archive_path, "import", str(files["news"]), str(files["clip"]), "--jobs", "1")
    found = run(archive_path, "search", "ferries", "--json")
    assert [hit["title"] for hit in json.loads(found.stdout)] == [NEWS_TITLE]
    shown = run(archive_path, "show", "1")
    assert shown.exit_code == 0 and NEWS_CAPTION in shown.stdout
    exported = run(archive_path, "export", "--out", "-")
    assert exported.exit_code == 0, exported.output
    for quote in OBSIDIAN_HIGHLIGHTS:
        assert f"> {quote}" in exported.stdout  # the ==marks==, as highlights
    assert "Slow Software, Fast Readers" in exported.stdout


def test_reindex_re_reads_them(archive_path: Path, files: dict[str, Path]) -> None:
    run(archive_path, "import", str(files["news"]), str(files["clip"]), "--jobs", "1")
    result = run(archive_path, "reindex")
    assert result.exit_code == 0, result.output
    assert "2 highlights re-anchored (0 moved), 0 orphaned" in result.stdout


def test_extract_text_and_markdown(archive_path: Path, files: dict[str, Path]) -> None:
    text = run(archive_path, "extract", str(files["news"]))
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith(f"{NEWS_TITLE}\n\n{NEWS_CAPTION}\n\n")
    assert "<u>" not in text.stdout and "Original url" not in text.stdout
    markdown = run(archive_path, "extract", "-f", "markdown", str(files["clip"]))
    assert markdown.stdout.startswith("# Slow Software, Fast Readers\n\n")
    assert "| Tool | Opens in |" in markdown.stdout and "```python" in markdown.stdout
    assert not archive_path.exists()


def test_extract_json_carries_tags_and_highlights(
    archive_path: Path, files: dict[str, Path]
) -> None:
    result = run(archive_path, "extract", "-f", "json", str(files["clip"]))
    data = json.loads(result.stdout)
    assert data["extractor"] == "markdown" and data["tags"] == ["clippings", "software"]
    assert [h["text"] for h in data["highlights"]] == list(OBSIDIAN_HIGHLIGHTS)
    for highlight in data["highlights"]:
        assert data["text"][highlight["start"] : highlight["end"]] == highlight["text"]
    assert data["blocks"][0]["kind"] == "paragraph"


def test_extract_jsonl_of_both_and_a_refusal(archive_path: Path, files: dict[str, Path]) -> None:
    paths = [files["news"], files["clip"], files["json"]]
    result = run(archive_path, "extract", "-f", "jsonl", *map(str, paths))
    assert result.exit_code == 1
    news, clip = (json.loads(line) for line in result.stdout.splitlines())
    assert (news["url"], news["published"], news["byline"]) == (NEWS_URL, "2022-01-10", "Jane Doe")
    assert news["tags"] == [] and news["highlights"] == []
    assert clip["url"] == "https://essays.example.org/slow-software"
    assert result.stderr == f"{files['json']}: a JSON file, {REFUSED}\n"


def test_extract_markdown_from_standard_input(archive_path: Path) -> None:
    result = run(archive_path, "extract", "-f", "jsonl", "-", input=OBSIDIAN_MD.encode())
    assert json.loads(result.stdout)["title"] == "Slow Software, Fast Readers"


def test_import_from_standard_input(archive_path: Path) -> None:
    result = run(archive_path, "import", "-", input=NEWS_TXT.encode())
    assert result.exit_code == 0 and "Imported 1 article (#1)" in result.stdout
