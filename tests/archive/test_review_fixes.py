"""Notes are stored without terminal controls; backup, check and undo fail in one line."""

from __future__ import annotations

import pytest

from reader.archive import AnnotationError, Archive, ArchiveError, NotFoundError

ESCAPES = "before \x1b[31mred\x1b]0;title\x07 \u202eevil\x00 after\n\nsecond paragraph"


def test_notes_lose_terminal_controls_however_they_arrive(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    highlight = archive.add_highlight(article_id, 0, 5, note=ESCAPES)
    note = archive.add_article_note(article_id, ESCAPES)
    other = archive.add_highlight(article_id, 6, 9)
    archive.update_annotation(other, note=ESCAPES)
    restored = archive.restore_annotation(archive.delete_annotation(highlight))
    for annotation_id in (restored, note, other):
        stored = archive.get_annotation(annotation_id).note
        assert stored == "before [31mred]0;title evil after\n\nsecond paragraph"


def test_undo_of_a_highlight_on_a_deleted_article_is_one_line(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    deleted = archive.delete_annotation(archive.add_highlight(article_id, 0, 5))
    archive.delete_article(article_id)
    with pytest.raises(AnnotationError, match=f"no article with id {article_id}"):
        archive.restore_annotation(deleted)
    with pytest.raises(NotFoundError) as error:
        archive.set_starred(article_id, True)
    assert str(error.value) == f"no article with id {article_id}"


def test_backup_to_an_unwritable_place_is_one_line(archive: Archive, tmp_path) -> None:
    dest = tmp_path / "no" / "such" / "folder" / "copy.db"
    with pytest.raises(ArchiveError, match=r"copy\.db"):
        archive.backup(dest)
    assert not list(dest.parent.parent.parent.glob("**/.copy.db.partial"))


def test_check_of_a_read_only_archive_reports_no_false_problem(archive_path, page) -> None:
    with Archive(archive_path) as archive:
        archive.add_article(*page())
    with Archive(archive_path, readonly=True) as archive:
        assert archive.check() == []
