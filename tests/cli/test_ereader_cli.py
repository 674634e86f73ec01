"""`reader import` of an e-reader's files through click's CliRunner: a device's folder
walked (the .sdr sidecar and the clippings found by content), one line per file."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage

FIXTURES = Path(__file__).parents[1] / "ingest" / "ereader" / "fixtures"


def test_a_device_folder(archive_path: Path, tmp_path: Path) -> None:
    with Archive(archive_path) as archive:
        text = "Most software waits on the disk far more than on the processor."
        page = ExtractedPage(
            document=Document((Block("paragraph", text),)), title="Slow Software", url=None
        )
        data = b"<p>x</p>"
        archive.add_article(
            page, RawPage(data=data, html=data, filename="p.html", kind="html", url=None)
        )
    device = tmp_path / "device"
    shutil.copytree(FIXTURES / "Reading list.sdr", device / "Books" / "Reading list.sdr")
    shutil.copy(FIXTURES / "My Clippings.txt", device / "My Clippings.txt")
    result = CliRunner().invoke(main, ["--db", str(archive_path), "import", str(device)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("KOReader (") and lines[0].endswith(
        "metadata.epub.lua): 1 highlight anchored, 0 merged (already there),"
        " 0 waiting as quotes; on 1 article; 1 book or chapter not in the archive, passed over"
    )
    assert lines[1].startswith("Kindle (") and lines[1].endswith(
        "My Clippings.txt): 0 highlights anchored, 0 merged (already there),"
        " 0 waiting as quotes; 2 books or chapters not in the archive, passed over"
    )
    assert lines[-1] == "In all, 0 failed"


def test_a_damaged_sidecar_is_one_line_and_exit_1(archive_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "book.sdr" / "metadata.epub.lua"
    path.parent.mkdir()
    path.write_text('-- we can read Lua syntax here!\nreturn { ["annotations"] = x }\n')
    result = CliRunner().invoke(main, ["--db", str(archive_path), "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: not a KOReader sidecar (line 2: 'x' is not data" in result.output
