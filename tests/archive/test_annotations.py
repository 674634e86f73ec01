"""AnnotationStore on a real archive file: highlights and article notes, their edits,
undo, the lists (one article, several, the whole archive) and re-anchoring."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import AnnotationError, Archive, NotFoundError

TEXT = ("The quick brown fox jumps.", "Over the lazy dog.")
ESCAPES = "before \x1b[31mred\x1b]0;title\x07 \u202eevil\x00 after\n\nsecond paragraph"


def at(archive: Archive, moment: str) -> None:
    """What the archive writes from now on is stamped `moment` (ISO 8601, UTC)."""
    archive.clock = lambda: datetime.fromisoformat(moment)


def span(archive: Archive, article_id: int, quote: str) -> tuple[int, int]:
    text = archive.get_article(article_id).text
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def article_id(archive: Archive, page) -> int:
    return archive.add_article(*page("Foxes", TEXT))


def test_highlight_keeps_range_quote_and_context(archive: Archive, article_id: int) -> None:
    at(archive, "2024-05-01T10:00:00+00:00")
    start, end = span(archive, article_id, "brown fox")
    annotation_id = archive.add_highlight(article_id, start, end, note="why", color="green")
    highlight = archive.get_annotation(annotation_id)
    assert (highlight.id, highlight.article_id) == (annotation_id, article_id)
    assert (highlight.start, highlight.end, highlight.exact) == (start, end, "brown fox")
    assert highlight.prefix.endswith("quick ") and highlight.suffix.startswith(" jumps.")
    assert (highlight.note, highlight.color) == ("why", "green")
    assert not highlight.orphaned and not highlight.is_article_note
    assert highlight.created_at == highlight.updated_at == "2024-05-01T10:00:00+00:00"


def test_highlight_refuses_what_it_cannot_place(archive: Archive, article_id: int) -> None:
    length = len(archive.get_article(article_id).text)
    with pytest.raises(AnnotationError, match="no article with id 999"):
        archive.add_highlight(999, 0, 3)
    for start, end in ((5, 5), (6, 2), (-1, 3), (0, length + 1)):
        with pytest.raises(AnnotationError, match="not inside the article's text"):
            archive.add_highlight(article_id, start, end)
    with pytest.raises(AnnotationError, match="unknown colour 'red'"):
        archive.add_highlight(article_id, 0, 3, color="red")
    assert archive.annotations_for(article_id) == []


def test_article_note(archive: Archive, article_id: int) -> None:
    note = archive.get_annotation(archive.add_article_note(article_id, "about all of it"))
    assert note.is_article_note and (note.start, note.end, note.exact) == (None, None, "")
    assert note.note == "about all of it" and note.created_at
    for empty in ("", "  \n ", "\x1b\x07"):
        with pytest.raises(AnnotationError, match="cannot be empty"):
            archive.add_article_note(article_id, empty)
    with pytest.raises(AnnotationError, match="no article with id 999"):
        archive.add_article_note(999, "lost")
    assert archive.annotations_for(article_id) == [note]


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


def test_update_changes_note_and_colour(archive: Archive, article_id: int) -> None:
    at(archive, "2024-05-01T10:00:00+00:00")
    annotation_id = archive.add_highlight(article_id, 0, 3)
    at(archive, "2024-05-02T10:00:00+00:00")
    archive.update_annotation(annotation_id, note="later", color="pink")
    changed = archive.get_annotation(annotation_id)
    assert (changed.note, changed.color) == ("later", "pink")
    assert changed.created_at == "2024-05-01T10:00:00+00:00"
    assert changed.updated_at == "2024-05-02T10:00:00+00:00"
    at(archive, "2024-05-03T10:00:00+00:00")
    archive.update_annotation(annotation_id)  # nothing to change: nothing written
    with pytest.raises(AnnotationError, match="unknown colour"):
        archive.update_annotation(annotation_id, note="not saved", color="red")
    assert archive.get_annotation(annotation_id) == changed
    with pytest.raises(AnnotationError, match="no annotation with id 999"):
        archive.update_annotation(999, note="x")


def test_delete_then_restore_is_undo(archive: Archive, article_id: int) -> None:
    highlight_id = archive.add_highlight(article_id, *span(archive, article_id, "lazy"))
    archive.update_annotation(highlight_id, note="n", color="blue")
    highlight = archive.get_annotation(highlight_id)
    deleted = archive.delete_annotation(highlight_id)
    assert deleted == highlight
    assert archive.get_annotation(highlight_id) is None
    assert archive.delete_annotation(highlight_id) is None
    restored_id = archive.restore_annotation(deleted)
    restored = archive.get_annotation(restored_id)
    assert dataclasses.replace(restored, id=highlight_id) == highlight
    assert archive.annotations_for(article_id) == [restored]


def test_restore_keeps_orphans_and_stamps_what_has_no_time(
    archive: Archive, article_id: int
) -> None:
    at(archive, "2024-06-01T00:00:00+00:00")
    imported = archive.get_annotation(archive.add_highlight(article_id, 0, 3))
    undated = dataclasses.replace(imported, orphaned=True, created_at="", updated_at="")
    restored = archive.get_annotation(archive.restore_annotation(undated))
    assert restored.orphaned and restored.exact == imported.exact
    assert restored.created_at == restored.updated_at == "2024-06-01T00:00:00+00:00"
    dated = dataclasses.replace(imported, created_at="2020-01-01", updated_at="2021-01-01")
    kept = archive.get_annotation(archive.restore_annotation(dated))
    assert (kept.created_at, kept.updated_at) == ("2020-01-01", "2021-01-01")
    with pytest.raises(AnnotationError, match="unknown colour"):
        archive.restore_annotation(dataclasses.replace(imported, color="red"))


def test_undo_of_a_highlight_on_a_deleted_article_is_one_line(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    deleted = archive.delete_annotation(archive.add_highlight(article_id, 0, 5))
    archive.delete_article(article_id)
    with pytest.raises(AnnotationError, match=f"no article with id {article_id}"):
        archive.restore_annotation(deleted)
    with pytest.raises(NotFoundError) as error:
        archive.set_starred(article_id, True)
    assert str(error.value) == f"no article with id {article_id}"


def test_annotations_for_is_in_reading_order(archive: Archive, article_id: int) -> None:
    first_note = archive.add_article_note(article_id, "first note")
    dog = archive.add_highlight(article_id, *span(archive, article_id, "lazy dog"))
    second_note = archive.add_article_note(article_id, "second note")
    fox = archive.add_highlight(article_id, *span(archive, article_id, "fox"))
    quick = archive.add_highlight(article_id, *span(archive, article_id, "quick"))
    ids = [a.id for a in archive.annotations_for(article_id)]
    assert ids == [quick, fox, dog, first_note, second_note]
    assert archive.annotations_for(999) == []


def test_iter_annotations_by_article_and_since(archive: Archive, page) -> None:
    at(archive, "2024-01-01T00:00:00+00:00")
    first = archive.add_article(*page(url="https://e.com/1"))
    second = archive.add_article(*page(url="https://e.com/2"))
    early = archive.add_highlight(second, 0, 5)
    note = archive.add_article_note(first, "on the first")
    at(archive, "2024-02-01T00:00:00+00:00")
    late = archive.add_highlight(first, 0, 5)
    assert [a.id for a in archive.iter_annotations()] == [late, note, early]
    assert [a.id for a in archive.iter_annotations([second])] == [early]
    assert list(archive.iter_annotations([])) == []
    since = "2024-01-15T00:00:00+00:00"
    assert [a.id for a in archive.iter_annotations(since=since)] == [late]
    assert [a.id for a in archive.iter_annotations([second], since=since)] == []
    # More ids than one SQL statement takes at once: asked for in chunks, still in order.
    many = [*range(10_000, 11_200), second, first]
    assert [a.id for a in archive.iter_annotations(many)] == [late, note, early]


def test_all_annotations_newest_first_with_titles(archive: Archive, page) -> None:
    at(archive, "2024-01-01T00:00:00+00:00")
    foxes = archive.add_article(*page("Foxes", TEXT, url="https://e.com/1"))
    other = archive.add_article(*page("Other", ("Nothing lazy here.",), url="https://e.com/2"))
    fox = archive.add_highlight(foxes, *span(archive, foxes, "brown fox"))
    at(archive, "2024-01-02T00:00:00+00:00")
    note = archive.add_article_note(other, "a dogged note")
    at(archive, "2024-01-03T00:00:00+00:00")
    dog = archive.add_highlight(foxes, *span(archive, foxes, "lazy dog"))
    at(archive, "2024-01-04T00:00:00+00:00")
    archive.update_annotation(fox, note="quick one")  # edited last: now the newest
    entries = archive.all_annotations()
    assert [(e.annotation.id, e.article_title) for e in entries] == [
        (fox, "Foxes"),
        (dog, "Foxes"),
        (note, "Other"),
    ]
    assert [e.annotation.id for e in archive.all_annotations(limit=1, offset=1)] == [dog]
    # Every word, in the quote or the note; the last one as a prefix (as typed).
    assert [e.annotation.id for e in archive.all_annotations("dog")] == [dog, note]
    assert [e.annotation.id for e in archive.all_annotations("lazy do")] == [dog]
    assert [e.annotation.id for e in archive.all_annotations("dogg")] == [note]
    assert [e.annotation.id for e in archive.all_annotations("quick brown")] == [fox]
    assert archive.all_annotations('"unmatched (quote') == []


def test_reanchor_keeps_moves_and_orphans(archive: Archive, page) -> None:
    article_id = archive.add_article(
        *page("Foxes", ("The quick brown fox jumps.", "A zebra crossing.", "The lazy dog."))
    )
    kept = archive.add_highlight(article_id, *span(archive, article_id, "The quick"))
    moved = archive.add_highlight(article_id, *span(archive, article_id, "lazy dog"))
    lost = archive.add_highlight(article_id, *span(archive, article_id, "zebra crossing"))
    note = archive.add_article_note(article_id, "whole article")
    new_text = "The quick brown fox jumps.\n\nAnd then, much later, the lazy dog."
    with archive.write():  # runs inside its caller's transaction (update_article)
        report = archive.reanchor_annotations(article_id, new_text)
    assert (report.kept, report.moved, report.orphaned) == (1, 1, 1)
    assert archive.get_annotation(kept).start == 0
    placed = archive.get_annotation(moved)
    assert new_text[placed.start : placed.end] == "lazy dog" and not placed.orphaned
    assert placed.prefix.endswith("later, the ") and placed.suffix == "."
    orphan = archive.get_annotation(lost)
    assert orphan.orphaned and orphan.exact == "zebra crossing"
    assert 0 <= orphan.start <= orphan.end <= len(new_text)
    assert archive.get_annotation(note).is_article_note
    # Placed again in the text it came from: found, no longer orphaned.
    old_text = "The quick brown fox jumps.\n\nA zebra crossing.\n\nThe lazy dog."
    report = archive.reanchor_annotations(article_id, old_text)
    assert report.orphaned == 0 and not archive.get_annotation(lost).orphaned


# --- a highlight over highlights extends them -----------------------------------------


def test_overlapping_highlight_extends_the_oldest(archive: Archive, article_id: int) -> None:
    at(archive, "2024-05-01T10:00:00+00:00")
    fox = archive.add_highlight(article_id, *span(archive, article_id, "brown fox"), note="fox")
    at(archive, "2024-05-02T10:00:00+00:00")
    jumps = archive.highlight(
        article_id, *span(archive, article_id, "jumps"), note="jump", color="pink"
    ).annotation.id
    at(archive, "2024-05-03T10:00:00+00:00")
    # Over "brown fox" ("jumps" is a word away): one highlight over the union.
    result = archive.highlight(
        article_id, *span(archive, article_id, "quick brown"), note="new", color="blue"
    )
    assert result.extended
    assert [a.id for a in result.replaced] == [fox]  # "jumps" is not touched
    assert archive.get_annotation(fox).note == "new\n\nfox"
    result = archive.highlight(
        article_id, *span(archive, article_id, "fox jumps"), note="fox", color="green"
    )
    assert result.extended and result.annotation.id == fox
    assert {a.id for a in result.replaced} == {fox, jumps}
    [merged] = archive.annotations_for(article_id)
    assert merged.id == fox  # the oldest's id, colour and creation time
    assert (merged.color, merged.created_at) == ("yellow", "2024-05-01T10:00:00+00:00")
    assert merged.updated_at == "2024-05-03T10:00:00+00:00"
    assert merged.exact == "quick brown fox jumps"
    assert (merged.start, merged.end) == span(archive, article_id, "quick brown fox jumps")
    assert merged.prefix == "The " and merged.suffix.startswith(".")
    # Every note kept, in reading order, each once, a blank line between.
    assert merged.note == "new\n\nfox\n\njump"


def test_touching_highlights_merge_and_apart_ones_do_not(archive: Archive, article_id: int) -> None:
    quick = archive.add_highlight(article_id, *span(archive, article_id, "quick"))
    # " brown" starts where "quick" ends: they touch.
    start, end = span(archive, article_id, " brown")
    assert archive.add_highlight(article_id, start, end) == quick
    fox = archive.add_highlight(article_id, *span(archive, article_id, "fox"))
    assert fox != quick  # a space apart
    assert [(a.exact, a.id) for a in archive.annotations_for(article_id)] == [
        ("quick brown", quick),
        ("fox", fox),
    ]


def test_extending_leaves_notes_orphans_and_other_articles_alone(
    archive: Archive, article_id: int, page
) -> None:
    other = archive.add_article(*page("Other", TEXT, url="https://e.com/other"))
    theirs = archive.add_highlight(other, 0, 9)
    note = archive.add_article_note(article_id, "on the whole")
    orphan = archive.restore_annotation(
        dataclasses.replace(archive.get_annotation(theirs), article_id=article_id, orphaned=True)
    )
    result = archive.highlight(article_id, 0, 9)
    assert not result.extended and result.annotation.id not in (theirs, note, orphan)
    assert len(archive.annotations_for(article_id)) == 3
    assert archive.get_annotation(theirs).start == 0


def test_undo_puts_back_what_an_extension_replaced(archive: Archive, article_id: int) -> None:
    at(archive, "2024-05-01T10:00:00+00:00")
    quick = archive.add_highlight(article_id, *span(archive, article_id, "quick"), note="q")
    fox = archive.add_highlight(article_id, *span(archive, article_id, "fox"), color="blue")
    note = archive.add_article_note(article_id, "kept")
    before = archive.annotations_for(article_id)
    at(archive, "2024-05-02T10:00:00+00:00")
    result = archive.highlight(article_id, *span(archive, article_id, "quick brown fox"))
    assert [a.id for a in result.replaced] == [quick, fox]
    archive.undo_highlight(result)
    assert archive.annotations_for(article_id) == before  # ids, notes, colours, times
    # Undo of a new highlight removes it.
    fresh = archive.highlight(article_id, *span(archive, article_id, "lazy"))
    archive.undo_highlight(fresh)
    assert archive.annotations_for(article_id) == before
    assert archive.get_annotation(note) is not None


def test_restore_with_keep_id_takes_its_id_only_when_free(
    archive: Archive, article_id: int
) -> None:
    first = archive.add_highlight(article_id, 0, 3)
    deleted = archive.delete_annotation(first)
    assert archive.restore_annotation(deleted, keep_id=True) == first
    again = archive.restore_annotation(deleted, keep_id=True)  # the id is taken now
    assert again != first


@st.composite
def adds(draw: st.DrawFn, length: int) -> list[tuple[int, int, str]]:
    """Highlights to add: ranges inside a text of `length`, each with a note or none."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 20)))
        note = draw(st.sampled_from(["", "", "alpha", "beta gamma", "delta\nline"]))
        out.append((start, end, f"{note} #{len(out)}" if note else ""))
    return out


LONG = ("The quick brown fox jumps over the lazy dog.", "Pack my box with five dozen jugs.")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_adds_never_overlap_nor_lose_a_note(archive: Archive, page, data: st.DataObject) -> None:
    article_id = archive.add_article(*page("Pangrams", LONG, url=None, data=None))
    text = archive.get_article(article_id).text
    covered: set[int] = set()
    notes: list[str] = []
    for start, end, note in data.draw(adds(len(text))):
        archive.add_highlight(article_id, start, end, note=note)
        covered.update(range(start, end))
        if note:
            notes.append(note)
        placed = [a for a in archive.annotations_for(article_id) if not a.is_article_note]
        ranges = [(a.start, a.end) for a in placed]
        # In reading order, each ends before the next starts (touching ones merged).
        assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges)), ranges
        assert {i for s, e in ranges for i in range(s, e)} == covered
        assert all(text[a.start : a.end] == a.exact for a in placed)
        for written in notes:
            assert any(written in a.note for a in placed), (written, placed)
    for annotation in archive.annotations_for(article_id):
        archive.delete_annotation(annotation.id)
