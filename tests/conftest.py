"""Fixtures every layer's tests share. Layer-specific ones live in each folder's conftest."""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from reader.archive import Archive

if TYPE_CHECKING:
    from textual.pilot import Pilot

# Hypothesis without time limits: speed is measured in bench/, and a shared 2-core machine
# makes any deadline a flake. CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) also derandomizes,
# so a run is repeatable; local runs keep exploring new examples.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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


SETTLE_ROUNDS = 50  # a round per wave of workers; an app still busy after this is stuck


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app is idle: no worker running, and what they posted handled.

    A worker's result can start others (a page drawn asks a worker for its rows, a
    filter that changes reloads the list), so this goes round until two rounds in a
    row find no worker. No fixed delays: `pilot.pause()` without one only lets every
    pending message be handled and the screen refresh.
    """
    from textual.worker import WorkerFailed  # here: the other layers' tests skip Textual

    quiet = 0
    for _ in range(SETTLE_ROUNDS):
        # Each worker's end (one cancelled by a newer search is as good as done).
        ends = await asyncio.gather(*(w.wait() for w in pilot.app.workers), return_exceptions=True)
        failed = [end for end in ends if isinstance(end, WorkerFailed)]
        if failed:
            raise failed[0]
        await pilot.pause()
        quiet = 0 if len(pilot.app.workers) else quiet + 1
        if quiet == 2:
            return
    raise AssertionError(f"the app is still busy: {list(pilot.app.workers)}")


@pytest.fixture(name="settle")
def settle_fixture() -> Callable[[Pilot[Any]], Awaitable[None]]:
    """`await settle(pilot)`: wait for the TUI's workers and the messages they posted."""
    return settle


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


# Reading stats (#24): a fixed archive and clock, for the archive, CLI and TUI tests.
STATS_NOW = "2026-03-18T12:00:00+00:00"  # a Wednesday: this week began on Monday 16 March
STATS_WORDS = 460  # two minutes' reading at 230 words a minute


def stats_clock(moment: str = STATS_NOW) -> Callable[[], Any]:
    from datetime import datetime

    return lambda: datetime.fromisoformat(moment)


def fill_stats_archive(archive: Archive) -> None:
    """Seven articles saved and read at known times, tags, and highlights (a note too)."""
    from reader.document import Block, Document
    from reader.ingest.page import ExtractedPage, RawPage

    def add(
        title: str, added: str, *, site: str | None, url: str, tags: tuple[str, ...] = ()
    ) -> int:
        text = " ".join(["word"] * STATS_WORDS)
        document = Document((Block("paragraph", text),))
        html = f"<p>{text}</p>".encode()
        raw = RawPage(data=html, html=html, filename="p.html", kind="html", url=url)
        page = ExtractedPage(document=document, title=title, url=url, site_name=site)
        return archive.add_article(page, raw, tags=tags, added_at=added)

    def read(article_id: int, moment: str) -> None:
        archive.clock = stats_clock(moment)
        archive.set_read(article_id, True)

    this_week = add(
        "This week",
        "2026-03-17T09:00:00+00:00",
        site="Example",
        url="https://example.com/1",
        tags=("rust",),
    )
    last_week = add(
        "Last week",
        "2026-03-10T09:00:00+00:00",
        site="Example",
        url="https://example.com/2",
        tags=("rust", "go"),
    )
    add(
        "A month",
        "2026-02-20T09:00:00+00:00",
        site=None,
        url="https://Blog.Example.org/post",
        tags=("go",),
    )
    add("Months", "2025-12-01T09:00:00+00:00", site=None, url="https://blog.example.org/other")
    add("A year", "2025-06-01T09:00:00+00:00", site="", url="https://news.example.net/x")
    add("Older", "2024-01-01T09:00:00+00:00", site="Example", url="https://example.com/3")
    first_week = add(
        "Read long ago", "2025-09-01T09:00:00+00:00", site="Example", url="https://example.com/4"
    )
    read(last_week, "2026-03-16T08:00:00+00:00")
    read(first_week, "2025-09-23T10:00:00+00:00")
    archive.clock = stats_clock("2026-03-17T10:00:00+00:00")
    archive.add_highlight(last_week, 0, 4)
    archive.add_highlight(last_week, 5, 9)
    archive.add_article_note(last_week, "not a highlight")
    archive.clock = stats_clock("2026-03-09T10:00:00+00:00")
    archive.add_highlight(this_week, 0, 4)
    archive.clock = stats_clock()


@pytest.fixture
def stats_archive_path(archive_path: Path) -> Path:
    with Archive(archive_path, clock=stats_clock()) as archive:
        fill_stats_archive(archive)
    return archive_path
