"""Builders for the reading-screen tests: rich and long articles, and a bare app.

Articles go into a real archive through Archive.add_article, as an import would put
them there; `ReadingApp` is a bare App that pushes the reading screen on mount, so these
tests do not depend on the library screen.
"""

from __future__ import annotations

import io
import random
from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from textual import on
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.archive import Archive
from reader.document import Block, Document, Mark
from reader.ingest.page import ExtractedPage, RawPage
from reader.tui.access import ArchiveConnections
from reader.tui.messages import ExportNotes, ShowAnnotations
from reader.tui.palette import with_reader_colours
from reader.tui.screens.reading import ReadingScreen

Settle = Callable[[Pilot[Any]], Awaitable[None]]  # the `settle` fixture (tests/conftest.py)

FIRST = "The first paragraph has emphasis, strong words, some inline code and a link."


def rich_blocks() -> tuple[Block, ...]:
    return (
        Block(
            "paragraph",
            FIRST,
            marks=(
                Mark("em", 24, 32),
                Mark("strong", 34, 46),
                Mark("code", 53, 64),
                Mark("link", 71, 75, "https://e.x/"),
            ),
        ),
        Block("heading", "Lists and quotes", level=2),
        Block("list_item", "A bullet item long enough to wrap once in a narrower column."),
        Block("list_item", "A nested item", level=1),
        Block("list_item", "Ordered item three", ordered=True, number=3),
        Block("quote", "Quoted words from someone wise. Another sentence follows here."),
        Block("heading", "Code and tables", level=2),
        Block("code", "def double(x):\n\treturn x * 2\n", lang="python"),
        Block(
            "table",
            "Name\tBorn\nAda Lovelace\t1815\nGrace Hopper\t1906",
            rows=(("Name", "Born"), ("Ada Lovelace", "1815"), ("Grace Hopper", "1906")),
        ),
        Block(
            "figure",
            "The engine, as drawn in 1840.",
            alt="difference engine",
            src="https://e.x/engine.png",
        ),
        Block("rule"),
        Block("heading", "Closing", level=3),
        Block("paragraph", "The last paragraph. It has two sentences, and it ends here."),
    )


def page(
    title: str,
    blocks: tuple[Block, ...],
    *,
    url: str = "https://example.com/article",
    byline: str | None = "Ada Writer",
    kind: str = "html",
    published: str | None = "2024-03-05T10:00:00+00:00",
) -> tuple[ExtractedPage, RawPage]:
    document = Document(blocks)
    html = f"<html><body><h1>{title}</h1><p>{document.text[:200]}</p></body></html>".encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind=kind, url=url)
    extracted = ExtractedPage(
        document=document,
        title=title,
        byline=byline,
        url=url,
        site_name="Example Site",
        published=published,
    )
    return extracted, raw


def long_blocks(words: int = 20_000, seed: int = 7) -> tuple[Block, ...]:
    rnd = random.Random(seed)
    vocab = [
        *("the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while"),
        *("reading", "an", "offline", "archive", "of", "saved", "articles", "in", "a"),
        *("terminal", "column", "that", "wraps", "every", "line"),
    ]
    blocks: list[Block] = []
    count = 0
    section = 0
    while count < words:
        if count // 1000 >= section:
            section += 1
            blocks.append(Block("heading", f"Section {section}", level=2))
        n = rnd.randint(40, 120)
        text = " ".join(rnd.choice(vocab) for _ in range(n)).capitalize() + "."
        blocks.append(Block("paragraph", text))
        count += n
    return tuple(blocks)


def add_rich(archive: Archive, title: str = "A rich article") -> int:
    return archive.add_article(*page(title, rich_blocks()))


def add_long(archive: Archive, words: int = 20_000) -> int:
    return archive.add_article(
        *page("A very long article", long_blocks(words), url="https://example.com/long")
    )


class ReadingApp(App[None]):
    """Just the reading screen, on connections of its own to `archive`'s file; what the
    screen asks of the app (another screen) is kept in `asked`, what it tells the
    reader in `notes`."""

    def __init__(self, archive: Archive, article_id: int, **screen_args: Any) -> None:
        super().__init__()
        self.access = ArchiveConnections(archive.path)
        self.article_id = article_id
        self.screen_args = screen_args
        self.asked: list[Message] = []
        self.notes: list[str] = []  # every notification's message, from any screen

    def notify(self, message: str, **kwargs: Any) -> None:
        self.notes.append(str(message))
        super().notify(message, **kwargs)

    @on(ShowAnnotations)
    @on(ExportNotes)
    def _asked(self, message: Message) -> None:
        self.asked.append(message)

    def get_css_variables(self) -> dict[str, str]:
        """The reader's colours as ReaderApp gives them (reading.tcss uses them)."""
        return with_reader_colours(self, super().get_css_variables())

    def on_mount(self) -> None:
        self.push_screen(ReadingScreen(self.access, self.article_id, **self.screen_args))

    def on_unmount(self) -> None:
        self.access.close()


def option_text(options: OptionList, index: int, width: int = 60) -> str:
    """Option `index` of a list as drawn `width` cells wide (plain text, lines kept)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(options.get_option_at_index(index).prompt)
    return console.export_text()
