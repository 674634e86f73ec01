"""The worker pool with real processes: crashes and hangs named, the other pages kept.

Worker tasks here are small modules written to a temporary folder on sys.path, so a
worker started any way (fork, forkserver, spawn) can import them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.importer.pool import CRASHED, pool_outcomes

from .pages import write_page

CRASHY = """
import os
import time

from reader.importer.extraction import extract_chunk


def work(paths, max_size):
    if any(path.endswith("crash.html") for path in paths):
        os._exit(70)  # what a segfault in lxml or the OOM killer looks like to the pool
    if any(path.endswith("hang.html") for path in paths):
        time.sleep(3600)  # a pathological page
    return extract_chunk(paths, max_size)
"""


def helper_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str):
    helper = tmp_path / "helper"
    helper.mkdir(exist_ok=True)
    (helper / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(helper))  # workers get the parent's sys.path
    return __import__(name)


@pytest.fixture
def crashy_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """A worker task that crashes on crash.html and hangs on hang.html."""
    return helper_module(tmp_path, monkeypatch, "crashy_worker", CRASHY).work


def test_a_page_that_kills_its_worker_is_named_and_the_rest_go_on(
    tmp_path: Path, crashy_worker: Callable
) -> None:
    folder = tmp_path / "pages"
    paths = [str(write_page(folder, f"p{i}.html", f"Page {i}")) for i in range(40)]
    crashes = {str(write_page(folder, f"{n}-crash.html", "Crash")) for n in ("a", "b")}
    paths.insert(3, "a-crash.html")
    paths.insert(30, "b-crash.html")
    paths = [str(folder / p) if p.endswith("-crash.html") else p for p in paths]
    outcomes = dict(pool_outcomes(paths, 2, 2**20, crashy_worker))
    assert len(outcomes) == len(paths) == 42
    assert {p for p, o in outcomes.items() if isinstance(o, str)} == crashes
    assert all(outcomes[p] == CRASHED for p in crashes)
    titles = {Path(p).name: o[1].title for p, o in outcomes.items() if p not in crashes}
    assert titles == {f"p{i}.html": f"Page {i}" for i in range(40)}


def test_a_page_that_never_ends_is_stopped_and_named(
    tmp_path: Path, crashy_worker: Callable
) -> None:
    folder = tmp_path / "pages"
    paths = [str(write_page(folder, f"p{i}.html", f"Page {i}")) for i in range(5)]
    hang = str(write_page(folder, "hang.html", "Hang"))
    paths.insert(2, hang)
    outcomes = dict(pool_outcomes(paths, 2, 2**20, crashy_worker, timeout=2))
    assert "took longer than" in outcomes[hang]
    assert not [o for p, o in outcomes.items() if isinstance(o, str) and p != hang]
    assert len(outcomes) == 6
