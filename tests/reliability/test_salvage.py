"""Recovery as a property: whatever pages of an archive's data are damaged, `recover`
makes an archive that checks clean, in which every article is either saved (with its
own text, when SQLite could see the damage) or named as lost; and the walk past damaged
pages reads every row that is not on one."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.archive.salvage import TableWalk, walk
from reader.importer.recover import recover_archive

from .damage import Pristine, build_archive, damage, digest, pages_of

# The b-trees that hold an archive's data or name its articles. The title index is left
# whole: it names every article, so a lost one can always be named.
DATA = (
    "articles",
    "sources",
    "annotations",
    "article_tags",
    "tags",
    "articles_added",
    "sources_article",
    "annotations_article",
    "article_tags_tag",
    "settings",
)


@pytest.fixture(scope="module")
def pristine_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pristine]:
    path = tmp_path_factory.mktemp("pristine") / "archive.db"
    return path, build_archive(path)


@pytest.fixture(scope="module")
def data_pages(pristine_archive: tuple[Path, Pristine]) -> list[int]:
    return sorted({page for name in DATA for page in pages_of(pristine_archive[0], name)})


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_recover_saves_every_article_or_names_it_lost(
    pristine_archive: tuple[Path, Pristine], data_pages: list[int], data: st.DataObject
) -> None:
    source, pristine = pristine_archive
    pages = data.draw(st.lists(st.sampled_from(data_pages), min_size=1, max_size=6, unique=True))
    whole = data.draw(st.booleans(), label="whole pages")
    seed = data.draw(st.integers(0, 2**16), label="seed")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "archive.db"
        shutil.copyfile(source, db)
        damage(db, pages, seed, whole=whole)
        before = digest(db)
        dest = Path(folder) / "recovered.db"
        with Archive(db, readonly=True) as archive:
            report = recover_archive(archive, dest)
        assert digest(db) == before
        with Archive(dest) as recovered:
            assert recovered.check() == []
            saved = set(recovered.iter_article_ids())
            lost = {article.id for article in report.lost_articles}
            assert saved.isdisjoint(lost)
            assert saved | lost == set(pristine.texts)
            if whole:  # damage SQLite sees: nothing garbled is passed off as saved
                for article_id in saved:
                    article = recovered.get_article(article_id)
                    assert article is not None
                    assert article.text == pristine.texts[article_id]


def test_the_walk_reads_every_row_not_on_a_damaged_page(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    """Leaf pages of the articles table overwritten: the walk returns exactly the rows
    on the other pages, and names the lost ones (their keys, through the indexes)."""
    source, pristine = pristine_archive
    db = tmp_path / "archive.db"
    shutil.copyfile(source, db)
    leaves = pages_of(db, "articles", "leaf")
    damaged = [leaves[1], leaves[len(leaves) // 2]]
    rows_before = _rows_by_leaf(db)
    lost = {key for page in damaged for key in rows_before[page]}
    damage(db, damaged, seed=7)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found: list[TableWalk] = []
    read = {row[0] for row in walk(conn, "articles", ["id"], found)}
    conn.close()
    assert read == set(pristine.texts) - lost
    assert set(found[0].lost_keys(set(pristine.texts))) == lost


def _rows_by_leaf(db: Path) -> dict[int, set[int]]:
    """The rowids each leaf page of the articles table holds (read before damage)."""
    conn = sqlite3.connect(db)
    try:
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = db.read_bytes()
    return {
        page: set(_leaf_rowids(data[(page - 1) * size : page * size]))
        for page in pages_of(db, "articles", "leaf")
    }


def _leaf_rowids(page: bytes) -> list[int]:
    """The rowids in a table b-tree leaf page (SQLite's file format, section 1.6)."""
    cells = int.from_bytes(page[3:5], "big")
    keys = []
    for index in range(cells):
        offset = int.from_bytes(page[8 + 2 * index : 10 + 2 * index], "big")
        _, offset = _varint(page, offset)  # payload size
        rowid, _ = _varint(page, offset)
        keys.append(rowid)
    return keys


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value = 0
    for index in range(9):
        byte = data[offset + index]
        if index == 8:
            return (value << 8) | byte, offset + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + index + 1
    raise AssertionError("unreachable")
