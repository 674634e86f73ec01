"""Standard output that fails: every printing command ends in one line or quietly.

Real processes: `reader CMD > /dev/full` must say `standard output: No space left on
device` on standard error, once, and exit with status 1; `reader CMD | head` whose
reader has gone must exit quietly with status 141 (128 + SIGPIPE, as `cat` does).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import child_env, page_html, reader_command, run_reader

FULL = "Error: standard output: No space left on device\n"


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with one tagged, highlighted article, and a second page to import."""
    folder = tmp_path_factory.mktemp("stdout")
    (folder / "page.html").write_bytes(page_html("Plain page", "<p>Middle words.</p>"))
    (folder / "other.html").write_bytes(
        page_html("Other page", "<p>Others.</p>", url="https://news.example/other")
    )
    db = folder / "archive.db"
    for args in (
        ("import", str(folder / "page.html")),
        ("tag", "1", "kept"),
        ("highlight", "1", "ordinary prose"),
    ):
        done = run_reader(db, *args)
        assert done.returncode == 0, done.stderr
    return db


# Every command that prints to standard output, with arguments that make it print.
PRINTING = {
    "list": ["list"],
    "show": ["show", "1"],
    "show-markdown": ["show", "1", "--format", "markdown"],
    "search": ["search", "ordinary"],
    "annotations": ["annotations"],
    "annotations-json": ["annotations", "--json"],
    "tags": ["tags"],
    "check": ["check"],
    "config": ["config"],
    "version": ["--version"],
    "help": ["--help"],
    "command-help": ["show", "--help"],
    "export-json": ["export", "--format", "json", "--out", "-"],
    "export-markdown": ["export", "--out", "-"],
    "extract": ["extract", "{page}"],
}


def _args(name: str, db: Path) -> list[str]:
    return [arg.format(page=db.parent / "page.html") for arg in PRINTING[name]]


def _run(db: Path, args: list[str], stdout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        reader_command(db, *args),
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=db.parent,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(PRINTING))
def test_a_full_disk_is_one_line_and_status_1(archive_db: Path, name: str) -> None:
    with open("/dev/full", "w") as full:
        done = _run(archive_db, _args(name, archive_db), full.fileno())
    assert (done.returncode, done.stderr) == (1, FULL)


@pytest.mark.parametrize("name", sorted(PRINTING))
def test_a_closed_pipe_ends_quietly_with_status_141(archive_db: Path, name: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader of the pipe is gone before the first write
    try:
        done = _run(archive_db, _args(name, archive_db), write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_pipe_closed_mid_output_ends_quietly(archive_db: Path) -> None:
    """`reader show 1 --format markdown | head -c 10`: the reader leaves after a few
    bytes, with more than a pipe's buffer still to come."""
    long = archive_db.parent / "long.html"
    long.write_bytes(page_html("Long page", "<p>A fairly long sentence to repeat.</p>" * 20_000))
    db = archive_db.parent / "long.db"
    assert run_reader(db, "import", str(long)).returncode == 0
    process = subprocess.Popen(
        reader_command(db, "show", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=db.parent,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read()
    assert (process.wait(timeout=120), stderr) == (141, b"")


def test_an_import_with_stdout_full_saves_its_pages_and_says_so(archive_db: Path) -> None:
    """The summary cannot be printed: the pages are saved all the same, and the one
    line says why nothing was printed."""
    db = archive_db.parent / "import.db"
    with open("/dev/full", "w") as full:
        done = _run(db, ["import", str(archive_db.parent / "other.html")], full.fileno())
    assert done.returncode == 1
    assert done.stderr.endswith(FULL) and done.stderr.count("\n") <= 2  # + "New archive at"
    listed = run_reader(db, "list")
    assert "Other page" in listed.stdout


def test_other_os_errors_are_not_taken_for_standard_output(archive_db: Path) -> None:
    """An export into a folder that cannot be written names that folder, not stdout."""
    done = run_reader(archive_db, "export", "--out", "/dev/full/notes")
    assert done.returncode == 1
    assert "standard output" not in done.stderr and done.stderr.count("\n") == 1
