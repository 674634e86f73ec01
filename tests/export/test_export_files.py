"""The export writer: inside its folder only, and never over a file reader did not write."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.export.files import (
    MANIFEST_NAME,
    ExportError,
    Manifest,
    PlannedFile,
    check_name,
    write_files,
)


def write(folder: Path, files: dict[str, str], *, force: bool = False):
    manifest = Manifest.load(folder) if folder.is_dir() else Manifest(folder)
    planned = [PlannedFile(name, text.encode(), f"key:{name}") for name, text in files.items()]
    return write_files(folder, manifest, planned, force=force)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_writes_files_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = write(out, {"a.md": "A\n", "b.md": "B\n"})
    assert sorted(p.name for p in result.written) == ["a.md", "b.md"]
    assert (out / "a.md").read_text() == "A\n"
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == {"a.md", "b.md"}
    assert manifest["files"]["a.md"]["article"] == "key:a.md"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert ((out / "a.md").stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {"a.md": "A\n"})
    before = snapshot(out)
    result = write(out, {"a.md": "A\n"})
    assert result.written == [] and [p.name for p in result.unchanged] == ["a.md"]
    assert snapshot(out) == before  # same bytes, same mtimes, manifest included


def test_updates_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {"a.md": "A\n"})
    result = write(out, {"a.md": "A2\n"})
    assert [p.name for p in result.written] == ["a.md"]
    assert (out / "a.md").read_text() == "A2\n"


def test_refuses_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").write_text("my own note\n")
    with pytest.raises(ExportError) as error:
        write(out, {"new.md": "N\n", "mine.md": "M\n"})
    message = str(error.value)
    assert "mine.md" in message and "--force" in message and "\n" not in message
    # nothing written, not even the file without a conflict
    assert not (out / "new.md").exists()
    assert (out / "mine.md").read_text() == "my own note\n"
    result = write(out, {"new.md": "N\n", "mine.md": "M\n"}, force=True)
    assert (out / "mine.md").read_text() == "M\n"
    assert len(result.written) == 2


def test_refuses_a_file_the_user_edited(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {"a.md": "A\n"})
    (out / "a.md").write_text("A\nmy addition\n")
    with pytest.raises(ExportError, match="edited"):
        write(out, {"a.md": "A2\n"})
    assert (out / "a.md").read_text() == "A\nmy addition\n"
    write(out, {"a.md": "A2\n"}, force=True)
    assert (out / "a.md").read_text() == "A2\n"


def test_identical_foreign_file_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("A\n")
    result = write(out, {"a.md": "A\n"})
    assert result.written == [] and len(result.unchanged) == 1


def test_symlink_is_replaced_never_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / "a.md").symlink_to(victim)
    with pytest.raises(ExportError, match=r"a\.md"):
        write(out, {"a.md": "A\n"})
    write(out, {"a.md": "A\n"}, force=True)
    assert victim.read_text() == "precious\n"
    assert not (out / "a.md").is_symlink()
    assert (out / "a.md").read_text() == "A\n"


@pytest.mark.parametrize(
    "name", ["../evil.md", "/etc/passwd", "a/b.md", "..", ".", "", "a\\b.md", MANIFEST_NAME]
)
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError):
        check_name(tmp_path, name)
    with pytest.raises(ExportError):
        write(tmp_path / "out", {name: "x"})
    assert not (tmp_path / "evil.md").exists()


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        write(tmp_path / "out", {"a.md": "A"})


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"format": "other", "files": {}}', '{"format": "reader-export-manifest"}'],
)
def test_bad_manifest_is_one_line_error(tmp_path: Path, content: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text(content)
    with pytest.raises(ExportError) as error:
        write(out, {"a.md": "A"})
    assert MANIFEST_NAME in str(error.value) and "\n" not in str(error.value)


def test_read_only_folder_is_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(ExportError) as error:
            write(out, {"a.md": "A"})
        assert "cannot write" in str(error.value)
    finally:
        out.chmod(0o755)
