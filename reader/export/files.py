"""Writing export files safely: inside one folder, never over a file reader did not write.

Each folder reader exports into holds a manifest, `.reader-export.json`, naming the files
reader wrote there, the article each came from and the SHA-256 of the bytes written. A
file is replaced only when it is absent, already holds exactly the new bytes, or still
holds the bytes reader wrote; anything else (a user's own note of the same name, a file
edited since) is a conflict that stops the export before anything is written, unless
`force` says otherwise. Files are written to a temporary name and renamed into place, so
a crash leaves either the old file or the new one, and a symlink in the folder is
replaced, never followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.export.names import fold

MANIFEST_NAME = ".reader-export.json"
MANIFEST_FORMAT = "reader-export-manifest"
MANIFEST_VERSION = 1


class ExportError(Exception):
    """An export that cannot go ahead; the message is one line naming the file."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """What reader wrote in one folder: file name -> (article key, sha256), and for a
    folder export the preset, the head keys and, per block, what reader last wrote
    there (see `reader.export.folder`). A name may hold `/`: a file the user moved
    into a subfolder."""

    folder: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    original: str | None = None  # the manifest's text as read, to skip rewriting it

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(folder)
        except (OSError, UnicodeDecodeError) as error:
            raise ExportError(f"{path}: cannot read the export manifest: {error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ExportError(
                f"{path}: not a reader export manifest (line {error.lineno}: {error.msg});"
                " move it away or delete it"
            ) from error
        files = data.get("files") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or data.get("format") != MANIFEST_FORMAT
            or not isinstance(files, dict)
            or not all(
                isinstance(name, str)
                and isinstance(entry, dict)
                and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("article", ""), str)
                for name, entry in files.items()
            )
        ):
            raise ExportError(f"{path}: not a reader export manifest; move it away or delete it")
        if data.get("version") != MANIFEST_VERSION:
            raise ExportError(
                f"{path}: export manifest version {data.get('version')!r} is not supported"
            )
        return cls(folder, {name: dict(entry) for name, entry in files.items()}, text)

    def name_for(self, key: str) -> str | None:
        """The file this folder already holds for the article `key`, if any."""
        for name, entry in self.files.items():
            if entry.get("article") == key:
                return name
        return None

    def dumps(self) -> str:
        data = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "files": {name: self.files[name] for name in sorted(self.files)},
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def save(self) -> None:
        text = self.dumps()
        if text != self.original:
            atomic_write(self.path, text.encode())
            self.original = text


@dataclass(frozen=True)
class PlannedFile:
    name: str
    data: bytes
    key: str = ""


@dataclass
class WriteResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        """Every file the export stands for, rewritten or already up to date."""
        return self.written + self.unchanged


def check_name(folder: Path, name: str) -> Path:
    """`folder / name`, after making sure `name` is one plain file name inside `folder`."""
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or (os.altsep and os.altsep in name)
        or Path(name).is_absolute()
        or name == MANIFEST_NAME
    ):
        raise ExportError(f"{folder}: refusing to write the unsafe file name {name!r}")
    target = folder / name
    if target.parent.resolve() != folder.resolve():
        raise ExportError(f"{target}: outside the export folder {folder}")
    return target


def safe_target(folder: Path, name: str) -> Path:
    """`folder / name` for a manifest name that may go down into subfolders: every part a
    plain name, no part a symlink, the file inside `folder`."""
    parts = name.split("/")
    path = folder
    for part in parts[:-1]:
        path = check_name(path, part)
        if path.is_symlink() or not path.is_dir():
            raise ExportError(f"{path}: not a folder inside the export folder {folder}")
    target = check_name(path, parts[-1])
    if not target.parent.resolve().is_relative_to(folder.resolve()):
        raise ExportError(f"{target}: outside the export folder {folder}")
    return target


def prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{folder}: cannot create the export folder: {error.strerror}") from error


def write_files(
    folder: Path,
    manifest: Manifest,
    planned: list[PlannedFile],
    *,
    force: bool = False,
    before_writing: Callable[[], object] | None = None,
) -> WriteResult:
    """Write `planned` into `folder` under the manifest's rules (see the module docstring).

    All conflicts are found before the first write, so a refused export changes nothing;
    `before_writing` runs then (the pictures the files link to go first).
    """
    prepare_folder(folder)
    seen: set[str] = set()
    todo: list[tuple[Path, PlannedFile]] = []
    result = WriteResult()
    for item in planned:
        target = check_name(folder, item.name)
        if fold(item.name) in seen:
            raise ExportError(f"{target}: two exported files would have this name")
        seen.add(fold(item.name))
        current = read_existing(target)
        if current is None:
            todo.append((target, item))
            continue
        if current == item.data:
            result.unchanged.append(target)
            continue
        entry = manifest.files.get(item.name)
        ours = entry is not None and entry.get("sha256") == sha256_hex(current)
        if not ours and not force:
            why = "was edited since reader wrote it" if entry else "was not written by reader"
            raise ExportError(f"{target}: exists and {why}; use --force to overwrite it")
        todo.append((target, item))
    if before_writing is not None:
        before_writing()
    for target, item in todo:
        atomic_write(target, item.data)
        result.written.append(target)
    for item in planned:
        manifest.files[item.name] = {"article": item.key, "sha256": sha256_hex(item.data)}
    try:
        manifest.save()
    except OSError as error:
        raise ExportError(f"{manifest.path}: cannot write: {error.strerror}") from error
    return result


def read_existing(target: Path) -> bytes | None:
    """The bytes at `target`, None when there is no file; a symlink counts as foreign."""
    if target.is_symlink():
        # Never read through a link: its bytes say nothing about what reader wrote here.
        return b"\x00symlink"
    if not target.exists():
        return None
    if not target.is_file():
        raise ExportError(f"{target}: exists and is not a file")
    try:
        return target.read_bytes()
    except OSError as error:
        raise ExportError(f"{target}: cannot read: {error.strerror}") from error


def atomic_write(target: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and rename it over `target`."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".reader-export-", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise ExportError(f"{target.parent}: cannot write: {error.strerror}") from error
    try:
        # mkstemp makes the file private (0600); an exported note gets the usual mode.
        os.chmod(tmp, _file_mode(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{target}: cannot write: {error.strerror}") from error


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, else 0666 less the process umask."""
    try:
        if target.is_file() and not target.is_symlink():
            return target.stat().st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
