"""Re-exporting into files the user edited (#22): reader's part updated in place, the
user's lines kept byte for byte, notes changed in a file taken back into reader, renamed
files found again; for every preset."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from reader.export import MANIFEST_NAME, ExportError, export_markdown
from reader.export.blocks import LAYOUTS, id_names, parse_file
from reader.export.files import Manifest
from reader.export.presets import PRESETS, render_preset
from reader.export.render import article_fields

PARAGRAPHS = [
    "Alpha paragraph opens the story.",
    "Bravo paragraph says something worth keeping.",
    "Charlie paragraph in the middle.",
    "Delta paragraph near the end.",
    "Echo paragraph closes it.",
]


def span(archive: Archive, article_id: int, words: str) -> tuple[int, int]:
    text = archive.get_article(article_id).text
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def article(archive: Archive, page_factory) -> int:
    page, raw = page_factory("A story", PARAGRAPHS, url="https://example.com/story")
    article_id = archive.add_article(page, raw, tags=["news"])
    for words, note in [
        ("Alpha paragraph", "first thought"),
        ("Charlie paragraph", "old note B"),
        ("Echo paragraph", ""),
    ]:
        archive.add_highlight(article_id, *span(archive, article_id, words), note=note)
    archive.add_article_note(article_id, "Overall: good")
    return article_id


def key_of(archive: Archive, article_id: int, words: str) -> str:
    for a in archive.annotations_for(article_id):
        if a.exact == words:
            return f"hl-{a.id}"
    raise AssertionError(words)


def the_file(out: Path) -> Path:
    [path] = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
    return path


def readers_part(archive: Archive, article_id: int, text: str, preset: str) -> list[str]:
    """Reader's blocks in `text`, each as its text (what a fresh export would write)."""
    keys = [
        f"{'note' if a.is_article_note else 'hl'}-{a.id}"
        for a in archive.annotations_for(article_id)
    ]
    parsed = parse_file(text, LAYOUTS[preset], id_names(keys))
    return ["".join(parsed.block_lines(b)) for b in parsed.blocks]


def fresh_part(archive: Archive, article_id: int, preset: str) -> list[str]:
    summary = archive.get_summary(article_id)
    fields = article_fields(
        summary, archive.annotations_for(article_id), archive.tags_of(article_id)
    )
    return readers_part(archive, article_id, render_preset(preset, fields), preset)


