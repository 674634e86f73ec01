"""Exporting a real archive: every file read back with CommonMark and YAML parsers."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from reader.archive import Archive, timestamp
from reader.export import MANIFEST_NAME, ExportError, export_markdown, render_article_markdown

# Until ARCHIVE and ANNOTATE land their stores, these tests have nothing to run against.
NEEDED = ("add_article", "add_highlight", "restore_annotation")
needs_archive = pytest.mark.skipif(
    not all(hasattr(Archive, name) for name in NEEDED),
    reason="archive article/annotation API not there yet",
)
pytestmark = needs_archive


HOSTILE_TITLES = [
    "../../etc/passwd",
    "CON",
    "aux.txt",
    "x" * 300,
    "🎉🎉",
    "a/b\\c: d",
    "",
    ".hidden",
]


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix != ".db" and "-wal" not in p.name and "-shm" not in p.name
    }


@pytest.fixture
def filled(archive, page_factory):
    """Articles with hostile titles and Markdown-laden highlights and notes."""
    ids = []
    for i, title in enumerate(HOSTILE_TITLES):
        paragraphs = [
            f"# Not a heading {i} with *stars* and <b>tags</b> and [a](javascript:alert(1)).",
            "1. Not a list; > not a quote; | not | a table |",
            f"A third paragraph {i} with `code` and &amp; entities.",
        ]
        page, raw = page_factory(title, paragraphs, url=f"https://example.com/{i}")
        article_id = archive.add_article(page, raw, tags=["hostile", f"t{i}"])
        text = archive.get_article(article_id).text
        # a highlight over two paragraphs (and the list-like line), one over a backtick
        # beside it (apart: overlapping highlights would merge), a note
        end = text.index("A third")
        archive.add_highlight(
            article_id, 0, end + 7, note="My *note*\n\n- not a list", color="green"
        )
        start = text.index("A third")
        archive.add_highlight(article_id, start + 8, start + 28)
        archive.add_article_note(article_id, f"Article note {i}: #tag [[link]] <script>x</script>")
        ids.append(article_id)
    page, raw = page_factory("No annotations here", ["Plain text."], url="https://example.com/n")
    ids.append(archive.add_article(page, raw))
    return ids


def check_file(archive, article_id: int, text: str, parse, normalize) -> None:
    parsed = parse(text)
    article = archive.get_summary(article_id)
    annotations = archive.annotations_for(article_id)
    highlights = [a for a in annotations if not a.is_article_note]
    notes = [a for a in annotations if a.is_article_note]
    assert parsed.meta["url"] == article.url
    assert parsed.meta["title"] == (" ".join(article.title.split()) or "Untitled")
    assert sorted(parsed.meta["tags"]) == sorted(archive.tags_of(article_id))
    assert parsed.meta["highlights"] == len(highlights)
    highlights.sort(key=lambda a: a.start)
    assert [h["quote"] for h in parsed.highlights] == [normalize(a.exact) for a in highlights]
    assert [h["note"] for h in parsed.highlights] == [normalize(a.note) for a in highlights]
    assert [h["meta"] for h in parsed.highlights] == [f"Color: {a.color}" for a in highlights]
    assert parsed.notes == [normalize(a.note) for a in notes]


def test_folder_export_reads_back(archive, filled, tmp_path, md_parse, md_normalize) -> None:
    out = tmp_path / "notes"
    outside_before = tree(tmp_path)
    report = export_markdown(archive, None, out)
    assert report.articles == len(HOSTILE_TITLES)
    assert report.highlights == 2 * len(HOSTILE_TITLES)
    assert report.notes == len(HOSTILE_TITLES)
    files = sorted(p for p in out.iterdir() if p.name != MANIFEST_NAME)
    assert len(files) == len(HOSTILE_TITLES)  # distinct names, the unannotated left out
    # nothing was written anywhere but the export folder
    outside_after = {k: v for k, v in tree(tmp_path).items() if not k.startswith("notes/")}
    assert outside_after == outside_before
    by_url = {}
    for path in files:
        assert path.parent == out and path.suffix == ".md"
        text = path.read_text()
        by_url[md_parse(text).meta["url"]] = text
    for article_id in filled[:-1]:
        url = archive.get_summary(article_id).url
        check_file(archive, article_id, by_url[url], md_parse, md_normalize)


def test_second_run_changes_nothing(archive, filled, tmp_path) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    report = export_markdown(archive, None, out)
    assert report.written == [] and len(report.unchanged) == len(HOSTILE_TITLES)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    assert after == before


def test_reexport_updates_the_same_file(archive, filled, tmp_path) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    names = sorted(p.name for p in out.iterdir())
    annotation = archive.annotations_for(filled[0])[0]
    archive.update_annotation(annotation.id, note="A changed note")
    report = export_markdown(archive, None, out)
    assert len(report.written) == 1
    assert sorted(p.name for p in out.iterdir()) == names
    assert "A changed note" in report.written[0].read_text()


def test_all_includes_unannotated(archive, filled, tmp_path, md_parse) -> None:
    out = tmp_path / "notes"
    report = export_markdown(archive, None, out, include_all=True)
    assert report.articles == len(filled)
    text = (out / "No annotations here.md").read_text()
    parsed = md_parse(text)
    assert parsed.meta["highlights"] == 0 and parsed.highlights == [] and parsed.notes == []


def test_query_selection_keeps_its_order(archive, filled, tmp_path, md_parse_collection) -> None:
    chosen = [filled[2], filled[0]]
    buffer = io.StringIO()
    report = export_markdown(archive, chosen, "-", stdout=buffer)
    assert report.articles == 2 and report.output is None
    meta, parsed = md_parse_collection(buffer.getvalue())
    assert meta["articles"] == 2
    assert [p.meta["title"] for p in parsed] == [
        " ".join(archive.get_summary(i).title.split()) or "Untitled" for i in chosen
    ]


def test_single_file_and_its_overwrite_rule(archive, filled, tmp_path, md_parse_collection) -> None:
    target = tmp_path / "all.md"
    report = export_markdown(archive, None, target)
    assert report.output == target and report.written == [target]
    meta, parsed = md_parse_collection(target.read_text())
    assert meta["highlights"] == 2 * len(HOSTILE_TITLES)
    assert len(parsed) == len(HOSTILE_TITLES)
    again = export_markdown(archive, None, target)
    assert again.written == [] and again.unchanged == [target]
    # a file of the user's at the target is not overwritten without force
    mine = tmp_path / "mine.md"
    mine.write_text("my notes\n")
    with pytest.raises(ExportError, match=r"mine\.md.*--force"):
        export_markdown(archive, None, mine)
    assert mine.read_text() == "my notes\n"
    export_markdown(archive, None, mine, force=True)
    assert mine.read_text() == target.read_text()


def test_edited_file_is_merged_and_force_keeps_the_users_lines(archive, filled, tmp_path) -> None:
    # Issue #22 changed this: an edited file was a conflict needing --force (which
    # replaced it whole); now reader merges its part into it, and --force only makes
    # reader's part win, the user's own lines kept.
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    edited = next(p for p in out.iterdir() if p.name != MANIFEST_NAME)
    edited.write_text(edited.read_text() + "\nMy own addition.\n")
    for article_id in filled[:-1]:
        archive.add_article_note(article_id, "another note")
    report = export_markdown(archive, None, out)
    assert report.merged == [edited]
    assert "My own addition." in edited.read_text()
    assert "another note" in edited.read_text()
    export_markdown(archive, None, out, force=True)
    assert "My own addition." in edited.read_text()


def _mark_time(archive: Archive) -> str:
    """A --since value strictly between what exists now and what is changed next.

    Archive timestamps have one-second resolution: the mark is a second after the
    archive's clock, and the clock moves on to a second after the mark.
    """
    moment = archive.clock() + timedelta(seconds=1)
    archive.clock = lambda: moment + timedelta(seconds=1)
    return timestamp(moment)


def test_since(archive, filled, tmp_path, md_parse, md_parse_collection, md_normalize) -> None:
    out = tmp_path / "notes"
    export_markdown(archive, None, out)
    mark = _mark_time(archive)
    changed = archive.annotations_for(filled[1])[0]
    archive.update_annotation(changed.id, note="fresh")
    # into a folder: only the changed article's file is rewritten, and it stays whole
    report = export_markdown(archive, None, out, since=mark)
    assert report.articles == 1
    assert len(report.written) == 1
    parsed = md_parse(report.written[0].read_text())
    assert parsed.meta["url"] == archive.get_summary(filled[1]).url
    assert parsed.meta["highlights"] == 2
    # to standard output: only the changed annotation
    buffer = io.StringIO()
    report = export_markdown(archive, None, "-", since=mark, stdout=buffer)
    meta, articles = md_parse_collection(buffer.getvalue())
    assert meta["articles"] == 1 and meta["highlights"] == 1 and meta["notes"] == 0
    assert articles[0].highlights[0]["quote"] == md_normalize(changed.exact)
    assert articles[0].highlights[0]["note"] == "fresh"
    # nothing changed after now
    buffer = io.StringIO()
    report = export_markdown(archive, None, "-", since=_mark_time(archive), stdout=buffer)
    assert report.articles == 0


def test_render_matches_archive_api(archive, filled, md_parse, md_normalize) -> None:
    article_id = filled[3]
    text = render_article_markdown(
        archive.get_summary(article_id),
        archive.annotations_for(article_id),
        archive.tags_of(article_id),
    )
    check_file(archive, article_id, text, md_parse, md_normalize)
