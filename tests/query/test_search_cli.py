"""`reader search` and `reader list` through click's CliRunner on a real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from reader.cli.search import snippet_text, split_snippet
from reader.models import MATCH_END, MATCH_START

from .conftest import add_annotation, add_article


@pytest.fixture
def db(archive_path: Path) -> Path:
    with Archive(archive_path) as archive:
        first = add_article(
            archive,
            "[bold]Rust[/bold] ownership",
            "The borrow checker keeps memory safe.",
            tags=["rust", "to-read"],
            site_name="Rust Blog",
            published="2024-03-05",
            added_at="2024-06-01T00:00:00",
        )
        add_article(
            archive,
            "Go patterns",
            "Channels and goroutines. The checker is vet.",
            tags=["go"],
            site_name="The Go Blog",
            added_at="2023-02-10T00:00:00",
        )
        add_annotation(archive, first, "memory safe", note="worth\n\nremembering")
    return archive_path


def run(db: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_split_and_style_snippets() -> None:
    snippet = f"a {MATCH_START}café{MATCH_END} b {MATCH_START}x{MATCH_END}"
    assert split_snippet(snippet) == ("a café b x", [(2, 6), (9, 10)])
    text = snippet_text(snippet)
    assert text.plain == "a café b x"
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [
        (2, 6, "bold"),
        (9, 10, "bold"),
    ]
    # Markup-looking page text stays text.
    assert snippet_text("[red]x[/red]").plain == "[red]x[/red]"


def test_search_prints_titles_snippets_and_annotation(db: Path) -> None:
    result = run(db, "search", "checker")
    assert result.exit_code == 0, result.output
    assert "[bold]Rust[/bold] ownership" in result.stdout  # shown as typed, not markup
    assert "Go patterns" in result.stdout
    assert "The borrow checker keeps memory safe." in result.stdout
    assert MATCH_START not in result.stdout and MATCH_END not in result.stdout
    assert "2 of 2 results" in result.stderr
    result = run(db, "search", "remembering")
    assert "memory safe — worth remembering" in result.stdout  # on one line


def test_search_words_with_dashes_are_query_words_not_options(db: Path) -> None:
    result = run(db, "search", "checker", "-goroutines", "-tag:go", "-hello")
    assert result.exit_code == 0, result.output
    assert "ownership" in result.stdout and "Go patterns" not in result.stdout


def test_search_json_gives_raw_fields(db: Path) -> None:
    result = run(db, "search", "memory", "--json")
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(result.stdout)
    assert hit["title"] == "[bold]Rust[/bold] ownership"
    assert hit["tags"] == ["rust", "to-read"]
    assert hit["snippet"] == "The borrow checker keeps memory safe."
    start, end = hit["matches"][0]
    assert hit["snippet"][start:end] == "memory"
    assert hit["annotation"]["exact"] == "memory safe"
    assert hit["annotation"]["note"] == "worth\n\nremembering"  # raw in JSON
    assert hit["annotation_count"] == 1
    assert isinstance(hit["rank"], float)


def test_search_limit(db: Path) -> None:
    result = run(db, "search", "checker", "--limit", "1", "--json")
    assert len(json.loads(result.stdout)) == 1
    assert run(db, "search", "checker", "--limit", "0").exit_code == 2


def test_no_results(db: Path) -> None:
    result = run(db, "search", "zeppelin")
    assert result.exit_code == 0
    assert "No results." in result.stderr


@pytest.mark.parametrize(
    ("query", "where"),
    [("foo:bar", "at character 1"), ('rust "open', "at character 6"), ("is:sleepy", "character 4")],
)
def test_bad_query_is_one_line_and_exit_2(db: Path, query: str, where: str) -> None:
    for command in ("search", "list"):
        result = run(db, command, query)
        assert result.exit_code == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and where in lines[0] and "Traceback" not in lines[0]


def test_list_table_and_json(db: Path) -> None:
    result = run(db, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "title", "site", "date", "tags"]
    assert "[bold]Rust[/bold]" in lines[1] and "2024-03-05" in lines[1]
    assert "rust, to-read" in lines[1]
    assert "Go patterns" in lines[2] and "2023-02-10" in lines[2]
    assert "2 articles" in result.stderr
    data = json.loads(run(db, "list", "tag:go", "--json").stdout)
    assert [a["title"] for a in data] == ["Go patterns"]
    assert data[0]["site_name"] == "The Go Blog" and data[0]["tags"] == ["go"]
    everything = json.loads(run(db, "list", "--json").stdout)
    assert [a["id"] for a in everything] == [1, 2]
    assert json.loads(run(db, "list", "nothing-here", "--json").stdout) == []
    assert len(json.loads(run(db, "list", "--json", "--limit", "1").stdout)) == 1


def test_list_pages_through_many_articles(archive_path: Path) -> None:
    with Archive(archive_path) as archive:
        for i in range(1203):
            add_article(
                archive, f"Article {i}", "text", added_at=f"2024-01-01T00:{i // 60:02}:{i % 60:02}"
            )
    data = json.loads(run(archive_path, "list", "--json").stdout)
    assert len(data) == 1203
    assert [a["id"] for a in data] == list(range(1203, 0, -1))


def test_a_big_count_is_shown_as_about_n_and_list_pages_by_key(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.archive import bounds

    monkeypatch.setattr(bounds, "SAMPLE", 10)
    monkeypatch.setattr(bounds, "RANK_ALL", 5)
    with Archive(archive_path) as archive:
        for i in range(60):
            words = "common often" if i % 2 else "common"
            add_article(archive, f"T{i}", words, added_at=f"2024-01-01T00:{i:02d}:00")
    result = run(archive_path, "search", "often", "--limit", "3")
    assert result.exit_code == 0
    assert "3 of about " in result.stderr
    monkeypatch.setattr("reader.cli.search.PAGE", 7)
    result = run(archive_path, "list", "--json")
    listed = [row["title"] for row in json.loads(result.stdout)]
    assert listed == [f"T{i}" for i in range(59, -1, -1)]
