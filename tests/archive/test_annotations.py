"""AnnotationStore on a real archive file: highlights and article notes, their edits,
undo, the lists (one article, several, the whole archive) and re-anchoring."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reader.anchor import MAX_ERROR_RATE, TextQuoteSelector, locate, make_selector
from reader.archive import (
    AnnotationError,
    AnnotationNotFoundError,
    Archive,
    HighlightNotPlacedError,
    NotFoundError,
)

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


# --- a highlight made on a text that was extracted again since --------------------------


def extracted_again(archive: Archive, article_id: int, page, paragraphs: tuple[str, ...]) -> str:
    """Replace the article's text as `reader import --update` does; returns the new text."""
    archive.update_article(article_id, page("Foxes", paragraphs)[0])
    return archive.get_article(article_id).text


def seen(text: str, quote: str) -> tuple[int, int, TextQuoteSelector]:
    """The offsets of `quote` in `text` and its selector: what a view of `text` sends."""
    start = text.index(quote)
    return start, start + len(quote), make_selector(text, start, start + len(quote))


def test_a_highlight_from_an_older_text_goes_on_the_words_seen(
    archive: Archive, article_id: int, page
) -> None:
    old = archive.get_article(article_id).text
    start, end, quote = seen(old, "lazy dog")
    new = extracted_again(archive, article_id, page, ("A new lead paragraph.", *TEXT))
    assert new[start:end] != "lazy dog"  # the offsets now point at other words
    result = archive.highlight(article_id, start, end, note="n", quote=quote)
    assert result.reanchored and not result.extended
    placed = result.annotation
    assert (placed.start, placed.end) == result.placed == span_of(new, "lazy dog")
    assert placed.exact == "lazy dog" and placed.prefix.endswith("Over the ")


def test_a_highlight_whose_words_are_gone_is_refused(
    archive: Archive, article_id: int, page
) -> None:
    old = archive.get_article(article_id).text
    start, end, quote = seen(old, "lazy dog")
    extracted_again(archive, article_id, page, ("Nothing about dogs at all here.", "None."))
    with pytest.raises(HighlightNotPlacedError, match="no longer in it; nothing was saved"):
        archive.highlight(article_id, start, end, quote=quote)
    assert archive.annotations_for(article_id) == []


def test_a_highlight_on_the_same_text_stays_at_its_offsets(
    archive: Archive, article_id: int, page
) -> None:
    text = archive.get_article(article_id).text
    start, end, quote = seen(text, "quick")
    result = archive.highlight(article_id, start, end, quote=quote)
    assert not result.reanchored and result.placed == (start, end)
    # Extracted again with the same paragraphs: the offsets still hold the quote.
    extracted_again(archive, article_id, page, TEXT)
    start, end, quote = seen(text, "quick brown")
    result = archive.highlight(article_id, start, end, quote=quote)
    assert not result.reanchored and result.extended  # over "quick": extends it
    # Offsets past the end of a shorter text are placed by the quote too.
    start, end, quote = seen(text, "dog")
    new = extracted_again(archive, article_id, page, ("The lazy dog.",))
    assert end > len(new)
    result = archive.highlight(article_id, start, end, quote=quote)
    assert result.reanchored and new[slice(*result.placed)] == "dog"


def test_undo_after_the_text_changed_places_by_the_quote_or_orphans(
    archive: Archive, article_id: int, page
) -> None:
    text = archive.get_article(article_id).text
    dog = archive.delete_annotation(archive.add_highlight(article_id, *span_of(text, "lazy dog")))
    fox = archive.delete_annotation(archive.add_highlight(article_id, *span_of(text, "fox")))
    new = extracted_again(archive, article_id, page, ("Lead.", "Over the lazy dog."))
    placed = archive.get_annotation(archive.restore_annotation(dog, keep_id=True))
    assert new[placed.start : placed.end] == placed.exact == "lazy dog"
    assert not placed.orphaned and placed.prefix.endswith("Over the ")
    orphan = archive.get_annotation(archive.restore_annotation(fox, keep_id=True))
    assert orphan.orphaned and orphan.exact == "fox"
    assert 0 <= orphan.start <= orphan.end <= len(new)


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def test_a_note_or_colour_on_a_deleted_highlight_is_refused(
    archive: Archive, article_id: int
) -> None:
    annotation_id = archive.add_highlight(article_id, 0, 3)
    archive.delete_annotation(annotation_id)
    with pytest.raises(AnnotationNotFoundError, match=f"no annotation with id {annotation_id}"):
        archive.update_annotation(annotation_id, note="lost")
    with pytest.raises(AnnotationNotFoundError):
        archive.update_annotation(annotation_id, color="blue")


