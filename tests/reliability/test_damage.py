"""An archive with damaged pages, made for real (pages overwritten on disk), through every
command: each reports the damage in one line and goes on with the rest; `check` says
what is damaged and how to recover; `recover` saves what can be read into a new archive
and names what it lost; nothing is ever written into the damaged file by a reading
command or by recover.

Each damage pattern picks pages of one b-tree (dbstat says which) or of the whole file
with a fixed seed, overwritten whole (SQLite then finds the damage) or in their middle
only (values change under a b-tree that still holds together).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main

from .damage import (
    WORDS,
    Pristine,
    all_pages_but_schema,
    build_archive,
    choose,
    damage,
    digest,
    pages_of,
)

Pick = Callable[[Path, int], list[int]]

# name -> (which pages, overwritten whole?)
PATTERNS: dict[str, tuple[Pick, bool]] = {
    "article rows": (lambda db, seed: choose(pages_of(db, "articles", "leaf"), 3, seed), True),
    "article texts": (
        lambda db, seed: choose(pages_of(db, "articles", "overflow"), 4, seed),
        True,
    ),
    "article bytes": (
        lambda db, seed: choose(pages_of(db, "articles", "overflow"), 4, seed),
        False,
    ),
    "the articles table's root": (lambda db, seed: pages_of(db, "articles", "internal"), True),
    "originals": (lambda db, seed: choose(pages_of(db, "sources", "overflow"), 3, seed), True),
    "original bytes": (
        lambda db, seed: choose(pages_of(db, "sources", "overflow"), 3, seed),
        False,
    ),
    "annotations": (lambda db, seed: pages_of(db, "annotations"), True),
    "tags": (lambda db, seed: pages_of(db, "article_tags"), True),
    "the list's index": (lambda db, seed: pages_of(db, "articles_added"), True),
    "the search index": (
        lambda db, seed: choose(pages_of(db, "articles_fts_data", "leaf"), 3, seed),
        True,
    ),
    **{
        f"anywhere, seed {seed}": (
            lambda db, seed: choose(all_pages_but_schema(db), 5, seed),
            True,
        )
        for seed in range(4)
    },
}
SEEDS = {name: index + 1 for index, name in enumerate(PATTERNS)}


@pytest.fixture(scope="module")
def pristine_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pristine]:
    path = tmp_path_factory.mktemp("pristine") / "archive.db"
    return path, build_archive(path)


def damaged_copy(pristine_archive: tuple[Path, Pristine], tmp_path: Path, name: str) -> Path:
    source, _ = pristine_archive
    db = tmp_path / "archive.db"
    shutil.copyfile(source, db)
    pick, whole = PATTERNS[name]
    seed = SEEDS[name]
    pages = pick(db, seed)
    assert pages, name
    damage(db, pages, seed, whole=whole)
    return db


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.output,
        result.exception,
    )
    assert "Traceback" not in result.output, (args, result.output)
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) <= 1, (args, result.stderr)
    return result


def listed_ids(result: Result) -> set[int]:
    return {int(m) for m in re.findall(r"^\s*(\d+) ", result.stdout, re.MULTILINE)}


def named_ids(text: str) -> set[int]:
    return {int(m) for m in re.findall(r"#(\d+)", text)}


@pytest.mark.parametrize("name", list(PATTERNS))
def test_every_command_reports_damage_in_one_line_and_goes_on(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path, name: str
) -> None:
    db = damaged_copy(pristine_archive, tmp_path, name)
    _, pristine = pristine_archive
    whole = PATTERNS[name][1]
    before = digest(db)

    check = run(db, "check")
    if whole:  # SQLite's own promise: damage is detected
        assert check.exit_code == 1 and check.stdout == ""
    if check.exit_code == 1:
        assert (
            "reader recover" in check.stderr
            or "reader check --repair" in check.stderr
            or ("do not decompress" in check.stderr)
        ), check.stderr

    listing = run(db, "list")
    if listing.exit_code == 0:
        assert listed_ids(listing) == set(pristine.texts)
    elif "Error:" not in listing.stderr:  # went on: every article listed or named
        [count] = re.findall(r"(\d+) articles? could not be read", listing.stderr)
        assert len(listed_ids(listing)) + int(count) == len(pristine.texts)
        assert listed_ids(listing) | named_ids(listing.stderr) <= set(pristine.texts)

    for word in (WORDS[0], WORDS[3], "paragraph"):
        run(db, "search", word)
    run(db, "list", "--json")
    if name != "annotations":  # see test_listing_a_damaged_annotations_table_is_one_line
        run(db, "annotations")
        run(db, "annotations", WORDS[1])
    run(db, "tags")
    for article_id, text in pristine.texts.items():
        shown = run(db, "show", str(article_id), "--format", "text")
        if shown.exit_code == 0 and whole:
            assert shown.stdout.endswith(text + "\n"), article_id
    assert digest(db) == before, "a reading command wrote into the damaged file"

    dest = tmp_path / "recovered.db"
    recovered = run(db, "recover", str(dest))
    assert digest(db) == before, "recover wrote into the damaged file"
    assert "Recovered into" in recovered.stdout
    lost = {int(m) for m in re.findall(r"^lost: article #(\d+)", recovered.stderr, re.MULTILINE)}
    with Archive(dest) as archive:
        assert archive.check() == []
        saved = set(archive.iter_article_ids())
        assert saved <= set(pristine.texts) and saved.isdisjoint(lost)
        assert saved | lost == set(pristine.texts), "an article neither saved nor named lost"
        for article_id in saved:
            article = archive.get_article(article_id)
            assert article is not None
            if whole:
                assert article.text == pristine.texts[article_id]
                assert article.tags == pristine.tags[article_id] or name == "tags"
        assert len(archive.search(WORDS[2])) > 0 or not saved

    reindex = run(db, "reindex", "--jobs", "1")
    assert "Reindexed" in reindex.stdout or "Error:" in reindex.stderr


def test_check_names_the_lost_articles_and_recover_puts_them_back(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    """Rows of the articles table lost, their originals whole: check names the articles;
    recover makes them again from the originals, under their ids, with their tags and
    highlights, and says so."""
    db = damaged_copy(pristine_archive, tmp_path, "article rows")
    _, pristine = pristine_archive
    check = run(db, "check")
    assert check.exit_code == 1
    [line] = [line for line in check.stderr.splitlines() if "cannot be read" in line]
    lost = named_ids(line)
    assert lost and lost < set(pristine.texts)
    assert "reader recover NEW.db" in check.stderr

    recovered = run(db, "recover", str(tmp_path / "new.db"))
    assert recovered.exit_code == 1  # not everything as it was: some were made again
    assert named_ids(recovered.stdout.split("Made again")[1]) == lost
    with Archive(tmp_path / "new.db") as archive:
        assert set(archive.iter_article_ids()) == set(pristine.texts)
        for article_id in lost:
            article = archive.get_article(article_id)
            assert article is not None
            assert article.text == pristine.texts[article_id]
            assert article.title == pristine.titles[article_id]
            assert article.tags == pristine.tags[article_id]
            quotes = [a.exact for a in archive.annotations_for(article_id) if a.start is not None]
            assert quotes == pristine.highlights[article_id]
            assert archive.get_summary(article_id).added_at.startswith("2024-05-01")


def test_reindex_goes_on_past_originals_that_do_not_decompress(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    db = damaged_copy(pristine_archive, tmp_path, "original bytes")
    _, pristine = pristine_archive
    check = run(db, "check")
    assert check.exit_code == 1
    [line] = [line for line in check.stderr.splitlines() if "do not decompress" in line]
    broken = named_ids(line)
    assert broken
    result = run(db, "reindex", "--jobs", "2")
    assert result.exit_code == 1
    failed = {int(m) for m in re.findall(r"^#(\d+): ", result.stderr, re.MULTILINE)}
    assert failed == broken
    assert all("saved original is damaged" in line for line in result.stderr.splitlines()[:-1])
    assert f"Reindexed {len(pristine.texts) - len(broken)} articles" in result.stdout


def test_recover_refuses_an_existing_destination(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    db = damaged_copy(pristine_archive, tmp_path, "article rows")
    dest = tmp_path / "taken.db"
    dest.write_bytes(b"mine")
    result = run(db, "recover", str(dest))
    assert result.exit_code == 1 and "exists" in result.stderr
    assert dest.read_bytes() == b"mine"
    assert run(db, "recover", str(db)).exit_code == 1  # the archive itself exists too
    assert not list(tmp_path.glob(".*partial*"))


def test_recover_of_a_sound_archive_copies_everything(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    source, pristine = pristine_archive
    result = run(source, "recover", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output
    assert "Everything was copied as it was." in result.stdout
    with Archive(source, readonly=True) as original:
        annotations = {i: original.annotations_for(i) for i in pristine.texts}
    with Archive(tmp_path / "copy.db") as archive:
        assert archive.check() == []
        assert {i: archive.get_article(i).text for i in pristine.texts} == pristine.texts
        assert {i: archive.annotations_for(i) for i in pristine.texts} == annotations
        assert archive.get_setting("theme") == "nord"


def test_listing_a_damaged_annotations_table_is_one_line(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    db = damaged_copy(pristine_archive, tmp_path, "annotations")
    for args in (["annotations"], ["annotations", WORDS[1]]):
        result = run(db, *args)
        assert result.exit_code == 1 and "the archive is damaged" in result.stderr