def insert_after(text: str, anchor_line_start: str, new: str, *, last: bool = False) -> str:
    """`new` (lines) inserted after the line starting with `anchor_line_start`."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(anchor_line_start)]
    at = found[-1 if last else 0] + 1
    return "".join([*lines[:at], new, *lines[at:]])


def id_line(preset: str, archive: Archive, key: str) -> str:
    """The start of the last line of highlight `key` (with a note) in `preset`."""
    from reader.export.presets import block_uuid

    return {
        "obsidian": f"^{key}",
        "plain": f"<!-- {key} -->",
        # the first highlight has a note: its block ends with the note's own id
        "logseq": f"\t  id:: {block_uuid(key + '/note')}",
    }.get(preset, "")


@pytest.mark.parametrize("preset", PRESETS)
def test_edits_survive_and_readers_part_is_current(
    archive: Archive, article: int, tmp_path: Path, preset: str
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out, preset=preset)
    path = the_file(out)
    text = path.read_text()
    key_a = key_of(archive, article, "Alpha paragraph")
    key_b = key_of(archive, article, "Charlie paragraph")

    # The user's edits, as people make them.
    above = "My summary, written above the highlights.\n\n"
    under_a = "A line I wrote under the first highlight.\n"
    after = "\nClosing words of mine.\n"
    lines = text.splitlines(keepends=True)
    head_end = 0
    if preset in ("obsidian", "plain", "readwise") and lines[0] == "---\n":
        head_end = lines.index("---\n", 1) + 1
    elif preset == "logseq":
        head_end = next(i for i, line in enumerate(lines) if not line.strip())
    lines.insert(head_end + 1, above)
    text = "".join(lines)
    if preset == "readwise":
        anchor = next(ln for ln in text.splitlines() if ln.endswith(f"^{key_a}"))
    else:
        anchor = id_line(preset, archive, key_a)
    text = insert_after(text, anchor, under_a, last=True)
    text = text + after
    assert "old note B" in text
    text = text.replace("old note B", "my better note B")
    if preset == "logseq":
        text = "mood:: curious\n" + text
    elif preset == "readwise":  # Readwise's layout has no front matter: the user adds one
        text = "---\nmood: curious\n---\n" + text
    else:
        text = text.replace("\ntags:\n", "\nmood: curious\ntags:\n", 1)
    renamed = out / "sub" / "Renamed by me.md"
    renamed.parent.mkdir()
    renamed.write_text(text)
    path.unlink()

    # Meanwhile in reader: a new highlight between the first two, one deleted.
    archive.add_highlight(article, *span(archive, article, "Bravo paragraph"), note="new one")
    echo = key_of(archive, article, "Echo paragraph")
    archive.delete_annotation(int(echo.split("-")[1]))

    report = export_markdown(archive, None, out, preset=preset)
    assert report.merged == [renamed] and report.conflicts == []
    assert [(e.path, e.block) for e in report.pulled] == [(renamed, key_b)]
    assert [p.relative_to(out).as_posix() for p in out.rglob("*.md")] == ["sub/Renamed by me.md"]
    assert set(Manifest.load(out).files) == {"sub/Renamed by me.md"}
    merged = renamed.read_text()
    for mine in (above, under_a, after, "curious"):
        assert mine in merged, (mine, merged)
    # the line under the first highlight stays right under it, before the new one
    assert merged.index(under_a) < merged.index("Bravo paragraph")
    assert "Echo paragraph" not in merged
    # the note changed in the file is reader's now, and reader's part is a fresh export's
    notes = {a.exact: a.note for a in archive.annotations_for(article)}
    assert notes["Charlie paragraph"] == "my better note B"
    assert readers_part(archive, article, merged, preset) == fresh_part(archive, article, preset)
    # and a second run changes nothing
    again = export_markdown(archive, None, out, preset=preset)
    assert again.written == [] and again.pulled == []


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def note_of_b(archive: Archive, article: int) -> str:
    return next(a.note for a in archive.annotations_for(article) if a.exact == "Charlie paragraph")


def test_both_changed_keeps_both_and_reports_it(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    path.write_text(path.read_text().replace("old note B", "file's note B"))
    key_b = key_of(archive, article, "Charlie paragraph")
    archive.update_annotation(int(key_b.split("-")[1]), note="reader's note B")
    report = export_markdown(archive, None, out)
    assert [(e.path, e.block) for e in report.conflicts] == [(path, key_b)]
    assert report.pulled == [] and "1 conflict, both texts kept" in report.summary()
    note = note_of_b(archive, article)
    assert note.startswith("reader's note B\n\n--- edited in ")
    assert note.endswith(":\nfile's note B")
    text = path.read_text()
    assert "reader's note B" in text and "file's note B" in text and "edited in" in text
    # settled: the next run neither reports it again nor appends it twice
    again = export_markdown(archive, None, out)
    assert again.conflicts == [] and note_of_b(archive, article) == note


def test_the_cli_reports_a_conflict_with_file_and_block(
    archive: Archive, archive_path: Path, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    path.write_text(path.read_text().replace("old note B", "file's note B"))
    key_b = key_of(archive, article, "Charlie paragraph")
    archive.update_annotation(int(key_b.split("-")[1]), note="reader's note B")
    result = CliRunner().invoke(main, ["--db", str(archive_path), "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Conflict: {path} {key_b}: changed in reader and in the file" in result.output


def test_force_is_reader_wins_and_keeps_the_users_lines(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    edited = path.read_text().replace("old note B", "file's note B") + "\nMine.\n"
    path.write_text(edited)
    report = export_markdown(archive, None, out, force=True)
    assert report.pulled == [] and report.conflicts == []
    assert note_of_b(archive, article) == "old note B"
    text = path.read_text()
    assert "old note B" in text and "file's note B" not in text and text.endswith("\nMine.\n")


def test_pull_takes_notes_and_writes_nothing(
    archive: Archive, archive_path: Path, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    key_a = key_of(archive, article, "Alpha paragraph")
    text = path.read_text().replace("old note B", "pulled note B")
    # the user deleted the first highlight's block: reader keeps it, and says so
    start = text.index("> Alpha paragraph")
    end = text.index(f"^{key_a}\n") + len(f"^{key_a}\n")
    path.write_text(text[:start] + text[end:])
    before = tree(out)
    result = CliRunner().invoke(
        main, ["--db", str(archive_path), "export", "--out", str(out), "--pull"]
    )
    assert result.exit_code == 0, result.output
    assert tree(out) == before
    assert note_of_b(archive, article) == "pulled note B"
    assert "1 note taken into reader" in result.output and "no file written" in result.output
    assert f"{key_a}: deleted in the file, still in reader" in result.output
    assert any(a.exact == "Alpha paragraph" for a in archive.annotations_for(article))
    # the next export puts the deleted block back, and takes nothing twice
    report = export_markdown(archive, None, out)
    assert [e.block for e in report.restored] == [key_a] and report.pulled == []
    assert "> Alpha paragraph" in path.read_text()
    assert note_of_b(archive, article) == "pulled note B"


def test_a_file_edited_before_block_ids_still_needs_force(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    manifest = Manifest.load(out)
    for entry in manifest.files.values():  # as an export before #22 left it
        for key in ("blocks", "preset", "keys", "pure"):
            entry.pop(key, None)
    manifest.save()
    path.write_text(path.read_text() + "\nMine.\n")
    with pytest.raises(ExportError, match=r"another layout.*--force"):
        export_markdown(archive, None, out)
    assert path.read_text().endswith("\nMine.\n")
    export_markdown(archive, None, out, force=True)
    assert "Mine." not in path.read_text()


def test_another_preset_over_an_edited_file_needs_force(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    path.write_text(path.read_text() + "\nMine.\n")
    with pytest.raises(ExportError, match="another layout"):
        export_markdown(archive, None, out, preset="logseq")
    # an untouched file simply takes the new layout
    export_markdown(archive, None, out, force=True, preset="logseq")
    assert path.read_text().startswith("title:: A story\n")


def test_a_moved_file_is_found_by_its_block_ids_without_front_matter(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out, preset="readwise")
    path = the_file(out)
    moved = out / "Elsewhere.md"
    path.rename(moved)
    report = export_markdown(archive, None, out, preset="readwise")
    assert report.written == [] and report.unchanged == [moved]
    assert not path.exists() and set(Manifest.load(out).files) == {"Elsewhere.md"}


def test_a_symlinked_subfolder_is_never_followed(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    outside = tmp_path / "outside"
    outside.mkdir()
    path.rename(outside / "stolen.md")
    (out / "link").symlink_to(outside)
    export_markdown(archive, None, out)
    assert (outside / "stolen.md").read_bytes() != b"" and path.exists()
    assert [p.name for p in outside.iterdir()] == ["stolen.md"]


def test_a_template_without_block_ids_is_not_merged_into(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    template = tmp_path / "t.j2"
    template.write_text("{{ title_md }}\n{% for h in highlights %}{{ h.quote_md }}\n{% endfor %}")
    out = tmp_path / "notes"
    export_markdown(archive, None, out, template=template)
    path = the_file(out)
    path.write_text(path.read_text() + "Mine.\n")
    with pytest.raises(ExportError, match="no block ids"):
        export_markdown(archive, None, out, template=template)
    # with block ids, a template's file is merged into like a preset's
    template.write_text(
        "{{ title_md }}\n\n{% for h in highlights %}{{ h.quote_md }}\n^{{ h.block_id }}\n\n"
        "{% endfor %}"
    )
    export_markdown(archive, None, out, template=template, force=True)
    path.write_text(path.read_text() + "Mine.\n")
    archive.add_highlight(article, *span(archive, article, "Delta paragraph"))
    report = export_markdown(archive, None, out, template=template)
    text = path.read_text()
    assert report.merged == [path] and text.endswith("Mine.\n")
    assert text.index("> Charlie") < text.index("> Delta") < text.index("> Echo")


@pytest.mark.parametrize(
    ("preset", "add_note"),
    [
        (
            "obsidian",
            lambda text, key: text.replace(f"\n^{key}\n", f"\n**Note:** added\n\n^{key}\n"),
        ),
        ("readwise", lambda text, key: text.replace(f" ^{key}\n", f" ^{key}\n    - Note: added\n")),
    ],
)
def test_a_note_written_in_the_file_for_a_highlight_without_one_comes_back(
    archive: Archive, article: int, tmp_path: Path, preset: str, add_note
) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out, preset=preset)
    path = the_file(out)
    key = key_of(archive, article, "Echo paragraph")
    edited = add_note(path.read_text(), key)
    assert "added" in edited
    path.write_text(edited)
    report = export_markdown(archive, None, out, preset=preset)
    assert [e.block for e in report.pulled] == [key]
    assert (
        next(a.note for a in archive.annotations_for(article) if a.exact == "Echo paragraph")
        == "added"
    )
    assert path.read_text().count("added") == 1


def test_a_note_changed_in_a_block_a_filtered_export_drops_is_taken_first(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    from reader.highlight_filter import HighlightFilter

    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    path = the_file(out)
    path.write_text(path.read_text().replace("old note B", "kept note B"))
    alpha = int(key_of(archive, article, "Alpha paragraph").split("-")[1])
    archive.update_annotation(alpha, color="green")
    report = export_markdown(archive, None, out, highlights=HighlightFilter(colors=("green",)))
    assert "Charlie paragraph" not in path.read_text()  # the file shows the selection
    assert note_of_b(archive, article) == "kept note B"  # and the user's edit is not lost
    assert [e.block for e in report.pulled] == [key_of(archive, article, "Charlie paragraph")]


def test_files_written_before_a_failure_are_in_the_manifest(
    archive: Archive, article: int, tmp_path: Path, page_factory, monkeypatch
) -> None:
    import reader.export.folder as folder_module

    page, raw = page_factory("Another", ["Some other text."], url="https://example.com/2")
    other = archive.add_article(page, raw)
    archive.add_highlight(other, *span(archive, other, "other text"))
    written: list[Path] = []

    def fail_second(target: Path, data: bytes) -> None:
        if written:
            raise ExportError(f"{target}: cannot write: disk full")
        written.append(target)
        target.write_bytes(data)

    monkeypatch.setattr(folder_module, "atomic_write", fail_second)
    out = tmp_path / "notes"
    with pytest.raises(ExportError, match="disk full"):
        export_markdown(archive, None, out)
    assert set(Manifest.load(out).files) == {written[0].name}


def test_an_articles_epub_book_in_the_folder_is_never_taken_for_its_markdown_file(
    archive: Archive, article: int, tmp_path: Path
) -> None:
    from reader.export.epub import export_epub

    out = tmp_path / "notes"
    export_epub(archive, None, out, title="Books")
    [book] = list(out.glob("*.epub"))
    before = book.read_bytes()
    report = export_markdown(archive, None, out)
    assert [p.suffix for p in report.written] == [".md"]
    assert book.read_bytes() == before
    assert sorted(Manifest.load(out).files) == ["A story.epub", "A story.md"]