def test_the_revision_changes_with_the_text_and_only_then(
    archive: Archive, article_id: int, page
) -> None:
    at(archive, "2024-05-01T10:00:00+00:00")
    fresh = archive.add_article(*page("Other", TEXT, url="https://e.com/other"))
    first = archive.article_revision(fresh)
    assert first == "2024-05-01T10:00:00+00:00"
    archive.set_starred(fresh, True)
    archive.add_tags([fresh], ["t"])
    archive.add_highlight(fresh, 0, 3)
    archive.save_position(fresh, 5, 0.5)
    assert archive.article_revision(fresh) == first
    # Extracted again twice within the same second (the clock does not move): each is a
    # new revision all the same.
    archive.update_article(fresh, page("Other", TEXT)[0])
    second = archive.article_revision(fresh)
    archive.update_article(fresh, page("Other", TEXT)[0])
    third = archive.article_revision(fresh)
    assert first < second < third
    archive.delete_article(fresh)
    assert archive.article_revision(fresh) is None
    assert archive.article_revision(999) is None


WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "cat", "sat"]


@st.composite
def old_and_new_texts(draw: st.DrawFn) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An article's paragraphs, and the same after a re-extraction: paragraphs and words
    inserted, dropped or replaced here and there (or nothing changed)."""
    paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
    old = draw(st.lists(paragraph, min_size=1, max_size=6))
    new = list(old)
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(new)))
        change = draw(st.sampled_from(["insert", "drop", "edit"]))
        if change == "insert" or not new:
            new.insert(where, draw(paragraph))
        elif change == "drop" and len(new) > 1:
            del new[min(where, len(new) - 1)]
        else:
            index = min(where, len(new) - 1)
            words = new[index].split(" ")
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            new[index] = " ".join(words)
    return tuple(old), tuple(new)


def same_words(a: str, b: str) -> bool:
    """What locate's stages take as the quote: equal, equal but for whitespace runs, or
    within its edit budget (a fifth of the longer)."""
    if " ".join(a.split()) == " ".join(b.split()):
        return True
    return Levenshtein.distance(a, b) <= MAX_ERROR_RATE * max(len(a), len(b))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=old_and_new_texts(), data=st.data())
def test_a_highlight_on_an_old_text_lands_on_its_words_or_nowhere(
    archive: Archive, page, texts: tuple[tuple[str, ...], tuple[str, ...]], data: st.DataObject
) -> None:
    old_paragraphs, new_paragraphs = texts
    article_id = archive.add_article(*page("Words", old_paragraphs, url=None, data=None))
    old = archive.get_article(article_id).text
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, min(len(old), start + 40)))
    quote = make_selector(old, start, end)
    new = extracted_again(archive, article_id, page, new_paragraphs)
    try:
        result = archive.highlight(article_id, start, end, quote=quote)
    except HighlightNotPlacedError:
        event("refused")
        assert archive.annotations_for(article_id) == []  # refused: nothing written
        assert locate(new, quote, hint=start) is None
        return
    finally:
        for annotation in archive.annotations_for(article_id):
            archive.delete_annotation(annotation.id)
    lo, hi = result.placed
    if end <= len(new) and new[start:end] == quote.exact:
        event("at its offsets")
        assert (lo, hi) == (start, end) and not result.reanchored
    else:
        event("placed by its quote" + (" (the same words)" if new[lo:hi] == quote.exact else ""))
        assert result.reanchored and (lo, hi) == locate(new, quote, hint=start)
        assert same_words(new[lo:hi], quote.exact), (new[lo:hi], quote.exact)
    stored = result.annotation
    assert (stored.start, stored.end) == (lo, hi) and stored.exact == new[lo:hi]
    assert result.placed_quote == new[lo:hi]
