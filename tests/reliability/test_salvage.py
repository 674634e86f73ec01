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


@pytest.fixture(scope="module")
def leaves(pristine_archive: tuple[Path, Pristine]) -> list[tuple[int, set[int]]]:
    """The leaf pages of the articles table with the rowids each holds, in key order:
    damage is chosen by the keys a page holds, not by where it happens to lie."""
    return sorted(_rows_by_leaf(pristine_archive[0]).items(), key=lambda leaf: min(leaf[1]))


def _holding(leaves: list[tuple[int, set[int]]], key: int) -> int:
    return next(index for index, (_, keys) in enumerate(leaves) if key in keys)


# Which leaves (by their index in key order) are damaged.
PICKS = {
    "the first id's and id 15's": lambda leaves: [_holding(leaves, 1), _holding(leaves, 15)],
    "the first and a middle one": lambda leaves: [0, len(leaves) // 2],
    "the first and the last": lambda leaves: [0, len(leaves) - 1],
    "two adjacent": lambda leaves: [len(leaves) // 2, len(leaves) // 2 + 1],
    "every other from the first": lambda leaves: list(range(0, len(leaves), 2)),
    "every other from the second": lambda leaves: list(range(1, len(leaves), 2)),
}


@pytest.mark.parametrize("pick", list(PICKS))
def test_the_walk_reads_every_row_not_on_a_damaged_page(
    pristine_archive: tuple[Path, Pristine],
    leaves: list[tuple[int, set[int]]],
    tmp_path: Path,
    pick: str,
) -> None:
    """Leaf pages of the articles table overwritten: the walk returns exactly the rows
    on the other pages, and names the lost ones (their keys, through the indexes)."""
    _check_walk(pristine_archive, leaves, PICKS[pick](leaves), tmp_path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_walk_reads_every_row_whichever_leaves_are_damaged(
    pristine_archive: tuple[Path, Pristine],
    leaves: list[tuple[int, set[int]]],
    data: st.DataObject,
) -> None:
    indexes = data.draw(st.sets(st.integers(0, len(leaves) - 1), min_size=1), label="leaves")
    with tempfile.TemporaryDirectory() as folder:
        _check_walk(pristine_archive, leaves, sorted(indexes), Path(folder))


def _check_walk(
    pristine_archive: tuple[Path, Pristine],
    leaves: list[tuple[int, set[int]]],
    indexes: list[int],
    folder: Path,
) -> None:
    """Damage the leaves at `indexes` (in key order); the walk reads every other row and
    names exactly the keys on the damaged ones as lost."""
    source, pristine = pristine_archive
    db = folder / "archive.db"
    shutil.copyfile(source, db)
    damaged = [leaves[index][0] for index in indexes]
    lost = {key for index in indexes for key in leaves[index][1]}
    damage(db, damaged, seed=7)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found: list[TableWalk] = []
    try:
        read = {row[0] for row in walk(conn, "articles", ["id"], found)}
    finally:
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
