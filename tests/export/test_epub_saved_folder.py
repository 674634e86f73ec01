"""A "Webpage, Complete" save (`X.html` beside `X_files/`) through `reader import`: the
pictures its figures show are kept once per archive, re-encoded; a path out of the
folder and a symbolic link are passed over without a word, hostile images named as
not kept (their figures keep their captions); the book shows the good ones; deleting
and reindexing."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from reader.archive import Archive
from reader.cli import main
from reader.export.epub import epub_bytes, write_epub

from .epub_helpers import NS, Book, epubcheck
from .epub_pages import NOT_AN_IMAGE, article_with_figures, huge_png, jpeg, png, truncated_png

CAPTIONS = {
    "good": "A red photo",
    "jpeg": "A blue shot",
    "outside": "A picture outside the folder",
    "link": "A picture through a link",
    "truncated": "A truncated image",
    "huge": "A huge image",
    "fake": "A fake image",
}
GOOD = {CAPTIONS["good"], CAPTIONS["jpeg"]}


def save_complete(folder: Path, name: str, *, with_url: bool = False) -> Path:
    """`name.html` and `name_files/` as a browser's "Webpage, Complete" writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    files = folder / f"{name}_files"
    files.mkdir()
    (files / "a.png").write_bytes(png())
    (files / "shot.jpg").write_bytes(jpeg())
    (files / "truncated.png").write_bytes(truncated_png())
    (files / "huge.png").write_bytes(huge_png())
    (files / "fake.png").write_bytes(NOT_AN_IMAGE)
    (folder / "secret.png").write_bytes(png(color=(0, 255, 0)))
    os.symlink(folder / "secret.png", files / "link.png")
    srcs = [
        (f"./{name}_files/a.png", CAPTIONS["good"]),
        (f"{name}_files/shot.jpg", CAPTIONS["jpeg"]),
        (f"{name}_files/../secret.png", CAPTIONS["outside"]),
        (f"{name}_files/link.png", CAPTIONS["link"]),
        (f"{name}_files/truncated.png", CAPTIONS["truncated"]),
        (f"{name}_files/huge.png", CAPTIONS["huge"]),
        (f"{name}_files/fake.png", CAPTIONS["fake"]),
    ]
    page = article_with_figures(f"Saved complete {name}", [(s, f"alt {c}", c) for s, c in srcs])
    if with_url:
        page = "<!-- saved from url=(0028)https://example.com/dir/page -->\n" + page
    path = folder / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


def import_(db: Path, *paths: Path) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), "import", *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.output


def figures(book: Book, article_id: int) -> dict[str, str | None]:
    chapter = book.chapter(f"article-{article_id}.xhtml")
    found: dict[str, str | None] = {}
    for figure in chapter.iterfind(".//x:figure", NS):
        img = figure.find("x:img", NS)
        found[figure.findtext("x:figcaption", namespaces=NS)] = (
            img.get("src") if img is not None else None
        )
    return found


def test_pictures_kept_once_and_shown_in_the_book(db: Path, tmp_path: Path) -> None:
    first = save_complete(tmp_path / "one", "page")
    second = save_complete(tmp_path / "two", "other", with_url=True)
    output = import_(db, first, second)
    assert "0 failed" in output and "png" not in output
    # The hostile pictures are named by their place among the page's figures; a path
    # out of the folder and a link are passed over without a word.
    for path in (first, second):
        assert f"{path}: picture 5 not kept: truncated or damaged" in output
        assert f"{path}: picture 6 not kept: over the pixel cap" in output
        assert f"{path}: picture 7 not kept: not a PNG" in output
    assert "picture 3" not in output and "picture 4" not in output
    with Archive(db) as archive:
        ids = archive.iter_article_ids()
        assert len(ids) == 2
        for article_id in ids:
            stored = archive.images_of(article_id)
            assert {image.src.rsplit("/", 1)[1] for image in stored} == {"a.png", "shot.jpg"}
        # One page's figures name the pictures by relative paths, the other's by the
        # URLs they resolve to against the address it was saved from.
        figure_srcs = {
            block.src
            for article_id in ids
            for block in archive.get_article(article_id).document.blocks
            if block.kind == "figure"
        }
        assert "./page_files/a.png" in figure_srcs
        assert "https://example.com/dir/other_files/a.png" in figure_srcs
        # The same two pictures in both pages: kept once each.
        assert archive.image_count() == 2
        for article_id in ids:
            book = Book(epub_bytes(archive, [article_id], title="t"))
            found = figures(book, article_id)
            assert set(found) == set(CAPTIONS.values())  # every figure keeps its caption
            assert {caption for caption, path in found.items() if path} == GOOD
            for caption in GOOD:
                with Image.open(io.BytesIO(book.zip.read(f"EPUB/{found[caption]}"))) as image:
                    assert image.format in ("PNG", "JPEG")
        assert epubcheck(write_epub(archive, ids, tmp_path / "book.epub", title="t")) == []


def test_deleting_keeps_pictures_another_article_shows(db: Path, tmp_path: Path) -> None:
    import_(db, save_complete(tmp_path / "one", "page"), save_complete(tmp_path / "two", "p2"))
    with Archive(db) as archive:
        first, second = archive.iter_article_ids()
        assert archive.delete_article(first)
        assert archive.image_count() == 2
        assert len(archive.images_of(second)) == 2
        assert archive.delete_article(second)
        assert archive.image_count() == 0
        assert archive.conn.execute("SELECT count(*) FROM article_images").fetchone()[0] == 0


def test_reindex_keeps_the_pictures(db: Path, tmp_path: Path) -> None:
    import_(db, save_complete(tmp_path, "page"))
    result = CliRunner().invoke(main, ["--db", str(db), "reindex"])
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        (article_id,) = archive.iter_article_ids()
        assert len(archive.images_of(article_id)) == 2


def test_a_page_without_its_folder_has_no_pictures(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "alone.html"
    page.write_text(article_with_figures("Alone", [("alone_files/a.png", "alt", "cap")]))
    import_(db, page)
    with Archive(db) as archive:
        (article_id,) = archive.iter_article_ids()
        assert archive.images_of(article_id) == []
        assert archive.image_count() == 0


def test_a_failed_import_leaves_no_picture(db: Path, tmp_path: Path, monkeypatch) -> None:
    from reader.archive import articles

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(articles, "add_keys", broken)
    result = CliRunner().invoke(
        main, ["--db", str(db), "import", "--jobs", "1", str(save_complete(tmp_path, "page"))]
    )
    assert "disk gone" in result.output
    with Archive(db) as archive:
        assert archive.article_count() == 0
        assert archive.image_count() == 0
