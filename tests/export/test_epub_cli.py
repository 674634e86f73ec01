"""`reader export --format epub`: one book into FILE.epub, a book per article into DIR/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from reader.export import MANIFEST_NAME

from .epub_helpers import NS, Book, add, epubcheck, paragraphs


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        first = add(archive, paragraphs("Rust is fast.", "Second."), title="../../etc/passwd")
        second = add(archive, paragraphs("Rust again."), title="Second [bold]red[/] article")
        add(archive, paragraphs("Nothing about it."), title="Plain")
        archive.add_tags([first, second], ["rust"])
        archive.add_highlight(first, 0, 4, note="a note")
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def test_one_book_of_the_query(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "rust.epub"
    result = run(db, "export", "--format", "epub", "-o", str(out), "tag:rust")
    assert result.exit_code == 0, result.output
    assert f"Exported 2 articles as 1 book to {out}: 1 written, 0 unchanged" in result.output
    book = Book(out.read_bytes())
    assert book.title() == f"tag:rust ({date.today().isoformat()})"
    assert sorted(book.meta("reader:articles").split()) == ["1", "2"]
    assert len(book.spine()) == 2
    chapter = book.chapter("article-1.xhtml")
    assert chapter.xpath("//x:mark/text()", namespaces=NS) == ["Rust"]
    # The same articles again: the same bytes, nothing rewritten.
    again = run(db, "export", "--format", "epub", "-o", str(out), "tag:rust")
    assert "0 written, 1 unchanged" in again.output
    assert epubcheck(out) == []


def test_a_book_per_article_in_a_folder(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "books"
    result = run(db, "export", "--format", "epub", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    assert "Exported 3 articles as 3 books" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        MANIFEST_NAME,
        "Plain.epub",
        "Second bold red article.epub",
        "etc passwd.epub",
    ]
    assert not (tmp_path / "etc").exists()
    book = Book((out / "Second bold red article.epub").read_bytes())
    assert book.title() == "Second [bold]red[/] article"
    assert book.meta("reader:articles") == "2"
    again = run(db, "export", "--format", "epub", "-o", str(out))
    assert "0 written, 3 unchanged" in again.output


def test_books_beside_markdown_notes_keep_their_names(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    assert run(db, "export", "-o", str(out)).exit_code == 0
    assert run(db, "export", "--format", "epub", "-o", str(out)).exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "etc passwd.md" in names and "etc passwd.epub" in names


def test_a_users_own_file_is_not_overwritten(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.epub"
    out.write_bytes(b"my own book")
    result = run(db, "export", "--format", "epub", "-o", str(out))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert out.read_bytes() == b"my own book"
    assert run(db, "export", "--format", "epub", "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    "args",
    [("-o", "-"), ("-o", "x.epub", "--since", "7d"), ("-o", "x.epub", "--template", "t.j2")],
)
def test_what_a_book_cannot_take(db: Path, args: tuple[str, ...]) -> None:
    result = run(db, "export", "--format", "epub", *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1


def test_nothing_selected(db: Path, tmp_path: Path) -> None:
    result = run(db, "export", "--format", "epub", "-o", str(tmp_path / "x.epub"), "tag:none")
    assert result.exit_code != 0
    assert "no article" in result.output
    assert not (tmp_path / "x.epub").exists()


@pytest.mark.slow
def test_corpus_books_pass_epubcheck(corpus_dir: Path, tmp_path: Path) -> None:
    """Books of real pages (Readability's test pages), a book per article, all valid."""
    from reader.importer.imports import import_paths

    pages = sorted(corpus_dir.glob("*/source.html"))[:12]
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        for page in pages:
            archive_ids = import_paths(archive, [page], jobs=1).imported
            for article_id in archive_ids:
                article = archive.get_article(article_id)
                assert article is not None
                if len(article.text) > 40:
                    archive.add_highlight(article_id, 10, 40, note="why")
    out = tmp_path / "books"
    result = run(db, "export", "--format", "epub", "-o", str(out))
    assert result.exit_code == 0, result.output
    books = sorted(out.glob("*.epub"))
    assert books
    for path in books:
        assert epubcheck(path) == [], path.name
