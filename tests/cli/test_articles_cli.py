"""`reader show`, `delete`, `reindex`, `check`, `optimize`, `backup` on a real archive."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main
from reader.importer import import_paths

from ..importer.pages import PARAGRAPHS, write_page


def run(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


@pytest.fixture
def db(archive_path: Path, tmp_path: Path) -> Path:
    """Two articles; the first tagged, with a highlight and a note."""
    with Archive(archive_path) as archive:
        import_paths(
            archive,
            [
                write_page(tmp_path, "a.html", "[bold]First[/bold] article", url="https://e.com/a"),
                write_page(tmp_path, "b.html", "Second article"),
            ],
            jobs=1,
            tags=["demo"],
        )
        text = archive.get_article(1).text
        start = text.index("Readability")
        archive.add_highlight(1, start, start + 20, note="a note")
        archive.add_article_note(1, "overall")
    return archive_path


def test_show_markdown(db: Path) -> None:
    result = run(db, "show", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# \\[bold\\]First\\[/bold\\] article\n")
    assert "\n<https://e.com/a>  \n" in result.stdout and "tags: demo" in result.stdout
    assert PARAGRAPHS[1] in result.stdout


def test_show_text_and_json(db: Path) -> None:
    text = run(db, "show", "2", "--format", "text")
    assert text.exit_code == 0
    assert text.stdout.startswith("Second article\n\n")
    data = json.loads(run(db, "show", "1", "-f", "json").stdout)
    assert data["id"] == 1 and data["title"] == "[bold]First[/bold] article"
    assert data["tags"] == ["demo"] and data["blocks"] and PARAGRAPHS[0] in data["text"]
    highlight, note = data["annotations"]
    assert highlight["note"] == "a note" and highlight["exact"].startswith("Readability")
    assert note["start"] is None and note["note"] == "overall"


def test_show_unknown_id(db: Path) -> None:
    result = run(db, "show", "99")
    assert result.exit_code == 1 and "no article #99" in result.stderr


def test_delete_without_a_terminal_needs_no_confirmation(db: Path) -> None:
    result = run(db, "delete", "1")
    assert result.exit_code == 0, result.output
    assert "Deleted 1 article (#1)" in result.stdout
    with Archive(db) as archive:
        assert archive.iter_article_ids() == [2]
        assert archive.check() == []


def test_delete_asks_in_a_terminal(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.cli.articles as articles

    monkeypatch.setattr(articles, "interactive", lambda: True)
    refused = run(db, "delete", "1", input="n\n")
    assert refused.exit_code == 1 and "Nothing deleted" in refused.stderr
    assert "and its 2 annotations" in refused.stdout
    confirmed = run(db, "delete", "1", "2", input="y\n")
    assert confirmed.exit_code == 0 and "Deleted 2 articles" in confirmed.stdout
    yes = run(db, "delete", "1", "--yes")
    assert yes.exit_code == 1 and "no article #1" in yes.stderr


def test_reindex_reports_highlights(db: Path) -> None:
    result = run(db, "reindex")
    assert result.exit_code == 0, result.output
    assert "Reindexed 2 articles, 0 failed" in result.stdout
    assert "1 highlight re-anchored (0 moved), 0 orphaned" in result.stdout
    with Archive(db) as archive:
        assert archive.get_article(1).title == "[bold]First[/bold] article"
        assert len(archive.annotations_for(1)) == 2


def test_check_ok_and_problems(db: Path) -> None:
    result = run(db, "check")
    assert result.exit_code == 0 and result.stdout == "ok\n"
    conn = sqlite3.connect(db)
    conn.execute('UPDATE annotations SET "end" = 100000 WHERE start IS NOT NULL')
    conn.commit()
    conn.close()
    result = run(db, "check")
    assert result.exit_code == 1 and result.stdout == ""
    assert "annotation 1 of article 1 lies outside its text" in result.stderr


def test_optimize_merges_once(db: Path) -> None:
    searched = run(db, "search", "article")
    result = run(db, "optimize")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Merged the search indexes in ")
    again = run(db, "optimize")
    assert again.exit_code == 0 and again.stdout == "The search indexes were merged already.\n"
    assert run(db, "search", "article").stdout == searched.stdout
    assert run(db, "check").stdout == "ok\n"


def test_optimize_interrupted_says_how_to_go_on(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: Archive, step: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(Archive, "merge_search_indexes", interrupted)
    result = run(db, "optimize")
    assert result.exit_code == 130
    assert "what was merged stays merged; run `reader optimize` again" in result.stderr


def test_backup_refuses_to_overwrite(db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    result = run(db, "backup", str(dest))
    assert result.exit_code == 0, result.output
    with Archive(dest) as copy:
        assert copy.article_count() == 2
    again = run(db, "backup", str(dest))
    assert again.exit_code == 1 and "--force" in again.stderr
    assert run(db, "backup", str(dest), "--force").exit_code == 0
    assert run(db, "backup", str(db), "--force").exit_code == 1


def test_a_mistyped_db_is_not_created(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reader.cli import main

    missing = tmp_path / "archve.db"
    for args in (["show", "1"], ["check"], ["list"], ["tags"], ["backup", str(tmp_path / "b")]):
        result = CliRunner().invoke(main, ["--db", str(missing), *args])
        assert result.exit_code == 1, args
        assert "no archive here" in result.output
    assert not missing.exists()
