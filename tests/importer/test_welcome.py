"""The welcome article: imported through the pipeline, once per archive, never again."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive
from reader.welcome import WELCOME_TAG, ensure_welcome, import_welcome, welcome_page

from .pages import write_page


def test_welcome_is_a_full_article(archive: Archive) -> None:
    article_id = import_welcome(archive)
    article = archive.get_article(article_id)
    assert article.title == "Welcome to reader"
    assert archive.tags_of(article_id) == [WELCOME_TAG]
    kinds = {block.kind for block in article.document.blocks}
    assert {"heading", "paragraph", "list_item", "code", "table"} <= kinds
    headings = [b.text for b in article.document.blocks if b.kind == "heading"]
    for section in ("Reading", "Searching", "Tags", "Commands"):
        assert section in headings
    assert "reader import" in article.text
    assert article.word_count > 800
    # The same bytes again: the same article, not a second one.
    assert import_welcome(archive) == article_id
    assert archive.article_count() == 1


def test_ensure_welcome_once(archive: Archive) -> None:
    article_id = ensure_welcome(archive)
    assert article_id is not None
    assert ensure_welcome(archive) is None
    archive.delete_article(article_id)
    assert ensure_welcome(archive) is None  # deleting the guide does not bring it back
    assert archive.article_count() == 0


def test_no_welcome_for_an_archive_that_already_has_articles(
    archive: Archive, tmp_path: Path
) -> None:
    from reader.importer import import_paths

    import_paths(archive, [write_page(tmp_path, "a.html", "Mine")], jobs=1)
    assert ensure_welcome(archive) is None
    archive.delete_article(1)
    assert ensure_welcome(archive) is None  # it was welcomed (by its own articles)


def test_welcome_survives_reopening(archive_path: Path) -> None:
    with Archive(archive_path) as archive:
        assert ensure_welcome(archive) is not None
    with Archive(archive_path) as archive:
        assert ensure_welcome(archive) is None
        assert archive.article_count() == 1


def test_welcome_page_ships_in_the_package() -> None:
    data = welcome_page()
    assert data.startswith(b"<!DOCTYPE html>") and b"<table>" in data


def test_a_broken_guide_never_stops_the_reader(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.welcome

    monkeypatch.setattr(reader.welcome, "welcome_page", lambda: b"")
    assert ensure_welcome(archive) is None
    assert archive.get_setting("welcomed") is None  # tried again next time
    monkeypatch.undo()
    assert ensure_welcome(archive) is not None
