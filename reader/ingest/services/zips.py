"""One safe way to read a zip export: bounded, in memory, never extracted.

Pocket and Omnivore hand their users a zip. A zip from elsewhere is untrusted: it may
be damaged, hold a million members, declare a member that inflates to terabytes (a zip
bomb), or name members `../../.bashrc`, `/etc/passwd`, `C:\\evil` to be written where
they should not (zip slip). Nothing here writes to disk at all; still, a member with
such a name is refused by name, so that the user hears of it, and the rest is read.

`ExportZip` checks the whole central directory when it opens (member count, each
member's declared size, the total, the compression ratio): a zip that fails is refused
whole with a one-line `IngestError` before any item is read. Members are then read one
at a time, each bounded by its declared size (which `zipfile` enforces while it
inflates) and by `MAX_MEMBER_BYTES`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, TextIO

from reader.ingest.page import IngestError
from reader.ingest.services.fields import one_line_error
from reader.ingest.services.items import Refused

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "ZIP_MAGIC",
    "ExportZip",
    "member_names",
]

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 8 * 2**30
#: Text compresses 5-20 times and repetitive CSV up to ~50; a bomb inflates 1,000 times
#: and more. Small members cannot do harm whatever their ratio.
MAX_RATIO = 200
_RATIO_FROM_BYTES = 2**20

# Files an archiver adds that are no part of any export: skipped without a word.
_ARCHIVER_LITTER = re.compile(r"(?:^|/)(?:__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
_DRIVE = re.compile(r"^[A-Za-z]:")

# What reading a damaged member raises, inside zipfile or zlib.
_MEMBER_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,  # an encrypted member; NotImplementedError: an unknown compression
    ValueError,
)


def unsafe_name_reason(name: str) -> str | None:
    """Why a member's name is unsafe to use as a path, or None when it is not."""
    if not name or "\x00" in name:
        return "an empty or NUL name"
    if "\\" in name:
        return "a backslash in the name"
    if name.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(name):
        return "a drive letter"
    if ".." in name.split("/"):
        return "a '..' in the path"
    return None


def member_names(path: Path) -> list[str]:
    """The member names of a zip (for sniffing), or [] when it is not a readable zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()[: MAX_MEMBERS + 1]
    except _MEMBER_ERRORS:
        return []


class _DamageAsOSError(io.RawIOBase):
    """A member's stream whose damage, found while inflating, is an OSError (what a
    reader of a stream expects), not zipfile's or zlib's own exceptions."""

    def __init__(self, member: IO[bytes]) -> None:
        self._member = member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        try:
            data = self._member.read(len(memoryview(buffer)))
        except _MEMBER_ERRORS as error:
            raise OSError(f"a damaged member ({one_line_error(error)})") from None
        memoryview(buffer)[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._member.close()
        super().close()


class ExportZip:
    """A zip export open for reading: `members` are its safe files by name, in the
    zip's order; `refused` says which members were left out and why."""

    def __init__(self, path: Path) -> None:
        self.label = path.name
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
            raise IngestError(f"a damaged zip ({one_line_error(error)})") from None
        except OSError as error:
            raise IngestError(f"cannot read the zip: {one_line_error(error)}") from None
        try:
            self.members, self.refused = self._check()
        except IngestError:
            self._zip.close()
            raise

    def _check(self) -> tuple[dict[str, zipfile.ZipInfo], list[Refused]]:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise IngestError(f"a zip of {len(infos):,} members, more than {MAX_MEMBERS:,}")
        members: dict[str, zipfile.ZipInfo] = {}
        refused: list[Refused] = []
        total = 0
        for info in infos:
            name = info.orig_filename
            if info.file_size > MAX_MEMBER_BYTES:
                raise IngestError(
                    f"a zip member of {info.file_size // 2**20:,} MB "
                    f"(more than {MAX_MEMBER_BYTES // 2**20} MB): {name[:100]!r}"
                )
            if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise IngestError(f"a zip bomb: a member inflates {ratio:,} times ({name[:100]!r})")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise IngestError(
                    f"a zip that inflates to more than {MAX_TOTAL_BYTES // 2**20:,} MB"
                )
            reason = unsafe_name_reason(name)
            if reason:
                refused.append(Refused(f"{self.label}: {name[:200]}", f"refused: {reason}"))
                continue
            if info.is_dir() or _ARCHIVER_LITTER.search(name):
                continue
            if name in members:
                refused.append(
                    Refused(f"{self.label}: {name[:200]}", "a second member of the same name")
                )
                continue
            members[name] = info
        return members, refused

    def read(self, name: str) -> bytes:
        """A member's bytes (bounded); IngestError (one line) when it cannot be read."""
        info = self.members[name]
        try:
            with self._zip.open(info) as member:
                data = member.read(MAX_MEMBER_BYTES + 1)
        except _MEMBER_ERRORS as error:
            raise IngestError(f"a damaged member ({one_line_error(error)})") from None
        if len(data) > MAX_MEMBER_BYTES:  # zipfile stops at the declared size: never here
            raise IngestError("a member bigger than it says")
        return data

    @contextmanager
    def open_text(self, name: str) -> Iterator[TextIO]:
        """A member as a stream of text (UTF-8, a BOM dropped, bad bytes replaced), read
        as it is consumed; damage found while reading (a bad CRC, bad deflate data)
        surfaces as OSError."""
        info = self.members[name]
        try:
            member = self._zip.open(info)
        except _MEMBER_ERRORS as error:
            raise IngestError(f"a damaged member ({one_line_error(error)})") from None
        raw = io.BufferedReader(_DamageAsOSError(member))
        with io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text:
            yield text

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ExportZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
