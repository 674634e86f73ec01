"""Pictures in the Markdown export (`pictures=True`): the kept pictures written once into
`assets/` by their hash, linked relatively from the highlight next to their figure; the
output without the option the same bytes as an archive without pictures gives."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.archive import Archive
from reader.document import Block, Document
from reader.export import ExportError, export_markdown
from reader.export.pictures import (
    Picture,
    picture_markdown,
    pictures_of,
    relative_prefix,
    with_pictures,
)
from reader.export.presets import PRESETS
from reader.models import StoredImage

from .picture_archive import (
    BLUE,
    LINK,
    RED,
    article_with_pictures,
    article_without_pictures,
    links,
    resolves,
    tree,
)

RED_NAME = f"assets/{hashlib.sha256(RED).hexdigest()}.png"
BLUE_NAME = f"assets/{hashlib.sha256(BLUE).hexdigest()}.jpg"


def stored(src: str, data: bytes = b"x", media_type: str = "image/png") -> StoredImage:
    return StoredImage(src, hashlib.sha256(data).hexdigest(), media_type, 4, 3, b"")


# --- Pure: which pictures, their Markdown --------------------------------------------


def test_pictures_follow_the_figures_and_are_named_by_their_hash() -> None:
    document = Document(
        (
            Block("paragraph", "Words."),
            Block("figure", "", alt="only an alt", src="https://e.com/p_files/a.png"),
            Block("figure", "Again", src="https://e.com/p_files/a.png"),  # same picture
            Block("figure", "Odd", src="https://e.com/p_files/odd.gif"),
            Block("figure", "Unkept", src="https://e.com/other.png"),
        )
    )
    kept = [
        stored("p_files/a.png", b"a"),
        stored("p_files/odd.gif", b"g", "image/gif"),  # a type reader never writes
    ]
    (only,) = pictures_of(document, kept)
    assert (only.block, only.alt) == (1, "only an alt")
    assert only.name == f"assets/{hashlib.sha256(b'a').hexdigest()}.png"


def test_a_hash_that_is_not_one_never_becomes_a_file_name() -> None:
    document = Document((Block("figure", "Cap", src="https://e.com/a.png"),))
    bad = StoredImage("a.png", "../../etc/passwd", "image/png", 1, 1, b"")
    assert pictures_of(document, [bad]) == []


@given(st.text(max_size=80))
def test_alt_text_is_escaped_and_one_clean_line(caption: str) -> None:
    document = Document((Block("figure", caption, alt="", src="https://e.com/a.png"),))
    found = pictures_of(document, [stored("a.png")])
    if not found:
        return
    text = picture_markdown(found[0], "../")
    assert "\n" not in text and not any(ord(c) < 32 or ord(c) == 127 for c in text)
    match = LINK.fullmatch(text)
    assert match is not None, text
    assert match.group(2) == "../" + found[0].name


def test_relative_prefix_climbs_out_of_subfolders() -> None:
    assert relative_prefix("Note.md") == ""
    assert relative_prefix("a/b/Note.md") == "../../"


def test_a_picture_goes_with_the_first_highlight_next_to_or_on_its_figure() -> None:
    document = Document(
        (
            Block("paragraph", "Zero."),
            Block("figure", "Cap", src="https://e.com/a.png"),
            Block("paragraph", "Two."),
            Block("paragraph", "Three."),
        )
    )
    picture = Picture(1, "0" * 64, "assets/" + "0" * 64 + ".png", "Cap", 4, 3)
    text = document.text

    def hl(words: str, number: int) -> dict[str, object]:
        start = text.index(words)
        return {"start": start, "end": start + len(words), "orphaned": False, "id": number}

    fields = {"id": 1, "highlights": [hl("Zero.", 1), hl("Two.", 2), hl("Three.", 3)]}
    out = with_pictures(fields, [picture], document, "../")
    shown = [[p["path"] for p in h.get("pictures", [])] for h in out["highlights"]]
    assert shown == [["../" + picture.name], [], []]  # once, to the first that touches it
    assert [p["md"] for p in out["pictures"]] == [f"![Cap](../{picture.name})"]
    far = with_pictures({"id": 1, "highlights": [hl("Three.", 3)]}, [picture], document)
    assert far["highlights"][0].get("pictures", []) == []
    on_caption = with_pictures({"id": 1, "highlights": [hl("Cap", 4)]}, [picture], document)
    assert on_caption["highlights"][0]["pictures"][0]["alt"] == "Cap"


# --- A folder, a file -----------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_a_folder_links_each_picture_beside_its_highlight(
    archive: Archive, tmp_path: Path, preset: str
) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    report = export_markdown(archive, [article_id], out, preset=preset, pictures=True)
    (note,) = report.written
    found = links(note)
    assert [target for _, target in found] == [RED_NAME]
    assert resolves(note, RED_NAME).read_bytes() == RED
    assert found[0][0] == r"A red \*photo\* \[1\]"  # escaped, the bell gone
    # The picture no highlight is near is written all the same (a template may show it).
    assert (out / BLUE_NAME).read_bytes() == BLUE
    assert report.pictures is not None and len(report.pictures.written) == 2
    assert "2 pictures in assets (2 written)" in report.summary()


def test_two_articles_share_one_file_and_a_plain_article_is_untouched(
    archive: Archive, tmp_path: Path
) -> None:
    first = article_with_pictures(archive, "one")
    second = article_with_pictures(archive, "two")  # the same two pictures
    plain = article_without_pictures(archive)
    out = tmp_path / "with"
    report = export_markdown(archive, [first, second, plain], out, pictures=True)
    assert sorted(p.name for p in (out / "assets").iterdir()) == sorted(
        Path(n).name for n in (RED_NAME, BLUE_NAME)
    )
    assert report.pictures is not None and report.pictures.count == 2
    bare = tmp_path / "without"
    export_markdown(archive, [plain], bare)
    assert (out / "Plain.md").read_bytes() == (bare / "Plain.md").read_bytes()


def test_without_the_option_the_output_is_as_without_pictures(
    archive: Archive, tmp_path: Path, archive_path: Path
) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    report = export_markdown(archive, [article_id], out)
    assert report.pictures is None and "picture" not in report.summary()
    assert not (out / "assets").exists()
    text = report.written[0].read_bytes()
    assert b"![" not in text
    # The same article with its pictures gone exports the same bytes.
    archive.conn.execute("DELETE FROM article_images")
    again = tmp_path / "again"
    export_markdown(archive, [article_id], again)
    assert (again / report.written[0].name).read_bytes() == text


def test_a_second_export_writes_nothing(archive: Archive, tmp_path: Path) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    export_markdown(archive, [article_id], out, pictures=True)
    before = tree(out)
    report = export_markdown(archive, [article_id], out, pictures=True)
    assert report.written == [] and report.pictures is not None
    assert report.pictures.written == [] and len(report.pictures.unchanged) == 2
    assert tree(out) == before


def test_an_edited_and_moved_file_keeps_working_links(archive: Archive, tmp_path: Path) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    (note,) = export_markdown(archive, [article_id], out, pictures=True).written
    (out / "sub").mkdir()
    moved = out / "sub" / "Renamed.md"
    os.rename(note, moved)
    moved.write_text(moved.read_text() + "\nMy own line.\n", encoding="utf-8")
    report = export_markdown(archive, [article_id], out, pictures=True)
    assert report.written == [moved] and report.merged == [moved]
    text = moved.read_text()
    assert "My own line." in text
    assert [target for _, target in links(moved)] == ["../" + RED_NAME]
    resolves(moved, "../" + RED_NAME)


def test_one_file_puts_assets_beside_it(archive: Archive, tmp_path: Path) -> None:
    first = article_with_pictures(archive, "one")
    plain = article_without_pictures(archive)
    out = tmp_path / "all" / "notes.md"
    report = export_markdown(archive, [first, plain], out, pictures=True)
    assert [target for _, target in links(out)] == [RED_NAME]
    resolves(out, RED_NAME)
    assert (out.parent / BLUE_NAME).is_file()
    before = tree(out.parent)
    report = export_markdown(archive, [first, plain], out, pictures=True)
    assert report.written == [] and tree(out.parent) == before


def test_standard_output_takes_no_pictures(archive: Archive) -> None:
    with pytest.raises(ExportError, match="--pictures"):
        export_markdown(archive, None, "-", pictures=True)


def test_a_foreign_file_in_assets_stops_the_export_before_any_write(
    archive: Archive, tmp_path: Path
) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    (out / "assets").mkdir(parents=True)
    (out / RED_NAME).write_bytes(b"not the picture")
    with pytest.raises(ExportError, match="not the picture reader writes there"):
        export_markdown(archive, [article_id], out, pictures=True)
    assert {p.name for p in out.rglob("*")} == {"assets", Path(RED_NAME).name}
    export_markdown(archive, [article_id], out, pictures=True, force=True)
    assert (out / RED_NAME).read_bytes() == RED


def test_assets_as_a_symlink_is_never_followed(archive: Archive, tmp_path: Path) -> None:
    article_id = article_with_pictures(archive, "one")
    out = tmp_path / "notes"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "assets").symlink_to(elsewhere)
    with pytest.raises(ExportError, match="not a folder inside the export folder"):
        export_markdown(archive, [article_id], out, pictures=True, force=True)
    assert list(elsewhere.iterdir()) == []
