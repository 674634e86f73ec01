"""import_paths / import_bytes against a real archive file: dedupe, --update, failures, pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive
from reader.importer import (
    ImportReport,
    extract_paths,
    import_bytes,
    import_paths,
    reindex_archive,
)

from .pages import (
    CYRILLIC_PARAGRAPHS,
    CYRILLIC_TITLE,
    PARAGRAPHS,
    article_html,
    mhtml,
    write_page,
)

NO_ARTICLE = b"<html><head><title>Menu</title><script>go()</script></head><body></body></html>"


def titles(archive: Archive) -> list[str]:
    return [archive.get_article(i).title for i in archive.iter_article_ids()]


def rows(archive: Archive, table: str) -> int:
    return archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_imports_a_folder_recursively_skipping_assets(archive: Archive, pages: Path) -> None:
    report = import_paths(archive, [pages], jobs=1)
    assert report.failed == [] and report.duplicates == []
    assert titles(archive) == ["Alpha article", "Beta article", "Gamma article"]
    assert report.imported == archive.iter_article_ids()
    assert report.exit_code == 0
    alpha = archive.get_article(report.imported[0])
    assert alpha.url == "https://example.com/alpha"
    assert PARAGRAPHS[1] in alpha.text
    assert "Home" not in alpha.text  # navigation is not the article
    assert archive.check() == []


def test_a_named_file_is_read_whatever_its_extension(archive: Archive, tmp_path: Path) -> None:
    page = tmp_path / "article.txt"
    page.write_text(article_html("Named explicitly"), encoding="utf-8")
    report = import_paths(archive, [page], jobs=1)
    assert len(report.imported) == 1
    assert titles(archive) == ["Named explicitly"]


def test_same_url_is_a_duplicate(archive: Archive, tmp_path: Path) -> None:
    first = write_page(tmp_path, "a.html", "One", url="https://example.com/same")
    second = write_page(
        tmp_path, "b.html", "Same page, saved later", url="https://example.com/same"
    )
    report = import_paths(archive, [first, second], jobs=1)
    assert report.imported == [1]
    assert report.duplicates == [(str(second), 1)]
    assert report.exit_code == 0
    assert archive.article_count() == 1


def test_same_bytes_is_a_duplicate(archive: Archive, tmp_path: Path) -> None:
    first = write_page(tmp_path, "a.html", "No URL here")
    copy = tmp_path / "copy of a.html"
    copy.write_bytes(first.read_bytes())
    first_report = import_paths(archive, [first], jobs=1)
    report = import_paths(archive, [copy, first], jobs=1)
    assert report.imported == []
    existing = first_report.imported[0]
    assert report.duplicates == [(str(copy), existing), (str(first), existing)]
    assert report.exit_code == 0
    assert archive.article_count() == 1


def test_update_keeps_tags_state_and_annotations(archive: Archive, tmp_path: Path) -> None:
    path = write_page(tmp_path, "a.html", "Version one", url="https://example.com/a")
    (article_id,) = import_paths(archive, [path], jobs=1, tags=["first"]).imported
    archive.add_tags([article_id], ["mine"])
    archive.set_starred(article_id, True)
    archive.set_read(article_id, True)
    text = archive.get_article(article_id).text
    start = text.index("Readability finds")
    highlight = archive.add_highlight(article_id, start, start + 40, note="keep this")
    note = archive.add_article_note(article_id, "a note on the whole article")

    # The site edited the page: a new first paragraph and title; same URL.
    write_page(
        tmp_path,
        "a.html",
        "Version two",
        paragraphs=("A new opening paragraph, added above the old text.", *PARAGRAPHS),
        url="https://example.com/a",
    )
    skipped = import_paths(archive, [path], jobs=1)
    assert skipped.duplicates == [(str(path), article_id)]
    assert archive.get_article(article_id).title == "Version one"

    report = import_paths(archive, [path], jobs=1, update=True, tags=["again"])
    assert report.updated == [article_id] and report.imported == []
    assert report.reanchored == 1 and report.moved == 1 and report.orphaned == 0
    article = archive.get_article(article_id)
    assert article.title == "Version two"
    assert article.text.startswith("Version two") or "A new opening" in article.text
    assert set(article.tags) == {"first", "mine", "again"}
    assert article.starred and article.is_read
    moved = archive.get_annotation(highlight)
    assert moved.note == "keep this" and not moved.orphaned
    assert article.text[moved.start : moved.end] == text[start : start + 40]
    assert archive.get_annotation(note).note == "a note on the whole article"
    assert archive.article_count() == 1
    assert archive.check() == []


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.html", b"", "empty file"),
        ("blank.html", b"  \n\t\n", "empty file"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("random.html", bytes(range(256)) * 8, ""),
        ("nothing.html", NO_ARTICLE, "no article"),
    ],
)
def test_a_bad_file_is_reported_and_leaves_no_row(
    archive: Archive, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    good = write_page(tmp_path, "good.html", "Good article")
    bad = tmp_path / name
    bad.write_bytes(data)
    report = import_paths(archive, [bad, good], jobs=1)
    assert [path for path, _ in report.failed] == [str(bad)]
    (why,) = [why for _, why in report.failed]
    assert reason in why and "\n" not in why and why.strip() == why and why
    assert report.exit_code == 1
    assert titles(archive) == ["Good article"]
    assert rows(archive, "sources") == 1
    assert archive.check() == []


def test_missing_path_is_a_failure_by_name(archive: Archive, tmp_path: Path) -> None:
    good = write_page(tmp_path, "good.html", "Good article")
    missing = tmp_path / "nope.html"
    calls: list[tuple[int, int, str]] = []
    report = import_paths(
        archive, [missing, good], jobs=1, progress=lambda *args: calls.append(args)
    )
    assert report.failed == [(str(missing), "no such file or directory")]
    assert len(report.imported) == 1
    assert calls == [(1, 2, ""), (2, 2, str(good))]


def test_over_max_size_is_refused(archive: Archive, tmp_path: Path) -> None:
    big = write_page(tmp_path, "big.html", "Big article")
    small = tmp_path / "small.html"
    small.write_text("<p>hi</p>")
    report = import_paths(archive, [big], jobs=1, max_size=200)
    ((path, reason),) = report.failed
    assert path == str(big) and "limit (--max-size)" in reason
    assert archive.article_count() == 0


def test_windows_1251_with_and_without_declared_charset(archive: Archive, tmp_path: Path) -> None:
    declared = write_page(
        tmp_path,
        "declared.html",
        CYRILLIC_TITLE,
        paragraphs=CYRILLIC_PARAGRAPHS,
        charset="windows-1251",
        lang="ru",
        encoding="cp1251",
    )
    undeclared = write_page(
        tmp_path,
        "undeclared.html",
        CYRILLIC_TITLE + "?",
        paragraphs=CYRILLIC_PARAGRAPHS,
        charset=None,
        lang="ru",
        encoding="cp1251",
    )
    report = import_paths(archive, [declared, undeclared], jobs=1)
    assert report.failed == []
    for article_id in report.imported:
        article = archive.get_article(article_id)
        assert article.title.startswith(CYRILLIC_TITLE)
        assert CYRILLIC_PARAGRAPHS[2] in article.text


def test_mhtml_and_truncated_mhtml(archive: Archive, tmp_path: Path) -> None:
    whole = tmp_path / "whole.mhtml"
    whole.write_bytes(mhtml("An MHTML article"))
    truncated = tmp_path / "truncated.mhtml"
    data = mhtml("A truncated MHTML article", url="https://example.com/truncated")
    truncated.write_bytes(data[: len(data) // 3])
    report = import_paths(archive, [whole, truncated], jobs=1)
    assert report.imported[:1] == [1]
    assert archive.get_article(1).url == "https://example.com/mhtml-article"
    # A truncated file is either refused with its reason, or what survived is imported
    # whole: never half a row.
    if report.failed:
        ((path, reason),) = report.failed
        assert path == str(truncated) and reason
    assert archive.check() == []
    assert rows(archive, "sources") == archive.article_count()


def test_a_failed_save_rolls_back_the_whole_article(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_page(tmp_path, "good.html", "Good article")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # Tags are written last, inside add_article's transaction.
    monkeypatch.setattr(archive, "add_tags", broken)
    report = import_paths(archive, [good], jobs=1, tags=["t"])
    assert report.failed == [(str(good), "cannot save: disk on fire")]
    assert rows(archive, "articles") == 0 and rows(archive, "sources") == 0
    assert archive.check() == []


def test_pool_and_in_process_give_the_same_archive(pages: Path, tmp_path: Path) -> None:
    for extra in range(6):
        write_page(pages / "more", f"page-{extra}.html", f"More article {extra}")
    (pages / "more" / "empty.html").write_bytes(b"")
    (pages / "more" / "saved.mhtml").write_bytes(mhtml("An MHTML article"))
    results = []
    for jobs in (1, 2):
        with Archive(tmp_path / f"jobs{jobs}.db") as archive:
            report = import_paths(archive, [pages, pages / "missing"], jobs=jobs)
            articles = [archive.get_article(i) for i in archive.iter_article_ids()]
            originals = [archive.original_of(i) for i in archive.iter_article_ids()]
            results.append(
                (
                    report.imported,
                    report.failed,
                    [(a.title, a.url, a.text, a.document) for a in articles],
                    [(o.filename, o.kind, o.sha256, o.data, o.url) for o in originals],
                )
            )
    assert len(results[0][0]) == 10, results[0][1]
    (mhtml_original,) = [o for o in results[0][3] if o[1] == "mhtml"]
    assert mhtml_original[3] == (pages / "more" / "saved.mhtml").read_bytes()
    assert results[0] == results[1]


def test_progress_is_called_once_a_page(archive: Archive, pages: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    import_paths(archive, [pages], jobs=2, progress=lambda *args: calls.append(args))
    assert [done for done, _, _ in calls] == [0, 1, 2, 3]
    assert {total for _, total, _ in calls} == {3}
    assert calls[-1][2].endswith("gamma.html")


def test_import_bytes_tags_and_dedupes(archive: Archive) -> None:
    data = article_html("From standard input").encode()
    report = import_bytes(archive, data, tags=["stdin"])
    (article_id,) = report.imported
    assert archive.tags_of(article_id) == ["stdin"]
    again = import_bytes(archive, data)
    assert again.duplicates == [("-", article_id)]
    too_big = import_bytes(archive, data, max_size=10)
    assert "--max-size" in too_big.failed[0][1]
    empty = import_bytes(archive, b"")
    assert empty.failed == [("-", "empty file")] and empty.exit_code == 1


def test_extract_paths_needs_no_archive(pages: Path) -> None:
    outcomes = list(extract_paths([pages, pages / "nope.html"], jobs=1))
    assert [Path(path).name for path, _ in outcomes] == [
        "nope.html",
        "alpha.html",
        "beta.htm",
        "gamma.html",
    ]
    assert outcomes[0][1] == "no such file or directory"
    raw, page = outcomes[1][1]
    assert page.title == "Alpha article" and raw.kind == "html"


@pytest.mark.parametrize("jobs", [1, 2])
def test_reindex_re_extracts_and_keeps_highlights(archive: Archive, pages: Path, jobs: int) -> None:
    import_paths(archive, [pages], jobs=1)
    text = archive.get_article(1).text
    start = text.index("scoring paragraphs")
    archive.add_highlight(1, start, start + 18)
    archive.conn.execute("UPDATE articles SET title = 'stale' WHERE id = 2")
    calls: list[tuple[int, int, str]] = []
    report = reindex_archive(archive, jobs=jobs, progress=lambda *args: calls.append(args))
    assert report.updated == [1, 2, 3] and report.failed == [] and report.exit_code == 0
    assert report.reanchored == 1 and report.orphaned == 0
    assert [c[:2] for c in calls] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert [Path(c[2]).name for c in calls[1:]] == ["alpha.html", "beta.htm", "gamma.html"]
    assert archive.get_article(2).title == "Beta article"
    assert archive.original_of(2).data == (pages / "beta.htm").read_bytes()
    assert archive.check() == []


def test_report_merge_and_exit_code() -> None:
    report = ImportReport(imported=[1], duplicates=[("a", 1)])
    assert report.exit_code == 0
    report.merge(ImportReport(failed=[("b", "empty file")], updated=[2]))
    assert report.exit_code == 1 and report.total == 4


def test_no_pool_means_in_process_not_failure(
    archive: Archive, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.importer.pool

    def no_processes() -> None:
        raise OSError("no processes in this sandbox")

    monkeypatch.setattr(reader.importer.pool, "_pool_context", no_processes)
    report = import_paths(archive, [pages], jobs=4)
    assert len(report.imported) == 3 and report.failed == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_between_pages_and_reports(archive: Archive, pages: Path, jobs: int) -> None:
    def progress(done: int, total: int, path: str) -> None:
        if done == 2:
            raise KeyboardInterrupt

    report = import_paths(archive, [pages], jobs=jobs, progress=progress)
    assert len(report.imported) == 2 and report.interrupted == 1
    assert report.exit_code == 130
    assert archive.article_count() == 2 and archive.check() == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_reindex_reports_an_article_without_its_original(
    archive: Archive, pages: Path, jobs: int
) -> None:
    import_paths(archive, [pages], jobs=1)
    archive.conn.execute("DELETE FROM sources WHERE article_id = 3")
    report = reindex_archive(archive, jobs=jobs)
    assert report.updated == [1, 2]
    assert report.failed == [(3, "no stored original to re-extract")]
    assert report.exit_code == 1
    assert archive.get_article(3).title == "Gamma article"  # left as it was


def test_two_importers_at_once_add_each_page_once(archive_path: Path, pages: Path) -> None:
    """The TUI and a `reader import` on the same folder: every page lands exactly once."""
    import threading

    for extra in range(10):
        write_page(pages / "more", f"page-{extra}.html", f"More article {extra}")
    reports: list[ImportReport] = []

    def run() -> None:
        with Archive(archive_path) as archive:
            reports.append(import_paths(archive, [pages], jobs=1))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(r.imported) for r in reports) == 13
    assert sum(len(r.duplicates) for r in reports) == 13
    with Archive(archive_path) as archive:
        assert archive.article_count() == 13 and archive.check() == []


def test_the_same_file_named_twice_is_read_once(
    archive: Archive, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pages)
    report = import_paths(archive, ["alpha.html", "./alpha.html", pages / "alpha.html"], jobs=1)
    assert len(report.imported) == 1 and report.duplicates == [] and report.total == 1
