"""The one safe way to read a zip export: bounded, in memory, bad names refused by name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.ingest.page import IngestError
from reader.ingest.services import zips
from reader.ingest.services.pocket import POCKET_ZIP
from reader.ingest.services.zips import ExportZip, unsafe_name_reason

from .conftest import MakeZip
from .results import split

POCKET_CSV = "title,url,time_added,tags,status\nA,https://a.example/,1700000000,,unread\n"


def test_members_read_in_memory_one_at_a_time(make_zip: MakeZip, tmp_path: Path) -> None:
    path = make_zip({"part_000000.csv": POCKET_CSV, "folder/": "", "__MACOSX/._x": "junk"})
    before = sorted(tmp_path.rglob("*"))
    with ExportZip(path) as export:
        assert list(export.members) == ["part_000000.csv"]
        assert export.refused == []
        assert export.read("part_000000.csv") == POCKET_CSV.encode()
        with export.open_text("part_000000.csv") as text:
            assert text.read() == POCKET_CSV
    assert sorted(tmp_path.rglob("*")) == before  # nothing extracted


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.csv", "'..'"),
        ("a/../../evil.csv", "'..'"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/evil.csv", "drive letter"),
        ("c:evil.csv", "drive letter"),
        ("dir\\..\\evil.csv", "backslash"),
    ],
)
def test_unsafe_names_are_refused_by_name_and_the_rest_is_read(
    make_zip: MakeZip, name: str, reason: str
) -> None:
    path = make_zip({name: "x", "part_000000.csv": POCKET_CSV})
    items, refused = split(POCKET_ZIP.read(path))
    assert [item.url for item in items] == ["https://a.example/"]
    assert len(refused) == 1
    assert refused[0].where == f"export.zip: {name}"
    assert reason in refused[0].reason


def test_safe_names_pass() -> None:
    assert unsafe_name_reason("annotations/part_000000.json") is None
    assert unsafe_name_reason("content/a..b.html") is None  # dots inside a name are fine


def test_a_second_member_of_the_same_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.zip"
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("part_000000.csv", POCKET_CSV)
        archive.writestr("part_000000.csv", POCKET_CSV)
    with ExportZip(path) as export:
        assert list(export.members) == ["part_000000.csv"]
        assert [r.reason for r in export.refused] == ["a second member of the same name"]


def test_too_many_members(make_zip: MakeZip, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zips, "MAX_MEMBERS", 3)
    path = make_zip({f"part_{n:06d}.csv": POCKET_CSV for n in range(4)})
    with pytest.raises(IngestError, match="4 members, more than 3"):
        ExportZip(path)


def test_a_member_over_the_cap(make_zip: MakeZip, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zips, "MAX_MEMBER_BYTES", 100)
    path = make_zip({"part_000000.csv": POCKET_CSV * 10})
    with pytest.raises(IngestError, match=r"a zip member of .* MB"):
        ExportZip(path)


def test_a_total_over_the_cap(make_zip: MakeZip, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zips, "MAX_TOTAL_BYTES", 100)
    path = make_zip({"part_000000.csv": POCKET_CSV, "part_000001.csv": POCKET_CSV})
    with pytest.raises(IngestError, match="inflates to more than"):
        ExportZip(path)


def test_a_zip_bomb(make_zip: MakeZip) -> None:
    path = make_zip({"part_000000.csv": b"\0" * (4 * 2**20)})  # inflates ~1,000 times
    with pytest.raises(IngestError, match="zip bomb") as caught:
        split(POCKET_ZIP.read(path))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\0" * 100,  # a local header and nothing after
        b"PK\x05\x06" + b"\xff" * 30,  # a bad end of central directory
        b"not a zip at all",
    ],
)
def test_a_damaged_zip(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "damaged.zip"
    path.write_bytes(data)
    with pytest.raises(IngestError, match="damaged zip") as caught:
        split(POCKET_ZIP.read(path))
    assert "\n" not in str(caught.value)


def test_a_truncated_zip(make_zip: MakeZip) -> None:
    path = make_zip({"part_000000.csv": POCKET_CSV})
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(IngestError, match="damaged zip"):
        split(POCKET_ZIP.read(path))


def _corrupt_member(path: Path, member: bytes) -> None:
    """Flip a byte of a stored member's data (found by its content), so its CRC fails."""
    data = bytearray(path.read_bytes())
    at = data.index(member)
    data[at + 40] ^= 0x20
    path.write_bytes(bytes(data))


def test_a_damaged_member_is_refused_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    bad = POCKET_CSV + "B,https://b.example/,1700000000,,unread\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("part_000000.csv", bad)
        archive.writestr("part_000001.csv", POCKET_CSV.replace("a.example", "c.example"))
    _corrupt_member(path, bad.encode())
    with ExportZip(path) as export, pytest.raises(IngestError, match="damaged member"):
        export.read("part_000000.csv")
    items, refused = split(POCKET_ZIP.read(path))
    assert "https://c.example/" in [item.url for item in items]
    assert [r.where for r in refused] == ["part_000000.csv"]
    assert "damaged member" in refused[0].reason
