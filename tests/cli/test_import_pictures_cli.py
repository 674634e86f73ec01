"""`reader import` and `reader reindex` keep the pictures a saved page holds (issue 24):
each form end to end, each picture once per archive, the hostile ones named in the
output and nothing kept for them; a failed import leaves no picture behind."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main
from reader.ingest.pipeline import ingest_bytes
from tests.export.epub_pages import mhtml_with_images, singlefile_with_images
from tests.ingest.test_original_images import REFUSED, files_save, webarchive_with_images


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def write(tmp_path: Path, form: str) -> Path:
    if form == "files":
        return files_save(tmp_path)
    data, name = {
        "mhtml": (mhtml_with_images(), "p.mhtml"),
        "webarchive": (webarchive_with_images(), "p.webarchive"),
        "singlefile": (singlefile_with_images(), "p.html"),
    }[form]
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("form", ["mhtml", "webarchive", "singlefile", "files"])
def test_an_import_keeps_the_pictures_and_names_the_refused(
    archive_path: Path, tmp_path: Path, form: str
) -> None:
    path = write(tmp_path, form)
    result = run(archive_path, "import", str(path), "--jobs", "1")
    assert result.exit_code == 0, result.output
    for note in REFUSED:
        assert f"{path}: {note}" in result.stdout
    with Archive(archive_path) as archive:
        (article_id,) = archive.iter_article_ids()
        pictures = archive.images_of(article_id)
        assert sorted((p.media_type, p.width) for p in pictures) == [
            ("image/jpeg", 40),
            ("image/png", 40),
        ]
        assert archive.image_count() == 2


def test_pictures_are_kept_once_per_archive(archive_path: Path, tmp_path: Path) -> None:
    paths = [write(tmp_path, form) for form in ("mhtml", "webarchive", "singlefile")]
    result = run(archive_path, "import", *map(str, paths), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "Imported 3 articles" in result.stdout
    with Archive(archive_path) as archive:
        assert all(len(archive.images_of(i)) == 2 for i in archive.iter_article_ids())
        assert archive.image_count() == 2


def test_a_failed_import_leaves_no_picture(archive: Archive, monkeypatch) -> None:
    from reader.importer.imports import import_bytes

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Archive, "add_tags", broken)
    report = import_bytes(archive, mhtml_with_images(), filename="p.mhtml", tags=["t"])
    assert report.failed and not report.imported
    assert archive.article_count() == 0 and archive.image_count() == 0
    assert archive.conn.execute("SELECT count(*) FROM article_images").fetchone()[0] == 0


def test_reindex_gives_older_articles_their_pictures(archive_path: Path, tmp_path: Path) -> None:
    """An article imported before pictures were kept gets them from its original; a
    second reindex changes nothing; a `_files/` save's pictures stay."""
    files = files_save(tmp_path)
    assert run(archive_path, "import", str(files), "--jobs", "1").exit_code == 0
    with Archive(archive_path) as archive:
        raw, page = ingest_bytes(mhtml_with_images(), "old.mhtml")
        old = archive.add_article(dataclasses.replace(page, images=(), image_notes=()), raw)
        assert archive.images_of(old) == [] and archive.image_count() == 2
    result = run(archive_path, "reindex", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"#{old}: {REFUSED[0]}" in result.stdout
    with Archive(archive_path) as archive:
        assert len(archive.images_of(old)) == 2
        assert [len(archive.images_of(i)) for i in archive.iter_article_ids()] == [2, 2]
        before = {i: archive.images_of(i) for i in archive.iter_article_ids()}
        assert archive.image_count() == 2  # the folder's and the MHTML's are the same
    assert run(archive_path, "reindex", "--jobs", "2").exit_code == 0
    with Archive(archive_path) as archive:
        assert {i: archive.images_of(i) for i in archive.iter_article_ids()} == before
        assert archive.image_count() == 2


def test_the_lead_figure_outside_the_article_comes_with_its_picture(
    archive_path: Path, tmp_path: Path
) -> None:
    from tests.export.epub_pages import jpeg

    (tmp_path / "story_files").mkdir()
    (tmp_path / "story_files" / "storm-clouds.jpg").write_bytes(jpeg(200, 120))
    paragraphs = "".join(
        f"<p>Paragraph {i}: the storm came in over the bay on Monday, and the harbour master"
        " kept every boat in until the wind dropped after midnight.</p>"
        for i in range(5)
    )
    (tmp_path / "story.html").write_text(
        "<html><head><title>Storm</title></head><body><main><figure>"
        "<img src='story_files/storm-clouds.jpg' alt='Clouds'><figcaption>Clouds over the"
        " bay. <span class='credit'>Photo: Jane Doe</span></figcaption></figure>"
        f"<article><h1>Storm</h1>{paragraphs}</article></main></body></html>"
    )
    result = run(archive_path, "import", str(tmp_path / "story.html"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    with Archive(archive_path) as archive:
        (article_id,) = archive.iter_article_ids()
        assert [(p.width, p.height) for p in archive.images_of(article_id)] == [(200, 120)]
    shown = run(archive_path, "extract", "--format", "markdown", str(tmp_path / "story.html"))
    assert "![Clouds](story_files/storm-clouds.jpg)\n*Clouds over the bay. Photo: Jane Doe*" in (
        shown.stdout
    )
