"""Schema v2: the text stored once (blocks hold structure over it), counts kept by
triggers, and the migration that rewrites an archive in place, resumable when killed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from reader.archive import SCHEMA_VERSION, Archive
from reader.archive.schema import MIGRATIONS, backup_path, counted
from reader.document import Block, Document
from reader.document.model import Mark

ROOT = Path(__file__).resolve().parents[2]


def document(i: int) -> Document:
    return Document(
        (
            Block("heading", f"Heading {i}", level=2),
            Block("paragraph", f"Paragraph {i}, with *marks*.", marks=(Mark("em", 15, 22),)),
            Block("rule"),
            Block("code", "a\n\nb", lang="py"),
            Block("table", "x\ty\n1\t2", rows=(("x", "y"), ("1", "2"))),
            Block("figure", "", alt="alt", src="https://example.com/i.png"),
        )
    )


def make_v1_archive(path: Path, n: int) -> None:
    """An archive of `n` articles as schema v1 stored them (the text inside the blocks)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("BEGIN")
    for i in range(1, n + 1):
        doc = document(i)
        blocks = json.dumps([b.to_dict() for b in doc.blocks])
        conn.execute(
            "INSERT INTO articles(id, title, added_at, updated_at, blocks, text, read_at,"
            " starred) VALUES (?, ?, '2024-01-01', '2024-01-01', ?, ?, ?, ?)",
            (i, f"Article {i}", blocks, doc.text, "2024-02-01" if i % 2 else None, i % 3 == 0),
        )
        conn.execute(
            'INSERT INTO annotations(article_id, start, "end", exact, created_at, updated_at)'
            " VALUES (?, 0, 7, 'Heading', '2024', '2024')",
            (i,),
        )
    conn.execute("COMMIT")
    conn.close()


def test_the_document_is_stored_as_structure_over_its_text() -> None:
    doc = document(1)
    stored = doc.to_json()
    assert "Paragraph 1" not in stored and "x\\ty" not in stored  # no second copy
    assert Document.from_json(stored, doc.text) == doc
    # The first format (text inside) still reads, without the text.
    assert Document.from_json(json.dumps([b.to_dict() for b in doc.blocks])) == doc


def test_blocks_that_do_not_cover_the_text_are_refused() -> None:
    doc = document(1)
    stored = doc.to_json()
    for text in (doc.text[:-1], doc.text + "x", doc.text.replace("\n\n", "\n.", 1)):
        try:
            Document.from_json(stored, text)
        except ValueError:
            continue
        raise AssertionError(f"read blocks over the wrong text: {text!r}")


def test_a_v1_archive_is_migrated_with_its_text_and_offsets_intact(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    make_v1_archive(path, 30)
    with Archive(path) as archive:
        for i in (1, 17, 30):
            article = archive.get_article(i)
            assert article.document == document(i) and article.text == document(i).text
        assert archive.conn.execute(
            "SELECT count(*) FROM articles WHERE substr(blocks, 1, 1) = '['"
        ).fetchone() == (0,)
        assert archive.sidebar_counts() == {
            "all": 30,
            "unread": 15,
            "starred": 10,
            "archived": 0,
            "annotated": 30,
            "missing": 0,
        }
        assert archive.check() == []
        # detect_fts: the declaration names its content table in double quotes.
        (sql,) = archive.conn.execute(
            "SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'"
        ).fetchone()
        assert 'content="articles"' in sql
        assert archive.db["articles"].detect_fts() == "articles_fts"
        assert [row["id"] for row in archive.db["articles"].search("Paragraph 17")] == [17]
    assert backup_path(path, 1).exists()


_MIGRATE_SLOWLY = textwrap.dedent(
    """
    import sys, time
    from reader.archive import Archive, schema
    from reader.document import model

    schema.BATCH_ROWS = 3
    to_json = model.Document.to_json

    def slow(self):
        print("converted", flush=True)
        time.sleep(0.02)
        return to_json(self)

    model.Document.to_json = slow
    Archive(sys.argv[1]).close()
    """
)


def rows_of(path: Path) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()
        return version, conn.execute("SELECT * FROM articles ORDER BY id").fetchall()


def test_a_killed_migration_goes_on_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    make_v1_archive(path, 60)
    original = rows_of(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _MIGRATE_SLOWLY, str(path)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    for _ in range(12):  # four batches of three converted
        assert child.stdout.readline() == "converted\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        converted = conn.execute(
            "SELECT count(*) FROM articles WHERE substr(blocks, 1, 1) = '{'"
        ).fetchone()[0]
    assert 9 <= converted < 60
    backup = backup_path(path, 1)
    assert rows_of(backup) == original  # the copy made before anything changed
    with Archive(path) as archive:  # run again: it finishes
        assert archive.conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert all(archive.get_article(i).document == document(i) for i in range(1, 61))
        assert archive.check() == []
        assert archive.get_setting("migration.backup") is None
    assert rows_of(backup) == original  # and kept the first backup, not a half one


def test_counts_follow_every_change(tmp_path: Path, page) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        ids = [archive.add_article(*page(f"Article {i}"), tags=["a", "B"]) for i in range(6)]
        archive.add_tags(ids[:2], ["c"])
        archive.remove_tags(ids[1:3], ["a"])
        archive.set_read(ids[0], True)
        archive.set_read(ids[0], True)
        archive.set_starred(ids[1], True)
        archive.set_archived(ids[2], True)
        archive.set_read(ids[3], True)
        archive.set_read(ids[3], False)
        note = archive.add_article_note(ids[4], "a note")
        archive.add_article_note(ids[4], "another")
        archive.add_article_note(ids[5], "one")
        archive.delete_annotation(note)
        archive.rename_tag("c", "C2")
        archive.merge_tags("B", "a")
        archive.delete_article(ids[5])
        archive.delete_tag("C2")
        kept = dict(archive.conn.execute("SELECT name, n FROM counts"))
        assert kept == counted(archive.conn)
        assert archive.sidebar_counts() == {
            "all": 5,
            "unread": 4,
            "starred": 1,
            "archived": 1,
            "annotated": 1,
            "missing": 0,
        }
        assert {t.name: t.count for t in archive.tag_counts()} == {"a": 5}


def test_check_finds_counts_out_of_step_and_repair_sets_them(tmp_path: Path, page) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        archive.add_article(*page())
        with archive.write() as conn:
            conn.execute("UPDATE counts SET n = 7 WHERE name = 'all'")
        problems = archive.check()
        assert any("counts" in problem for problem in problems)
        archive.rebuild_search_index()
        assert archive.check() == [] and archive.sidebar_counts()["all"] == 1
