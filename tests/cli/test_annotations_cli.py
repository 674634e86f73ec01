"""`reader highlight`, `note`, `annotations` and `annotation edit|delete` on a real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage

FIRST = [
    "The borrow checker keeps memory safe.",
    "It checks every reference; the borrow checker never sleeps.",
]
SECOND = ["[bold]Markup[/bold] in a page\nstays text.", "Nothing else here."]


def make_page(title: str, paragraphs: list[str], url: str) -> tuple[ExtractedPage, RawPage]:
    """An (ExtractedPage, RawPage) pair as the ingest pipeline hands to the archive."""
    document = Document(tuple(Block("paragraph", text) for text in paragraphs))
    html = ("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs)).encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=url)
    return ExtractedPage(document=document, title=title, url=url, site_name="Example"), raw


@pytest.fixture
def db(archive_path: Path) -> Path:
    with Archive(archive_path) as archive:
        archive.add_article(
            *make_page("Rust ownership", FIRST, "https://a.example/1"), tags=["rust"]
        )
        archive.add_article(*make_page("[red]Second[/red]", SECOND, "https://b.example/2"))
    return archive_path


def run(db: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=stdin)


def annotations(db: Path, article_id: int) -> list:
    with Archive(db) as archive:
        return archive.annotations_for(article_id)


def test_highlight_takes_the_first_occurrence_and_says_so(db: Path) -> None:
    result = run(db, "highlight", "1", "borrow checker", "--note", "key idea", "--color", "green")
    assert result.exit_code == 0, result.output
    annotation_id = int(result.stdout.strip())
    assert "first of 2 occurrences" in result.stderr
    (highlight,) = annotations(db, 1)
    assert highlight.id == annotation_id
    assert (highlight.start, highlight.end) == (4, 18)
    assert (highlight.exact, highlight.note, highlight.color) == (
        "borrow checker",
        "key idea",
        "green",
    )
    assert highlight.suffix.startswith(" keeps memory")


def test_highlight_nth_occurrence(db: Path) -> None:
    result = run(db, "highlight", "1", "borrow checker", "--nth", "2")
    assert result.exit_code == 0, result.output
    assert "number 2 of 2 occurrences" in result.stderr
    (highlight,) = annotations(db, 1)
    assert highlight.prefix.endswith("every reference; the ")
    result = run(db, "highlight", "1", "borrow checker", "--nth", "3")
    assert result.exit_code == 1
    assert "has 2 occurrences of 'borrow checker', not 3" in result.stderr
    assert run(db, "highlight", "1", "borrow checker", "--nth", "0").exit_code == 2


def test_highlight_matches_whitespace_loosely(db: Path) -> None:
    # The page has a line break where the user typed a space, and the quote has edges.
    result = run(db, "highlight", "2", "  in a  page stays ")
    assert result.exit_code == 0, result.output
    (highlight,) = annotations(db, 2)
    assert highlight.exact == "in a page\nstays"
    assert "first of" not in result.stderr


def test_highlight_across_paragraphs(db: Path) -> None:
    result = run(db, "highlight", "1", "memory safe. It checks")
    assert result.exit_code == 0, result.output
    (highlight,) = annotations(db, 1)
    assert highlight.exact == "memory safe.\n\nIt checks"


def test_highlight_over_highlights_extends_them(db: Path) -> None:
    first = run(db, "highlight", "1", "borrow checker", "-n", "the idea", "-c", "green")
    second = run(db, "highlight", "1", "memory safe", "-n", "why")
    assert first.exit_code == second.exit_code == 0
    kept = int(first.stdout)
    result = run(db, "highlight", "1", "checker keeps memory", "-n", "how", "-c", "pink")
    assert result.exit_code == 0, result.output
    assert int(result.stdout) == kept
    assert result.stderr.startswith(f"Extended highlight #{kept} over 'checker keeps memory'")
    assert f"merging #{int(second.stdout)}" in result.stderr
    assert "now reads 'borrow checker keeps memory safe'" in result.stderr
    (highlight,) = annotations(db, 1)
    assert (highlight.id, highlight.exact, highlight.color) == (
        kept,
        "borrow checker keeps memory safe",
        "green",
    )
    assert highlight.note == "the idea\n\nhow\n\nwhy"
    # Inside a highlight: the same one, said so; nothing new.
    result = run(db, "highlight", "1", "keeps")
    assert result.exit_code == 0 and int(result.stdout) == kept
    assert "Extended highlight" in result.stderr and "merging" not in result.stderr
    assert len(annotations(db, 1)) == 1


def test_highlight_errors_are_one_line(db: Path) -> None:
    result = run(db, "highlight", "99", "anything")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no article #99"
    result = run(db, "highlight", "1", "borow checker")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not contain 'borow checker'" in result.stderr
    assert "closest: 'borrow checker'" in result.stderr
    result = run(db, "highlight", "1", "completely absent words")
    assert result.exit_code == 1 and "closest" not in result.stderr
    assert run(db, "highlight", "1", "   ").exit_code == 2
    assert run(db, "highlight", "1", "memory", "--color", "red").exit_code == 2
    assert run(db, "highlight", "x", "memory").exit_code == 2
    assert annotations(db, 1) == []


def test_note_adds_an_article_note(db: Path) -> None:
    result = run(db, "note", "1", "Read again next week.")
    assert result.exit_code == 0, result.output
    (note,) = annotations(db, 1)
    assert note.is_article_note and note.note == "Read again next week."
    assert int(result.stdout) == note.id
    result = run(db, "note", "2", "-", stdin="line one\nline two\n")
    assert result.exit_code == 0, result.output
    assert annotations(db, 2)[0].note == "line one\nline two\n"
    result = run(db, "note", "2", "-", stdin="\x1b[31mred\x1b[0m \u202eevil\tok\n")
    assert annotations(db, 2)[1].note == "[31mred[0m evil\tok\n"  # no escapes, no bidi
    assert run(db, "note", "42", "x").exit_code == 1
    assert run(db, "note", "1", "  ").exit_code == 2


def _annotate(db: Path) -> None:
    assert run(db, "highlight", "1", "never sleeps", "-n", "first line\nsecond line").exit_code == 0
    assert run(db, "highlight", "1", "memory safe", "-c", "pink").exit_code == 0
    assert run(db, "note", "1", "Whole-article thought").exit_code == 0
    assert run(db, "highlight", "2", "[bold]Markup[/bold]").exit_code == 0


def test_annotations_lists_in_reading_order_with_notes(db: Path) -> None:
    _annotate(db)
    result = run(db, "annotations")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Rust ownership" in out and "[red]Second[/red]" in out  # titles are text
    assert "[bold]Markup[/bold]" in out  # so are quotes
    assert out.index("memory safe") < out.index("never sleeps") < out.index("Whole-article")
    assert "first line\n" in out and "second line" in out
    assert "4 annotations in 2 articles" in result.stderr


def test_annotations_query_restricts_articles(db: Path) -> None:
    _annotate(db)
    result = run(db, "annotations", "tag:rust")
    assert result.exit_code == 0, result.output
    assert "Rust ownership" in result.stdout and "Markup" not in result.stdout
    result = run(db, "annotations", "-tag:rust")
    assert "Rust ownership" not in result.stdout and "Markup" in result.stdout
    result = run(db, "annotations", 'title:"unclosed')
    assert result.exit_code == 2 and "bad query" in result.stderr


def test_annotations_json_gives_raw_fields(db: Path) -> None:
    _annotate(db)
    result = run(db, "annotations", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_title = {article["title"]: article for article in data}
    first = by_title["Rust ownership"]
    assert first["id"] == 1 and first["url"] == "https://a.example/1"
    kinds = [(a["type"], a["exact"], a["color"]) for a in first["annotations"]]
    assert kinds == [
        ("highlight", "memory safe", "pink"),
        ("highlight", "never sleeps", "yellow"),
        ("note", "", "yellow"),
    ]
    assert first["annotations"][1]["note"] == "first line\nsecond line"
    assert first["annotations"][2]["start"] is None
    assert run(db, "annotations", "--json", "tag:nothing").stdout.strip() == "[]"


def test_orphaned_highlights_are_flagged(db: Path) -> None:
    _annotate(db)
    with Archive(db) as archive:
        archive.update_article(
            1, *make_page("Rust ownership", ["All new text."], "https://a.example/1")
        )
    out = run(db, "annotations", "tag:rust").stdout
    assert out.count("[orphaned]") == 2
    data = json.loads(run(db, "annotations", "--json", "tag:rust").stdout)
    assert [a["orphaned"] for a in data[0]["annotations"]] == [True, True, False]


def test_annotation_edit_and_delete(db: Path) -> None:
    _annotate(db)
    first, second, note = annotations(db, 1)
    result = run(db, "annotation", "edit", str(first.id), "--note", "changed", "--color", "blue")
    assert result.exit_code == 0, result.output
    edited = annotations(db, 1)[0]
    assert (edited.note, edited.color) == ("changed", "blue")
    assert run(db, "annotation", "edit", str(first.id)).exit_code == 2
    assert run(db, "annotation", "edit", str(note.id), "-c", "green").exit_code == 1
    assert run(db, "annotation", "edit", "999", "-n", "x").exit_code == 1
    result = run(db, "annotation", "delete", str(second.id), "999")
    assert result.exit_code == 1
    assert "Deleted highlight" in result.stderr and "no annotation #999" in result.stderr
    assert [a.id for a in annotations(db, 1)] == [first.id, note.id]


def test_highlight_racing_a_re_extraction_goes_on_the_words_read(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program extracts the article again between the command's read and its
    write: the highlight goes where the quoted words are now, or is refused."""
    highlight = Archive.highlight

    def extracted_meanwhile(paragraphs: list[str]):
        def racing(archive: Archive, article_id: int, *args, **kwargs):
            page, _ = make_page("Rust ownership", paragraphs, "https://a.example/1")
            archive.update_article(article_id, page)
            return highlight(archive, article_id, *args, **kwargs)

        return racing

    monkeypatch.setattr(Archive, "highlight", extracted_meanwhile(["A new lead.", *FIRST]))
    result = run(db, "highlight", "1", "never sleeps")
    assert result.exit_code == 0, result.output
    assert "after the article was extracted again" in result.stderr
    (placed,) = annotations(db, 1)
    with Archive(db) as archive:
        text = archive.get_article(1).text
    assert text[placed.start : placed.end] == placed.exact == "never sleeps"
    # The words gone from the new text: refused in one line, nothing more written.
    monkeypatch.setattr(Archive, "highlight", extracted_meanwhile(["Memory safety."]))
    result = run(db, "highlight", "1", "borrow checker keeps")
    assert result.exit_code == 1
    assert "no longer in it; nothing was saved" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # Only the first highlight, orphaned by that extraction (its words went too).
    assert [(a.exact, a.orphaned) for a in annotations(db, 1)] == [("never sleeps", True)]
