"""A read-only archive from the shell and in the TUI: every reading command works, every
write answers "the archive is read-only; nothing was changed" in one line (exit 1), and
the file is never changed.

Three ways to make it read-only: what os.access answers (a file and folder of modes
0o444 and 0o555, which root's os.access ignores, so its answer is set for the test);
`Archive(readonly=True)`; and for real, a read-only bind mount in a user namespace
(`unshare -rm`), where SQLite cannot make its -wal and -shm files either.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main

from .damage import Pristine, build_archive, digest
from .read_only import deny_writes
from .watched_app import WatchedApp

READ_ONLY = "the archive is read-only; nothing was changed"

READS = [
    ["list"],
    ["list", "--json", "lantern"],
    ["search", "meadow"],
    ["show", "3"],
    ["show", "3", "--format", "json"],
    ["tags"],
    ["annotations"],
    ["annotations", "note"],
    ["check"],
    ["config"],
]
WRITES = [
    ["tag", "3", "new"],
    ["untag", "3", "t0"],
    ["tags", "rename", "t0", "t9"],
    ["tags", "delete", "t1"],
    ["highlight", "3", "Paragraph"],
    ["note", "3", "a thought"],
    ["annotation", "edit", "1", "--note", "changed"],
    ["annotation", "delete", "1"],
    ["delete", "--yes", "3"],
    ["reindex", "--jobs", "1"],
    ["check", "--repair"],
]


@pytest.fixture(scope="module")
def pristine_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pristine]:
    path = tmp_path_factory.mktemp("pristine") / "archive.db"
    return path, build_archive(path)


@pytest.fixture
def read_only_archive(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the archive in a folder of mode 0o555, itself of mode 0o444."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    db = folder / "archive.db"
    shutil.copyfile(pristine_archive[0], db)
    db.chmod(0o444)
    folder.chmod(0o555)
    deny_writes(monkeypatch, db, folder)
    yield db
    folder.chmod(0o755)
    db.chmod(0o644)


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.output,
    )
    return result


def test_reading_commands_work_and_writes_are_refused_in_one_line(
    read_only_archive: Path,
) -> None:
    db = read_only_archive
    before = digest(db)
    for args in READS:
        result = run(db, *args)
        assert result.exit_code == 0, (args, result.output)
    check = run(db, "check")
    assert check.stdout == "ok\n" and "read-only" in check.stderr
    for args in WRITES:
        result = run(db, *args)
        assert result.exit_code == 1, (args, result.output)
        [line] = result.stderr.splitlines()
        assert READ_ONLY in line, (args, line)
    assert digest(db) == before


def test_a_backup_and_a_recovery_of_a_read_only_archive_work(
    read_only_archive: Path, tmp_path: Path, pristine_archive: tuple[Path, Pristine]
) -> None:
    backup = run(read_only_archive, "backup", str(tmp_path / "copy.db"))
    assert backup.exit_code == 0, backup.output
    recovered = run(read_only_archive, "recover", str(tmp_path / "recovered.db"))
    assert recovered.exit_code == 0, recovered.output
    for copy in ("copy.db", "recovered.db"):
        with Archive(tmp_path / copy) as archive:
            assert archive.article_count() == len(pristine_archive[1].texts)
            assert archive.check() == []


# --- for real: a read-only file system ---------------------------------------------------


def _read_only_mounts() -> bool:
    """Whether this system lets a user namespace bind-mount a folder read-only."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


RUN_ON_READ_ONLY_MOUNT = """
import json, subprocess, sys
folder, db, commands = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
results = []
for args in commands:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--db", db, *args], capture_output=True, text=True
    )
    results.append([args, done.returncode, done.stdout, done.stderr])
print(json.dumps(results))
"""


@pytest.mark.skipif(not _read_only_mounts(), reason="no user namespaces to mount read-only")
def test_on_a_read_only_file_system(
    pristine_archive: tuple[Path, Pristine], tmp_path: Path
) -> None:
    """The archive's folder bind-mounted read-only: no -wal or -shm can be made, so it
    is read as it is (immutable)."""
    folder = tmp_path / "mounted"
    folder.mkdir()
    db = folder / "archive.db"
    shutil.copyfile(pristine_archive[0], db)
    before = digest(db)
    script = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"'
    commands = [*READS, *WRITES]
    done = subprocess.run(
        [
            "unshare", "-rm", "sh", "-c", script, "sh", str(folder),
            sys.executable, "-c", RUN_ON_READ_ONLY_MOUNT, str(folder), str(db),
            json.dumps(commands),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )  # fmt: skip
    results = json.loads(done.stdout)
    for args, code, stdout, stderr in results:
        assert "Traceback" not in stderr, (args, stderr)
        if args in WRITES:
            assert code == 1, (args, stdout, stderr)
            [line] = stderr.splitlines()
            assert READ_ONLY in line, (args, line)
        else:
            assert code == 0, (args, stdout, stderr)
    assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]
    assert digest(db) == before


# --- the TUI -----------------------------------------------------------------------------


async def test_the_tui_starts_shows_the_library_and_refuses_writes_in_one_line(
    read_only_archive: Path, settle
) -> None:
    """No theme written, no user guide imported, the library shown; a key that would
    write answers in one line, and the app goes on."""
    from reader.tui.screens.reading import ReadingScreen
    from reader.tui.widgets.article_list import ArticleList

    db = read_only_archive
    before = digest(db)
    with Archive(db) as archive:
        assert archive.get_setting("welcomed") is None and archive.get_setting("theme") == "nord"
        count = archive.article_count()
    app = WatchedApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.total == count
        app.theme = "textual-light"  # a theme chosen now is not remembered: no write
        await settle(pilot)
        await pilot.press("s")  # star
        await settle(pilot)
        assert len(app.errors) == 1 and READ_ONLY in app.errors[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("v", "w", "w", "h")  # a highlight
        await settle(pilot)
        assert len(app.errors) == 2 and READ_ONLY in app.errors[1]
        assert all("\n" not in message for message in app.errors)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    assert digest(db) == before
    with Archive(db) as archive:
        assert archive.get_setting("welcomed") is None and archive.get_setting("theme") == "nord"


async def test_the_tui_says_at_start_that_the_archive_is_read_only(
    read_only_archive: Path, settle
) -> None:
    app = WatchedApp(read_only_archive)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("read-only" in message for message, _ in app.notes)
