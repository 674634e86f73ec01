"""Highlight tags from the command line: `reader highlight --tag`, `reader annotation
edit --tag/--untag`, `reader annotations` filtered by color:/htag: and showing tags,
`reader export` with the same words, and a backup that carries tags through a restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main

from .test_annotations_cli import FIRST, SECOND, make_page


@pytest.fixture
def db(archive_path: Path) -> Path:
    with Archive(archive_path) as archive:
        archive.add_article(*make_page("Rust ownership", FIRST, "https://a.example/1"))
        archive.add_article(*make_page("Second", SECOND, "https://b.example/2"))
    return archive_path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def tags_of(db: Path, annotation_id: int) -> tuple[str, ...]:
    with Archive(db) as archive:
        annotation = archive.get_annotation(annotation_id)
        assert annotation is not None
        return annotation.tags


def highlight(db: Path, *args: str) -> int:
    result = run(db, "highlight", *args)
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip())


def test_highlight_tags_from_options_and_note(db: Path) -> None:
    made = highlight(db, "1", "memory safe", "--tag", "rust", "-t", "#to-read", "-n", "#idea")
    assert tags_of(db, made) == ("idea", "rust", "to-read")


def test_a_bad_tag_is_one_line_and_nothing_is_made(db: Path) -> None:
    result = run(db, "highlight", "1", "memory safe", "--tag", "two words")
    assert result.exit_code == 1
    assert "not a highlight tag" in result.stderr and "Traceback" not in result.output
    with Archive(db) as archive:
        assert archive.annotations_for(1) == []


def test_annotation_edit_tags_and_untags(db: Path) -> None:
    made = highlight(db, "1", "memory safe", "--tag", "a")
    result = run(db, "annotation", "edit", str(made), "--tag", "b", "--untag", "A")
    assert result.exit_code == 0, result.output
    assert "its tags: #b" in result.stderr
    assert tags_of(db, made) == ("b",)
    result = run(db, "annotation", "edit", str(made), "--note", "now #c")
    assert result.exit_code == 0 and tags_of(db, made) == ("b", "c")


def test_an_article_note_takes_no_tags_from_the_cli(db: Path) -> None:
    note = int(run(db, "note", "1", "a note").stdout)
    result = run(db, "annotation", "edit", str(note), "--tag", "x")
    assert result.exit_code == 1 and "tags are the article's" in result.stderr


@pytest.fixture
def tagged(db: Path) -> dict[str, int]:
    return {
        "yellow": highlight(db, "1", "memory safe", "--tag", "idea"),
        "blue": highlight(db, "1", "never sleeps", "-c", "blue", "--tag", "idea", "-t", "x"),
        "pink": highlight(db, "2", "Nothing else", "-c", "pink"),
    }


def listed(db: Path, *query: str) -> list[int]:
    result = run(db, "annotations", "--json", *query)
    assert result.exit_code == 0, result.output
    return [a["id"] for article in json.loads(result.stdout) for a in article["annotations"]]


def test_annotations_filter_by_colour_and_tag(db: Path, tagged: dict[str, int]) -> None:
    run(db, "note", "1", "an article note")
    assert listed(db, "color:blue") == [tagged["blue"]]
    assert listed(db, "htag:idea") == [tagged["yellow"], tagged["blue"]]
    assert listed(db, "htag:idea", "-htag:x") == [tagged["yellow"]]
    assert listed(db, "-color:pink", "htag:x") == [tagged["blue"]]
    assert len(listed(db)) == 4  # no filter: the article note too


def test_annotations_show_tags_and_a_bad_colour_is_a_usage_error(
    db: Path, tagged: dict[str, int]
) -> None:
    result = run(db, "annotations", "htag:x")
    assert result.exit_code == 0
    assert "#idea #x" in result.stdout
    result = run(db, "annotations", "--json", "htag:x")
    assert json.loads(result.stdout)[0]["annotations"][0]["tags"] == ["idea", "x"]
    result = run(db, "annotations", "color:red")
    assert result.exit_code == 2
    assert "color: expects one of yellow, green, blue, pink, not 'red'" in result.stderr


def test_export_takes_the_same_words(db: Path, tagged: dict[str, int]) -> None:
    result = run(db, "export", "--out", "-", "color:blue")
    assert result.exit_code == 0, result.output
    assert "never sleeps" in result.stdout and "memory safe" not in result.stdout
    assert "#idea #x" in result.stdout
    result = run(db, "export", "--out", "-", "htag:idea")
    assert "memory safe" in result.stdout and "Nothing else" not in result.stdout
    result = run(db, "export", "--out", "-", "color:mauve")
    assert result.exit_code == 1 and "color:" in result.stderr


def test_a_backup_carries_highlight_tags(db: Path, tagged: dict[str, int], tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert run(db, "export", "--format", "json", "--out", str(backup)).exit_code == 0
    records = json.loads(backup.read_text())["articles"][0]["annotations"]
    assert [r.get("tags") for r in records] == [["idea"], ["idea", "x"]]
    fresh = tmp_path / "fresh.db"
    with Archive(fresh) as archive:
        archive.add_article(*make_page("Rust ownership", FIRST, "https://a.example/1"))
        archive.add_article(*make_page("Second", SECOND, "https://b.example/2"))
    result = run(fresh, "import-annotations", str(backup))
    assert result.exit_code == 0, result.output
    restored = json.loads(run(fresh, "annotations", "--json").stdout)
    tags = {a["exact"]: a["tags"] for article in restored for a in article["annotations"]}
    assert tags == {"memory safe": ["idea"], "never sleeps": ["idea", "x"], "Nothing else": []}
    # Restored again into the same archive: present, its tags kept, none doubled.
    assert run(fresh, "import-annotations", str(backup)).exit_code == 0
    with Archive(fresh) as archive:
        assert archive.conn.execute("SELECT count(*) FROM highlight_tags").fetchone() == (3,)
