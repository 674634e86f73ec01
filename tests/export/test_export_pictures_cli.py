"""`reader export --pictures` on an archive a "Webpage, Complete" import filled: the kept
pictures land in `assets/` beside the notes, linked from the highlighted captions; the
config's `export_pictures`; the formats and outputs that take no pictures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main

from .epub_pages import article_with_figures, jpeg, png
from .picture_archive import links, resolves, tree


def save_complete(folder: Path, name: str) -> Path:
    """`name.html` beside `name_files/`, two figures showing a PNG and a JPEG."""
    files = folder / f"{name}_files"
    files.mkdir(parents=True)
    (files / "a.png").write_bytes(png())
    (files / "shot.jpg").write_bytes(jpeg())
    srcs = [
        (f"{name}_files/a.png", "alt red", f"A red [photo] of {name}"),
        (f"{name}_files/shot.jpg", "alt blue", f"A blue shot of {name}"),
    ]
    path = folder / f"{name}.html"
    path.write_text(article_with_figures(f"Saved {name}", srcs), encoding="utf-8")
    return path


def run(db: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False, env=env)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two saved pages (the same pictures) and a page without any, each with a highlight:
    on the red picture's caption, on the blue one's, on plain text."""
    path = tmp_path / "archive.db"
    pages = tmp_path / "pages"
    plain = pages / "plain.html"
    first, second = save_complete(pages, "first"), save_complete(pages, "second")
    plain.write_text(
        "<html><head><title>Plain</title></head><body><article><h1>Plain</h1>"
        + "<p>A page with words and no pictures at all, long enough to be an article.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = run(path, "import", str(first), str(second), str(plain))
    assert result.exit_code == 0, result.output
    with Archive(path) as archive:
        assert archive.image_count() == 2
        for article_id in archive.article_ids(""):
            article = archive.get_article(article_id)
            assert article is not None
            text = article.document.text
            for words in ("A red [photo]", "A blue shot", "no pictures at all"):
                if words in text:
                    start = text.index(words)
                    archive.add_highlight(article_id, start, start + len(words))
                    break
    return path


def assets(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "assets").iterdir())


def test_a_folder_with_pictures_then_nothing_changes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    result = run(db, "export", "--out", str(out), "--pictures")
    assert result.exit_code == 0, result.output
    assert "3 written, 0 unchanged; 2 pictures in assets (2 written)" in result.output
    # Shared by two articles, each written once, named by the hash of the kept bytes.
    with Archive(db) as archive:
        kept = {i.sha256: i.media_type for a in (1, 2) for i in archive.images_of(a)}
    suffix = {"image/png": "png", "image/jpeg": "jpg"}
    assert assets(out) == sorted(f"{sha}.{suffix[kind]}" for sha, kind in kept.items())
    for name in ("Saved first.md", "Saved second.md"):
        ((alt, target),) = links(out / name)
        assert alt.startswith(r"A red \[photo\] of")
        found = resolves(out / name, target)
        assert hashlib.sha256(found.read_bytes()).hexdigest() == found.stem
    assert links(out / "Plain.md") == []
    before = tree(out)
    again = run(db, "export", "--out", str(out), "--pictures")
    assert "0 written, 3 unchanged; 2 pictures in assets (0 written)" in again.output
    assert tree(out) == before


def test_without_the_option_nothing_changes_from_before(db: Path, tmp_path: Path) -> None:
    plain, other = tmp_path / "plain", tmp_path / "off"
    assert run(db, "export", "--out", str(plain)).exit_code == 0
    result = run(db, "export", "--out", str(other), "--no-pictures")
    assert "picture" not in result.output and not (other / "assets").exists()
    assert {p.name: p.read_bytes() for p in plain.iterdir()} == {
        p.name: p.read_bytes() for p in other.iterdir()
    }


def test_the_config_turns_it_on_and_the_option_off(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('export_pictures = "on"\n', encoding="utf-8")
    env = {"READER_CONFIG": str(config)}
    out = tmp_path / "notes"
    result = run(db, "export", "--out", str(out), env=env)
    assert "2 pictures in assets" in result.output
    off = tmp_path / "off"
    result = run(db, "export", "--out", str(off), "--no-pictures", env=env)
    assert "picture" not in result.output and not (off / "assets").exists()
    # Standard output takes none: the config does not make `-` fail.
    assert run(db, "export", "--out", "-", env=env).exit_code == 0
    shown = run(db, "config", env=env)
    assert "export_pictures" in shown.output


def test_a_note_written_in_a_file_with_pictures_comes_back(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    run(db, "export", "--out", str(out), "--pictures", "--preset", "plain")
    note = out / "Saved first.md"
    text = note.read_text(encoding="utf-8")
    with Archive(db) as archive:
        article_id = next(
            i for i in archive.article_ids("") if archive.get_summary(i).title == "Saved first"
        )
        (highlight,) = archive.annotations_for(article_id)
    marker = f"<!-- hl-{highlight.id} -->"
    assert marker in text
    note.write_text(text.replace(marker, f"**Note:** Mine.\n\n{marker}"), "utf-8")
    result = run(db, "export", "--out", str(out), "--pictures", "--preset", "plain")
    assert "1 note taken from the files" in result.output
    with Archive(db) as archive:
        assert [a.note for a in archive.annotations_for(article_id)] == ["Mine."]
    assert len(links(note)) == 1 and "**Note:** Mine." in note.read_text(encoding="utf-8")


def test_one_file_with_pictures(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.md"
    result = run(db, "export", "--out", str(out), "--pictures")
    assert result.exit_code == 0, result.output
    found = links(out)
    assert len(found) == 2 and len({target for _, target in found}) == 1
    for _, target in found:
        resolves(out, target)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "-", "--pictures"), "--pictures writes pictures beside the notes"),
        (("--format", "json", "--out", "x.json", "--pictures"), "applies to Markdown"),
    ],
)
def test_what_takes_no_pictures_is_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    result = run(db, "export", *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert message in result.output
