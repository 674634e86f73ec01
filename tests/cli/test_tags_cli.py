"""`reader tag`, `untag` and `tags` (list, rename, merge, delete) on a real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage


def make_page(title: str, text: str, url: str) -> tuple[ExtractedPage, RawPage]:
    """An (ExtractedPage, RawPage) pair as the ingest pipeline hands to the archive."""
    document = Document((Block("paragraph", text),))
    html = f"<html><body><p>{text}</p>".encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=url)
    return ExtractedPage(document=document, title=title, url=url), raw


@pytest.fixture
def db(archive_path: Path) -> Path:
    with Archive(archive_path) as archive:
        archive.add_article(*make_page("One", "first text", "https://x.example/1"), tags=["rust"])
        archive.add_article(
            *make_page("Two", "second text", "https://x.example/2"), tags=["rust", "Go"]
        )
        archive.add_article(*make_page("Three", "third text", "https://x.example/3"))
    return archive_path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def tags_of(db: Path, article_id: int) -> list[str]:
    with Archive(db) as archive:
        return archive.tags_of(article_id)


def counts(db: Path) -> dict[str, int]:
    return {t["name"]: t["count"] for t in json.loads(run(db, "tags", "--json").stdout)}


def test_tag_adds_names_and_shows_the_articles_tags(db: Path) -> None:
    result = run(db, "tag", "3", "  to   read ", "rust", "RUST")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "#3: rust, to read"
    assert tags_of(db, 3) == ["rust", "to read"]
    assert run(db, "tag", "3", "Rust").exit_code == 0  # case-insensitive: nothing new
    assert tags_of(db, 3) == ["rust", "to read"]


def test_untag_removes_and_reports_names_the_article_did_not_have(db: Path) -> None:
    result = run(db, "untag", "2", "go")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "#2: rust"
    result = run(db, "untag", "2", "rust", "python")
    assert result.exit_code == 1
    assert "article #2 was not tagged 'python'" in result.stderr
    assert tags_of(db, 2) == []
    assert run(db, "untag", "2").exit_code == 2  # no names: usage


def test_tags_lists_with_counts(db: Path) -> None:
    result = run(db, "tags")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1  Go", "2  rust"]
    assert "2 tags" in result.stderr
    assert counts(db) == {"Go": 1, "rust": 2}


def test_tags_on_an_empty_archive(archive_path: Path) -> None:
    Archive(archive_path).close()
    result = run(archive_path, "tags")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No tags." in result.stderr
    assert json.loads(run(archive_path, "tags", "--json").stdout) == []


def test_tag_names_are_text_not_markup(db: Path) -> None:
    assert run(db, "tag", "1", "[bold]x[/bold]").exit_code == 0
    assert "[bold]x[/bold]" in run(db, "tags").stdout


def test_rename_merge_delete(db: Path) -> None:
    result = run(db, "tags", "rename", "rust", "Rust-lang")
    assert result.exit_code == 0, result.output
    assert "Renamed 'rust' to 'Rust-lang'" in result.stderr
    assert counts(db) == {"Go": 1, "Rust-lang": 2}
    assert run(db, "tags", "rename", "go", "GO").exit_code == 0  # a change of case
    result = run(db, "tags", "merge", "GO", "rust-lang")
    assert result.exit_code == 0, result.output
    assert counts(db) == {"Rust-lang": 2}
    assert tags_of(db, 2) == ["Rust-lang"]
    result = run(db, "tags", "delete", "rust-lang")
    assert result.exit_code == 0, result.output
    assert "from 2 articles" in result.stderr
    assert counts(db) == {}
    assert tags_of(db, 1) == []


@pytest.mark.parametrize(
    "args",
    [
        ("tag", "99", "x"),  # unknown article
        ("untag", "99", "x"),
        ("tag", "1", "   "),  # empty name
        ("tag", "1", "x" * 300),  # too long
        ("untag", "1", ""),
        ("tags", "rename", "nope", "other"),  # unknown tag
        ("tags", "rename", "rust", "go"),  # clashes: merge instead
        ("tags", "rename", "", "x"),
        ("tags", "merge", "nope", "rust"),
        ("tags", "merge", "rust", "RUST"),  # the same tag
        ("tags", "delete", "nope"),
    ],
)
def test_refusals_are_one_line_and_exit_1(db: Path, args: tuple[str, ...]) -> None:
    before = counts(db)
    result = run(db, *args)
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("Error: ")
    assert "Traceback" not in result.output
    assert counts(db) == before


@pytest.mark.parametrize(
    "args",
    [("tag", "1"), ("tag", "one", "x"), ("tags", "rename", "a"), ("tags", "frob")],
)
def test_usage_errors_exit_2(db: Path, args: tuple[str, ...]) -> None:
    assert run(db, *args).exit_code == 2
