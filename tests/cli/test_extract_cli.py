"""`reader extract`: the pipeline's output in four formats, no archive touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from reader.cli import main

from ..importer.pages import PARAGRAPHS, article_html, write_page


def run(db: Path, *args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


def json_values(text: str) -> list[dict]:
    """JSON objects one after another (what jq reads)."""
    decoder = json.JSONDecoder()
    values, index = [], 0
    text = text.strip()
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        values.append(value)
        while index < len(text) and text[index].isspace():
            index += 1
    return values


@pytest.fixture
def two(tmp_path: Path) -> list[Path]:
    return [
        write_page(tmp_path, "one.html", "Page one", url="https://example.com/one"),
        write_page(tmp_path, "two.html", "Page two"),
    ]


def test_text_is_title_then_text(archive_path: Path, two: list[Path]) -> None:
    result = run(archive_path, "extract", str(two[0]))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Page one" and lines[1] == ""
    assert PARAGRAPHS[0] in result.stdout and "Home" not in result.stdout
    assert not archive_path.exists()  # no archive made or touched


def test_markdown_is_a_title_heading_then_the_document(archive_path: Path, two: list[Path]) -> None:
    result = run(archive_path, "extract", "--format", "markdown", str(two[0]))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Page one\n\n")
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    assert [t.type for t in tokens][:3] == ["heading_open", "inline", "heading_close"]
    assert PARAGRAPHS[2] in result.stdout


def test_json_has_metadata_blocks_and_text(archive_path: Path, two: list[Path]) -> None:
    result = run(archive_path, "extract", "-f", "json", *map(str, two))
    assert result.exit_code == 0, result.output
    first, second = json_values(result.stdout)
    assert first["path"] == str(two[0]) and first["title"] == "Page one"
    assert first["url"] == "https://example.com/one"
    assert {"byline", "site_name", "published", "lang", "excerpt", "word_count"} <= set(first)
    assert first["blocks"] and all("kind" in block for block in first["blocks"])
    assert PARAGRAPHS[1] in first["text"]
    assert second["title"] == "Page two"


def test_jsonl_is_one_object_a_line(archive_path: Path, two: list[Path]) -> None:
    result = run(archive_path, "extract", "-f", "jsonl", str(two[0].parent), "--jobs", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    objects = [json.loads(line) for line in lines]
    assert [o["title"] for o in objects] == ["Page one", "Page two"]
    assert "blocks" not in objects[0]
    assert set(objects[0]) >= {"path", "title", "url", "lang", "word_count", "text"}


def test_failures_go_to_stderr_and_the_rest_still_prints(
    archive_path: Path, two: list[Path], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run(archive_path, "extract", "-f", "jsonl", str(empty), str(two[1]))
    assert result.exit_code == 1
    assert result.stderr == f"{empty}: empty file\n"
    assert json.loads(result.stdout)["title"] == "Page two"


def test_standard_input_and_max_size(archive_path: Path) -> None:
    data = article_html("From a pipe").encode()
    result = run(archive_path, "extract", "-", input=data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("From a pipe\n")
    result = run(archive_path, "extract", "-", "--max-size", "100", input=data)
    assert result.exit_code == 1 and "--max-size" in result.stderr


def test_no_files_is_a_usage_error(archive_path: Path) -> None:
    assert run(archive_path, "extract").exit_code == 2
    assert run(archive_path, "extract", "x.html", "--format", "pdf").exit_code == 2
