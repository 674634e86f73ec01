"""A damaged full-text index (FTS5's own data garbled; the tables whole): `check` names it,
`check --repair` rebuilds it; meanwhile search fails in one line that says so, and
delete either works or fails in one line having lost nothing."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive, SearchIndexError
from reader.cli import main

from .damage import WORDS, Pristine, build_archive

INDEX_DAMAGED = "the search index is damaged: run `reader check --repair`"


@pytest.fixture(scope="module")
def pristine_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pristine]:
    path = tmp_path_factory.mktemp("pristine") / "archive.db"
    return path, build_archive(path)


def garble(db: Path, index: str) -> None:
    """Overwrite FTS5's segments (not its structure record, id 10) with random bytes."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(f"UPDATE {index}_data SET block = randomblob(length(block)) WHERE id > 10")
    conn.close()


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture(params=["articles_fts", "annotations_fts"])
def damaged(
    request: pytest.FixtureRequest, pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> tuple[Path, str]:
    db = tmp_path / "archive.db"
    shutil.copyfile(pristine_archive[0], db)
    garble(db, request.param)
    return db, request.param


def test_search_says_in_one_line_that_the_index_is_damaged(damaged: tuple[Path, str]) -> None:
    db, _ = damaged
    for args in (["search", WORDS[0]], ["list", WORDS[0]], ["annotations", "note"]):
        result = run(db, *args)
        assert result.exit_code == 1, args
        [line] = result.stderr.splitlines()
        assert line.endswith(INDEX_DAMAGED), line
    assert run(db, "list").exit_code == 0  # what does not need the index still works
    with Archive(db) as archive, pytest.raises(SearchIndexError):
        archive.search(WORDS[0])


def test_check_names_the_index_and_repair_rebuilds_it(
    damaged: tuple[Path, str], pristine_archive: tuple[Path, Pristine]
) -> None:
    db, index = damaged
    check = run(db, "check")
    assert check.exit_code == 1 and check.stdout == ""
    assert f"the search index {index}" in check.stderr
    assert "reader check --repair" in check.stderr and "recover" not in check.stderr
    repair = run(db, "check", "--repair")
    assert repair.exit_code == 0, repair.output
    assert "Rebuilt the search indexes" in repair.stdout and repair.stdout.endswith("ok\n")
    assert run(db, "check").stdout == "ok\n"
    pristine = pristine_archive[1]
    result = run(db, "list", "--json", WORDS[0])
    found = {int(i) for i in re.findall(r'"id": (\d+)', result.stdout)}
    assert found == {i for i, text in pristine.texts.items() if WORDS[0] in text}
    notes = run(db, "annotations", "note")
    assert notes.exit_code == 0 and "note 0" in notes.stdout


def test_delete_loses_nothing_on_a_damaged_index(
    damaged: tuple[Path, str], pristine_archive: tuple[Path, Pristine]
) -> None:
    db, _ = damaged
    pristine = pristine_archive[1]
    wanted = sorted(pristine.texts)[:12]
    result = run(db, "delete", "--yes", *map(str, wanted))
    deleted = {int(i) for i in re.findall(r"#(\d+)", result.stdout)}
    if result.exit_code:
        [error] = result.stderr.splitlines()
        assert INDEX_DAMAGED in error and "not deleted:" in error
        assert deleted | {int(i) for i in re.findall(r"#(\d+)", error)} == set(wanted)
    else:
        assert deleted == set(wanted)
    with Archive(db) as archive:
        kept = set(archive.iter_article_ids())
        assert kept == set(pristine.texts) - deleted
        for article_id in kept:  # untouched, with what belongs to them
            assert archive.get_article(article_id).text == pristine.texts[article_id]
            assert archive.original_of(article_id) is not None
    assert run(db, "check", "--repair").exit_code == 0
    rest = sorted(set(wanted) - deleted)
    assert run(db, "delete", "--yes", *map(str, rest)).exit_code == 0 or not rest
    with Archive(db) as archive:
        assert set(archive.iter_article_ids()) == set(pristine.texts) - set(wanted)
        assert archive.check() == []


def test_a_read_only_archive_names_a_damaged_index_and_repairs_nothing(
    damaged: tuple[Path, str],
) -> None:
    db, index = damaged
    with Archive(db, readonly=True) as archive:
        diagnosis = archive.diagnose()
    assert diagnosis.damaged_indexes == [index]
    assert diagnosis.unchecked  # agreement with the tables needs a writable file
    with Archive(db, readonly=True) as archive, pytest.raises(Exception, match="read-only"):
        archive.rebuild_search_index()
