"""Text and Markdown articles in the archive: like every other article, with their own
tags and ==marks== as highlights, added once."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive
from reader.importer import import_bytes, import_paths, reindex_archive

from ..ingest.text_articles import (
    NEWS_TITLE,
    NEWS_TXT,
    NEWS_URL,
    OBSIDIAN_HIGHLIGHTS,
    OBSIDIAN_MD,
    OMNIVORE_MD,
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def quotes(archive: Archive, article_id: int) -> list[str]:
    return [a.exact for a in archive.annotations_for(article_id)]


def test_a_text_article_is_an_article(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "news.txt", NEWS_TXT)
    report = import_paths(archive, [path], jobs=1)
    (article_id,) = report.imported
    article = archive.get_article(article_id)
    assert article is not None
    assert (article.title, article.url, article.byline) == (NEWS_TITLE, NEWS_URL, "Jane Doe")
    assert (article.published, article.site_name) == ("2022-01-10", "harbour-news.example")
    original = archive.original_of(article_id)
    assert original is not None and original.kind == "text"
    assert original.data == path.read_bytes()  # the original is kept, byte for byte
    assert archive.check() == []


def test_a_folder_of_text_and_markdown_articles(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "clips"
    write(folder, "a-news.txt", NEWS_TXT)
    write(folder, "b-clip.md", OBSIDIAN_MD)
    write(folder, "c-export.json", '{"not": "an article"}')  # not walked: not a page's name
    write(folder, "sub/d-omnivore.markdown", OMNIVORE_MD)
    report = import_paths(archive, [folder], jobs=2)
    assert report.failed == [] and len(report.imported) == 3
    kinds = [archive.original_of(i).kind for i in report.imported]  # type: ignore[union-attr]
    assert kinds == ["text", "markdown", "markdown"]


def test_markdown_tags_merge_with_the_commands(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "clip.md", OBSIDIAN_MD)
    report = import_paths(archive, [path], jobs=1, tags=["Inbox", "Software"])
    (article_id,) = report.imported
    assert archive.tags_of(article_id) == ["clippings", "Inbox", "Software"]  # once each


def test_marks_become_highlights_on_the_articles_text(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "clip.md", OBSIDIAN_MD)
    (article_id,) = import_paths(archive, [path], jobs=1).imported
    annotations = archive.annotations_for(article_id)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    assert tuple(a.exact for a in annotations) == OBSIDIAN_HIGHLIGHTS
    for annotation in annotations:
        assert text[annotation.start : annotation.end] == annotation.exact
        assert annotation.prefix and not annotation.orphaned
    assert "==" not in text


def test_importing_twice_is_a_duplicate_and_adds_nothing(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "clip.md", OBSIDIAN_MD)
    (article_id,) = import_paths(archive, [path], jobs=1).imported
    again = import_paths(archive, [path], jobs=1)
    assert again.duplicates == [(str(path), article_id)] and again.imported == []
    assert len(quotes(archive, article_id)) == 2
    copy = write(tmp_path, "copy.txt", NEWS_TXT)
    first = import_paths(archive, [copy], jobs=1).imported
    renamed = write(tmp_path, "renamed.txt", NEWS_TXT)
    assert import_paths(archive, [renamed], jobs=1).duplicates == [(str(renamed), first[0])]


def test_update_keeps_highlights_once_and_adds_new_marks(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "clip.md", OBSIDIAN_MD)
    (article_id,) = import_paths(archive, [path], jobs=1).imported
    archive.add_article_note(article_id, "my own note")
    write(tmp_path, "clip.md", OBSIDIAN_MD.replace("their makers", "==their makers=="))
    report = import_paths(archive, [path], jobs=1, update=True)
    assert report.updated == [article_id] and report.reanchored == 2
    assert sorted(q for q in quotes(archive, article_id) if q) == sorted(
        [*OBSIDIAN_HIGHLIGHTS, "their makers"]
    )
    report = import_paths(archive, [path], jobs=1, update=True)  # nothing new this time
    assert len(quotes(archive, article_id)) == 4  # three highlights and the note


@pytest.mark.parametrize("jobs", [1, 2])
def test_reindex_re_reads_text_and_markdown(archive: Archive, tmp_path: Path, jobs: int) -> None:
    ids = import_paths(
        archive, [write(tmp_path, "n.txt", NEWS_TXT), write(tmp_path, "c.md", OBSIDIAN_MD)], jobs=1
    ).imported
    archive.conn.execute(
        "UPDATE articles SET title = 'stale', text = 'stale' WHERE id = ?", (ids[0],)
    )
    report = reindex_archive(archive, jobs=jobs)
    assert report.updated == ids and report.failed == []
    assert archive.get_article(ids[0]).title == NEWS_TITLE  # type: ignore[union-attr]
    # The marks were added at import; a reindex re-anchors them and adds none.
    assert tuple(quotes(archive, ids[1])) == OBSIDIAN_HIGHLIGHTS
    assert report.reanchored == 2 and report.orphaned == 0


def test_search_finds_text_articles_by_word_tag_and_site(archive: Archive, tmp_path: Path) -> None:
    import_paths(
        archive, [write(tmp_path, "n.txt", NEWS_TXT), write(tmp_path, "c.md", OBSIDIAN_MD)], jobs=1
    )
    assert [h.article.title for h in archive.search("ferries")] == [NEWS_TITLE]
    assert [h.article.title for h in archive.search("tag:clippings")] == [
        "Slow Software, Fast Readers"
    ]
    assert [h.article.title for h in archive.search("site:harbour-news.example")] == [NEWS_TITLE]
    assert [h.article.title for h in archive.search("has:highlights")] == [
        "Slow Software, Fast Readers"
    ]


def test_standard_input_is_read_by_content(archive: Archive) -> None:
    report = import_bytes(archive, OBSIDIAN_MD.encode())
    (article_id,) = report.imported
    assert archive.original_of(article_id).kind == "markdown"  # type: ignore[union-attr]
    assert archive.tags_of(article_id) == ["clippings", "software"]


def test_a_json_export_is_refused_in_one_line(archive: Archive, tmp_path: Path) -> None:
    path = write(tmp_path, "export.json", '[{"url": "https://e.x/", "title": "T"}]')
    report = import_paths(archive, [path], jobs=1)
    assert report.failed == [
        (
            str(path),
            "a JSON file, not an article nor an export reader knows"
            " (Pocket, Omnivore, wallabag, Instapaper, Readwise, bookmarks)",
        )
    ]
    assert archive.article_count() == 0


def test_a_front_matter_tag_the_archive_cannot_name_is_left_out(archive: Archive) -> None:
    markdown = '---\ntags: [ok, "\\u200b\\u200b"]\n---\n\nBody.\n'  # invisible only
    (article_id,) = import_bytes(archive, markdown.encode()).imported
    assert archive.tags_of(article_id) == ["ok"]
