"""Zips built in tmp_path for the export readers' tests (the other synthetic exports,
written from each service's published layout, no real user's data, are in `fixtures/`)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

MakeZip = Callable[..., Path]


@pytest.fixture
def make_zip(tmp_path: Path) -> MakeZip:
    """`make_zip({name: bytes | str}, name="export.zip")` -> the path of a new zip."""

    def build(members: Mapping[str, bytes | str], name: str = "export.zip") -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    return build
