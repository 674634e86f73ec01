"""Helpers for the TUI tests: real archives built through Archive.add_article.

Articles get fixed published dates, so what a row shows never depends on the clock
(snapshots stay byte-for-byte stable). Searches follow every key at once (no debounce
to wait out); `ui.settle` (the shared `settle`, tests/conftest.py) waits for the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from reader.archive import Archive
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage
from reader.tui.screens.annotations import AnnotationsScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.search_bar import SearchBar

from .missing_helpers import add_missing_pages


@pytest.fixture(autouse=True)
def crash_logs_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A test app that crashes writes its log here, not into the user's log folder."""
    folder = tmp_path_factory.mktemp("crash-logs")
    monkeypatch.setattr("reader.tui.crash.log_folders", lambda: [folder])
    return folder


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing in a search box searches at every key: nothing to wait out with a timer."""
    monkeypatch.setattr(SearchBar, "DEBOUNCE_SECONDS", 0)
    monkeypatch.setattr(AnnotationsScreen, "DEBOUNCE_SECONDS", 0)


@pytest.fixture
def no_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reading screen's once-a-second tick (save the position, read the article's
    revision) never comes by itself: a test calls `_tick()` where it wants one, so what
    it checks does not hang on how long a step took."""
    monkeypatch.setattr("reader.tui.screens.reading.SAVE_EVERY", 24 * 3600.0)


@dataclass
class Spec:
    """One article of a test archive."""

    title: str
    paragraphs: list[str] = field(default_factory=lambda: ["Some text about nothing much."])
    published: str = "2024-01-01"
    site: str = "Example"
    tags: tuple[str, ...] = ()
    starred: bool = False
    read: bool = False
    archived: bool = False
    url: str | None = None


def make_page(spec: Spec, salt: str = "") -> tuple[ExtractedPage, RawPage]:
    """An (ExtractedPage, RawPage) pair as the ingest pipeline would hand to the archive."""
    document = Document(tuple(Block("paragraph", text) for text in spec.paragraphs))
    html = ("<html><body>" + "".join(f"<p>{p}</p>" for p in spec.paragraphs) + salt).encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=spec.url)
    page = ExtractedPage(
        document=document,
        title=spec.title,
        byline="A. Writer",
        url=spec.url,
        site_name=spec.site,
        published=spec.published,
    )
    return page, raw


def add(archive: Archive, spec: Spec, salt: str = "") -> int:
    page, raw = make_page(spec, salt or spec.title)
    article_id = archive.add_article(page, raw, tags=spec.tags)
    if spec.starred:
        archive.set_starred(article_id, True)
    if spec.read:
        archive.set_read(article_id, True)
    if spec.archived:
        archive.set_archived(article_id, True)
    return article_id


LIBRARY = [
    Spec(
        "Fearless concurrency with Rust",
        ["The borrow checker makes data races a compile error.", "Threads and channels."],
        published="2024-03-05",
        site="Rust Blog",
        tags=("rust", "to-read"),
        starred=True,
    ),
    Spec(
        "Understanding the Python GIL",
        ["The global interpreter lock serialises bytecode.", "Free threading arrives."],
        published="2024-02-11",
        site="Python Insider",
        tags=("python",),
        read=True,
    ),
    Spec(
        "SQLite is not a toy database",
        ["Write-ahead logging lets readers and a writer work at once."],
        published="2023-11-20",
        site="Data Notes",
        tags=("databases",),
    ),
    Spec(
        "[bold]Oops[/] not markup",
        ["A page whose title looks like Rich markup."],
        published="2023-09-02",
        site="[red]Evil[/red]",
    ),
    Spec(
        "Gardening for programmers",
        ["Compost, patience, and borrow nothing from your neighbours."],
        published="2023-05-14",
        site="Green Thumbs",
        archived=True,
    ),
]


def build_archive(path: Path, specs: list[Spec] = LIBRARY) -> list[int]:
    """A real archive at `path` holding `specs` (oldest first, so the newest is on top)."""
    with Archive(path) as archive:
        archive.set_setting("welcomed", "1")
        return [add(archive, spec) for spec in reversed(specs)]


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    """An archive file with LIBRARY's five articles."""
    path = tmp_path / "library.db"
    build_archive(path)
    return path


@pytest.fixture
def missing_path(library_path: Path) -> Path:
    """LIBRARY's five articles and add_missing_pages' three missing pages."""
    with Archive(library_path) as archive:
        add_missing_pages(archive)
    return library_path


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    """An archive file that exists and was welcomed, but has no articles."""
    path = tmp_path / "empty.db"
    build_archive(path, [])
    return path


@pytest.fixture
def open_archive() -> Iterator[Callable[[Path], Archive]]:
    """Open an archive file for checking what the app wrote; closed after the test."""
    opened: list[Archive] = []

    def open_(path: Path) -> Archive:
        archive = Archive(path)
        opened.append(archive)
        return archive

    yield open_
    for archive in opened:
        archive.close()


SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>
<p>{body} This paragraph is long enough for the extractor to keep it as the body of
an article, with several sentences of ordinary prose about the subject at hand.</p>
<p>A second paragraph follows, because readability likes pages with more than one
paragraph of real text, and real saved pages always have more than one.</p>
<p>A third paragraph closes the article with a last thought on the matter.</p>
</article></body></html>
"""


@pytest.fixture
def saved_pages(tmp_path: Path) -> Path:
    """A folder with two saved HTML pages to import."""
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, title in (("one.html", "Imported page one"), ("two.html", "Imported page two")):
        body = f"{title} is about the TUI importing pages."
        (folder / name).write_text(SAVED_PAGE.format(title=title, body=body), encoding="utf-8")
    return folder


# --- Pilot steps (tests get them through the `ui` fixture) -------------------------


def library(pilot: Pilot) -> LibraryScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen), screen
    return screen


def titles(pilot: Pilot) -> list[str]:
    """The titles of every row of the list (all pages must be loaded)."""
    articles = pilot.app.screen.query_one(ArticleList)
    out = []
    for row in range(articles.total):
        hit = articles.hit_at(row)
        assert hit is not None, f"row {row} not loaded"
        out.append(hit.article.title)
    return out


def screen_text(pilot: Pilot) -> str:
    """The list as drawn, line by line (what a person sees in it)."""
    articles = pilot.app.screen.query_one(ArticleList)
    height = articles.scrollable_content_region.height
    return "\n".join(articles.render_line(y).text.rstrip() for y in range(height))


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


async def paste(pilot: Pilot, text: str) -> None:
    """Paste `text` into the focused widget: one change, where typing makes one a key."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


class UI:
    """The Pilot steps above and `settle`, as one fixture (test modules cannot import
    conftest)."""

    def __init__(self, settle: Callable[[Pilot[Any]], Awaitable[None]]) -> None:
        self.settle = settle

    library = staticmethod(library)
    titles = staticmethod(titles)
    screen_text = staticmethod(screen_text)
    type_text = staticmethod(type_text)
    paste = staticmethod(paste)
    Spec = Spec
    build_archive = staticmethod(build_archive)
    add = staticmethod(add)
    make_page = staticmethod(make_page)


@pytest.fixture
def ui(settle: Callable[[Pilot[Any]], Awaitable[None]]) -> UI:
    return UI(settle)
