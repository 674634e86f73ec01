"""Exports into the archive (reader.importer.services): every item lands whole, matched
by URL, merged, missing pages filled when their page arrives, highlights anchored.

The export readers have tests of their own (tests/ingest/services); here a stand-in
reader yields items as any of them would, so these tests are about the archive side."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reader.archive import Archive
from reader.importer import imports
from reader.importer.imports import import_paths
from reader.importer.reports import ImportReport
from reader.importer.services import import_export
from reader.ingest.services import ItemPage, Quote, Refused, ServiceItem

from .pages import article_html, write_page

QUOTE = "the import pipeline reads each container before it looks at the article inside"


@dataclass
class StandIn:
    """An export reader for tests: yields `entries` for any file."""

    entries: list[ServiceItem | Refused] = field(default_factory=list)
    name: str = "Stand-in"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix == ".export"

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        yield from self.entries


def item(n: int, **fields: object) -> ServiceItem:
    values: dict[str, object] = {
        "source": "Stand-in",
        "where": f"export.csv:{n + 1}",
        "url": f"https://example.com/post-{n}?utm_source=feed",
        "title": f"Post {n}",
        "saved_at": f"2020-01-{n % 28 + 1:02d}T10:00:00Z",
        **fields,
    }
    return ServiceItem(**values)  # type: ignore[arg-type]


def run(archive: Archive, tmp_path: Path, reader: StandIn) -> ImportReport:
    path = tmp_path / "library.export"
    path.write_text("stand-in")
    report = ImportReport()
    assert import_export(archive, path, reader, report, max_size=10**7)
    return report


def test_items_without_pages_become_missing_pages(archive: Archive, tmp_path: Path) -> None:
    reader = StandIn(
        [
            item(
                0, tags=("news", "Long Reads"), starred=True, highlights=(Quote(QUOTE, note="n"),)
            ),
            item(1, archived=True, read=True, progress=0.4, notes=("An article note",)),
            Refused("export.csv:3", "a row with 2 fields, not 5"),
            item(3, url="javascript:alert(1)"),
            item(4, url=None, title=""),
        ]
    )
    report = run(archive, tmp_path, reader)
    (counts,) = report.services
    assert (len(counts.new), counts.missing, counts.waiting, counts.refused) == (2, 2, 1, 3)
    first, second = (archive.get_summary(i) for i in counts.new)
    assert first.missing and first.starred and first.tags == ("Long Reads", "news")
    assert first.added_at == "2020-01-01T10:00:00Z"
    assert second.is_archived and second.is_read and second.progress == 0.4
    (quote,) = archive.annotations_for(first.id)
    assert (quote.exact, quote.note, quote.orphaned) == (QUOTE, "n", True)
    assert [a.note for a in archive.annotations_for(second.id)] == ["An article note"]
    failed = dict(report.failed)
    assert failed[f"{tmp_path / 'library.export'}: export.csv:3"] == "a row with 2 fields, not 5"
    assert "http or https" in failed[f"{tmp_path / 'library.export'}: export.csv:4"]
    assert "neither a URL nor a title" in failed[f"{tmp_path / 'library.export'}: export.csv:5"]
    assert report.exit_code == 1
    line = counts.line()
    assert "2 articles new" in line and "2 missing pages" in line and "1 waiting" in line
    assert "3 entries refused" in line


def test_importing_the_same_export_again_changes_nothing(archive: Archive, tmp_path: Path) -> None:
    reader = StandIn(
        [
            item(0, tags=("a",), highlights=(Quote(QUOTE), Quote("Another quote here"))),
            item(1, notes=("note",)),
        ]
    )
    run(archive, tmp_path, reader)
    before = archive.conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations),"
        " (SELECT group_concat(updated_at) FROM articles)"
    ).fetchone()
    again = run(archive, tmp_path, reader)
    (counts,) = again.services
    assert (counts.new, counts.merged, counts.unchanged, counts.waiting) == ([], 0, 2, 0)
    after = archive.conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations),"
        " (SELECT group_concat(updated_at) FROM articles)"
    ).fetchone()
    assert after == before


def test_an_item_with_its_page_is_extracted_and_its_quotes_anchored(
    archive: Archive, tmp_path: Path
) -> None:
    page = ItemPage(article_html("The page's own title").encode(), "post-0.html")
    reader = StandIn(
        [item(0, title="My title", page=page, highlights=(Quote(QUOTE, color="green"),))]
    )
    report = run(archive, tmp_path, reader)
    (article_id,) = report.services[0].new
    article = archive.get_article(article_id)
    assert not article.missing and article.title == "My title"  # the export's own wins
    assert article.url == "https://example.com/post-0?utm_source=feed"
    (highlight,) = archive.annotations_for(article_id)
    assert article.text[highlight.start : highlight.end] == QUOTE
    assert highlight.color == "green" and not highlight.orphaned
    assert report.services[0].anchored == 1


def test_a_saved_page_fills_its_missing_page(archive: Archive, tmp_path: Path) -> None:
    reader = StandIn(
        [
            item(
                0,
                tags=("kept",),
                highlights=(Quote(QUOTE, note="mine"), Quote("Not on the page at all, anywhere")),
            )
        ]
    )
    (missing_id,) = run(archive, tmp_path, reader).services[0].new
    saved = write_page(
        tmp_path / "saved", "post.html", "Saved later", url="https://www.example.com/post-0/"
    )
    report = import_paths(archive, [saved], jobs=1)
    assert report.filled == [missing_id] and report.imported == []
    assert (report.filled_anchored, report.filled_waiting) == (1, 1)
    assert (
        "filled 1 missing page (1 waiting highlight anchored, 1 still waiting)" in report.summary()
    )
    article = archive.get_article(missing_id)
    assert not article.missing and article.title == "Post 0" and article.tags == ("kept",)
    placed = [a for a in archive.annotations_for(missing_id) if not a.orphaned]
    assert [article.text[a.start : a.end] for a in placed] == [QUOTE]
    assert archive.article_count() == 1
    # The page again: a duplicate now, as any page already imported.
    assert import_paths(archive, [saved], jobs=1).duplicates


def test_an_export_after_its_page_merges_into_the_article(archive: Archive, tmp_path: Path) -> None:
    saved = write_page(
        tmp_path / "saved", "post.html", "Saved first", url="https://example.com/post-0"
    )
    (article_id,) = import_paths(archive, [saved], jobs=1).imported
    reader = StandIn(
        [
            item(
                0,
                tags=("pocket",),
                starred=True,
                saved_at="2019-01-01T00:00:00Z",
                highlights=(Quote(QUOTE, note="why"),),
            )
        ]
    )
    report = run(archive, tmp_path, reader)
    counts = report.services[0]
    assert (counts.new, counts.merged, counts.anchored, counts.missing) == ([], 1, 1, 0)
    summary = archive.get_summary(article_id)
    assert (
        summary.starred
        and summary.tags == ("pocket",)
        and summary.added_at == "2019-01-01T00:00:00Z"
    )
    assert summary.title == "Saved first"
    (highlight,) = archive.annotations_for(article_id)
    assert highlight.note == "why" and not highlight.orphaned
    assert archive.article_count() == 1


def test_an_export_and_pages_in_one_import(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = StandIn([item(0, highlights=(Quote(QUOTE),)), item(1)])
    monkeypatch.setattr(
        imports, "detect_export", lambda path: reader if path.suffix == ".export" else None
    )
    export = tmp_path / "library.export"
    export.write_text("stand-in")
    saved = write_page(tmp_path / "saved", "post.html", "A page", url="https://example.com/post-0")
    other = write_page(tmp_path / "saved", "other.html", "Another", url="https://example.com/other")
    report = import_paths(archive, [saved, export, other], jobs=1)
    assert (
        len(report.services[0].new) == 2 and len(report.filled) == 1 and len(report.imported) == 1
    )
    assert archive.sidebar_counts()["missing"] == 1
    lines = report.summary().splitlines()
    assert lines[0].startswith(f"Stand-in ({export}): 2 articles new")
    assert lines[-1].startswith("Imported 1 article")


def test_a_bad_item_is_rolled_back_alone(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Archive.add_quote

    def failing(self: Archive, article_id: int, quote: str, **kwargs: object):  # type: ignore[no-untyped-def]
        if quote == "boom":
            raise ValueError("a value the archive refuses")
        return real(self, article_id, quote, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Archive, "add_quote", failing)
    reader = StandIn(
        [item(0), item(1, tags=("t",), highlights=(Quote("fine"), Quote("boom"))), item(2)]
    )
    report = run(archive, tmp_path, reader)
    assert len(report.services[0].new) == 2
    assert archive.article_count() == 2  # nothing of item 1: not its row, tags or quote
    assert archive.conn.execute("SELECT count(*) FROM annotations").fetchone() == (0,)
    assert archive.conn.execute("SELECT count(*) FROM article_tags").fetchone() == (0,)
    ((where, reason),) = report.failed
    assert where.endswith("export.csv:2") and "a value the archive refuses" in reason


def test_ctrl_c_keeps_whole_items_only(archive: Archive, tmp_path: Path) -> None:
    class Interrupted(StandIn):
        def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
            yield item(0)
            yield item(1)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(archive, tmp_path, Interrupted())
    # The batch being written was rolled back: no half item, and no count of it.
    assert archive.article_count() == 0


def test_a_book_without_url_is_matched_by_title_and_author(
    archive: Archive, tmp_path: Path
) -> None:
    book = dict(url=None, title="Deep Work", author="Cal Newport")
    run(archive, tmp_path, StandIn([item(0, **book, highlights=(Quote("Focus is rare"),))]))
    report = run(
        archive, tmp_path, StandIn([item(0, **book, highlights=(Quote("Depth matters"),))])
    )
    assert report.services[0].merged == 1 and archive.article_count() == 1
    assert len(archive.annotations_for(1)) == 2


def test_text_from_an_export_is_cleaned_and_bounded(archive: Archive, tmp_path: Path) -> None:
    reader = StandIn(
        [
            item(
                0,
                title="Bad\x1b[31m title\x07",
                tags=("ok", "\x00", ""),
                highlights=(Quote("q" * 50_000 + "\x1b]0;x\x07", note="n\x1b[2J"),),
            )
        ]
    )
    (article_id,) = run(archive, tmp_path, reader).services[0].new
    summary = archive.get_summary(article_id)
    assert "\x1b" not in summary.title and "\x07" not in summary.title
    assert summary.tags == ("ok",)
    (quote,) = archive.annotations_for(article_id)
    assert len(quote.exact) <= 20_000 and "\x1b" not in quote.exact and "\x1b" not in quote.note


def test_an_unpacked_pocket_export_folder_imports_whole(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "pocket"
    (folder / "annotations").mkdir(parents=True)
    (folder / "part_000000.csv").write_text(
        "title,url,time_added,tags,status\n"
        "Slow Software,https://essays.example.org/slow,1700000000,software|essays,unread\n"
        "Tides,https://tides.example.com/read,1600000000,,archive\n"
    )
    (folder / "annotations" / "part_000000.json").write_text(
        '[{"url": "https://essays.example.org/slow", "title": "Slow Software",'
        ' "highlights": [{"quote": "Readers don’t wait", "created_at": 1700000100}]}]'
    )
    (folder / "data.csv").write_text("name,amount,when\na,1,2\nb,2,3\n")  # no export's
    report = import_paths(archive, [folder], jobs=1)
    assert report.failed == [] and archive.article_count() == 2
    slow = archive.article_for_urls(["https://essays.example.org/slow"])
    assert slow is not None
    assert archive.get_summary(slow).tags == ("essays", "software")
    assert [a.exact for a in archive.annotations_for(slow)] == ["Readers don’t wait"]
    assert [c.service for c in report.services] == ["Pocket", "Pocket"]


def test_an_exports_pages_are_extracted_by_the_pool_in_order(
    archive: Archive, tmp_path: Path
) -> None:
    pages = [
        item(n, title="", page=ItemPage(article_html(f"Page number {n}").encode(), f"p{n}.html"))
        for n in range(5)
    ]
    reader = StandIn([*pages[:2], Refused("export.csv:3", "bad"), *pages[2:]])
    path = tmp_path / "library.export"
    path.write_text("stand-in")
    report = ImportReport()
    assert import_export(archive, path, reader, report, max_size=10**7, jobs=2)
    ids = report.services[0].new
    assert [archive.get_summary(i).title for i in ids] == [f"Page number {n}" for n in range(5)]
    assert all(archive.original_of(i) is not None for i in ids)
