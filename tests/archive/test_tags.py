"""TagStore: case-insensitive names, counts, rename/merge/delete, search stays in step."""

from __future__ import annotations

import pytest

from reader.archive import Archive, TagError, clean_tag_name


def test_clean_tag_name() -> None:
    assert clean_tag_name("  to   read ") == "to read"
    assert clean_tag_name("a\x1b[31mb") == "a[31mb"
    with pytest.raises(ValueError, match="empty"):
        clean_tag_name("   ")
    with pytest.raises(ValueError, match="at most 100"):
        clean_tag_name("x" * 300)


def test_names_are_case_insensitive(archive: Archive, page) -> None:
    first = archive.add_article(*page(url="https://e.com/1"), tags=["Rust"])
    second = archive.add_article(*page(url="https://e.com/2"))
    archive.add_tags([second], ["rust", "RUST ", "Go"])
    assert archive.tags_of(second) == ["Go", "Rust"]
    assert [(t.name, t.count) for t in archive.tag_counts()] == [("Go", 1), ("Rust", 2)]
    archive.remove_tags([first, second], ["RUST"])
    assert archive.tags_of(first) == []
    assert [(t.name, t.count) for t in archive.tag_counts()] == [("Go", 1), ("Rust", 0)]


def test_tags_are_searchable_and_filterable(archive: Archive, page) -> None:
    article_id = archive.add_article(*page(), tags=["gardening"])
    assert [h.article.id for h in archive.search("gardening")] == [article_id]
    assert archive.count("tag:gardening") == 1
    archive.rename_tag("gardening", "horticulture")
    assert archive.search("gardening") == []
    assert archive.count("horticulture") == 1 and archive.count("tag:horticulture") == 1
    assert archive.check() == []


def test_rename_merge_delete(archive: Archive, page) -> None:
    a = archive.add_article(*page(url="https://e.com/1"), tags=["py", "python"])
    b = archive.add_article(*page(url="https://e.com/2"), tags=["py"])
    with pytest.raises(TagError, match="merge"):
        archive.rename_tag("py", "Python")
    archive.rename_tag("python", "Python")  # a change of case is a rename
    archive.merge_tags("py", "python")
    assert archive.tags_of(a) == ["Python"] and archive.tags_of(b) == ["Python"]
    assert [t.name for t in archive.tag_counts()] == ["Python"]
    assert archive.delete_tag("PYTHON") == 2
    assert archive.tags_of(a) == [] and archive.tag_counts() == []
    with pytest.raises(TagError, match="no tag named"):
        archive.delete_tag("python")
    with pytest.raises(TagError, match="no article"):
        archive.add_tags([999], ["x"])
    assert archive.check() == []
