"""The worker pool with real processes: order kept, crashes and hangs named, workers ended.

Worker tasks here are small modules written to a temporary folder on sys.path, so a
worker started any way (fork, forkserver, spawn) can import them.
"""

from __future__ import annotations

import multiprocessing
import os
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

DOUBLING = """
import os
import time


def work(numbers, crash_on):
    doubled = []
    for number in numbers:
        if number in crash_on:
            os._exit(70)
        time.sleep(0.001)
        doubled.append(number * 2)
    return doubled
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


@pytest.fixture
def doubling_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """A worker task that doubles numbers, and dies on those in its argument."""
    return helper_module(tmp_path, monkeypatch, "doubling_worker", DOUBLING).work


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


def test_a_crash_inside_a_chunk_names_one_item_and_order_is_kept(
    doubling_worker: Callable,
) -> None:
    """500 items go out several to a task; a worker that dies takes down a whole task,
    yet only the item it died on is failed, and everything comes back in input order."""
    crash_on = frozenset({37, 300, 301})
    outcomes = list(pool_outcomes(list(range(500)), 2, crash_on, doubling_worker))
    assert outcomes == [(n, CRASHED if n in crash_on else n * 2) for n in range(500)]
    assert multiprocessing.active_children() == []


def exists(pid: int) -> bool:
    """Whether process `pid` exists (running, or ended but not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("taken", [1, 40])
def test_an_early_stop_ends_every_worker(doubling_worker: Callable, taken: int) -> None:
    """Closing the results early (Ctrl-C, a caller that gives up) ends the workers there
    and then, busy or not: none is left running, or unreaped, beside the caller."""
    outcomes = pool_outcomes(list(range(2000)), 2, frozenset(), doubling_worker)
    for _ in range(taken):
        next(outcomes)
    workers = [process.pid for process in multiprocessing.active_children()]
    assert len(workers) == 2
    outcomes.close()
    assert [pid for pid in workers if pid is not None and exists(pid)] == []
