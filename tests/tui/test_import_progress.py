"""How an import in the TUI names its pages: under the folder imported."""

from __future__ import annotations

from pathlib import Path

from reader.importer import ImportReport
from reader.tui.widgets.import_progress import import_summary, progress_line, relative_name


def test_pages_are_named_under_the_folder_imported(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "blog").mkdir(parents=True)
    page = folder / "blog" / "expected.html"
    page.write_text("x")
    assert relative_name(str(page), [folder]) == "blog/expected.html"
    assert relative_name(str(page), [page]) == "expected.html"  # a file given: its name
    assert relative_name("/elsewhere/a.html", [folder]) == "/elsewhere/a.html"
    assert progress_line(12, 130, str(page), [folder]) == "Importing 12 of 130: blog/expected.html"
    assert progress_line(0, 130, "", [folder]) == "Importing 0 of 130…"
    report = ImportReport(failed=[(str(page), "no article text found")])
    assert import_summary(report, [folder]).splitlines()[1] == (
        "blog/expected.html: no article text found"
    )
