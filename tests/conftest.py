"""Fixtures every layer's tests share. Layer-specific ones live in each folder's conftest."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.archive import Archive

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "readability-pages"


@pytest.fixture
def corpus_dir() -> Path:
    """Mozilla Readability's test pages beside the checkout; the test skips without them."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True, scope="session")
def no_user_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reads the real user's config file or READER_DB: READER_CONFIG names a file
    that is never written (tests that want one use the `config_file` fixture), and the
    platform's config folder is a temporary one. Subprocesses inherit all of it."""
    folder = tmp_path_factory.mktemp("user-config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_CONFIG", str(folder / "absent" / "config.toml"))
        patch.setenv("XDG_CONFIG_HOME", str(folder / "xdg"))
        patch.delenv("READER_DB", raising=False)
        yield folder / "absent" / "config.toml"


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    """A real, empty archive file in a temporary folder."""
    with Archive(archive_path) as opened:
        yield opened


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (Textual's Pilot) in a fresh event loop, so no async pytest
    plugin is needed."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None
