"""Open an article's saved original page in the system's browser (the `o` key of the
library and the reading view: one function for both).

The page is read and written out in a thread worker of the asking widget: an original
can be megabytes, decompressed. It goes to a fresh temporary folder under a name we
choose (never the page's own), then to `webbrowser.open`; the outcome is a notification.

A missing page (known from an export, not saved yet: reader.tui.missing) has no
original: its URL is opened instead, so the reader can save the page and import it;
only an http(s) address, since the URL came from an export file.
"""

from __future__ import annotations

import tempfile
import webbrowser
from collections.abc import Callable
from pathlib import Path

from textual.notifications import SeverityLevel
from textual.widget import Widget

from reader.ingest.page import ORIGINAL_SUFFIXES
from reader.textrules import one_line
from reader.tui.access import ArchiveAccess
from reader.tui.missing import browsable_url


def open_original(node: Widget, access: ArchiveAccess, article_id: int) -> None:
    """Show article `article_id`'s saved page in the browser (a worker of `node`, which
    also shows what happened)."""
    node.run_worker(
        lambda: _open_in_browser(node, access, article_id),
        thread=True,
        exclusive=True,
        group="original",
        exit_on_error=False,
    )


def _open_in_browser(node: Widget, access: ArchiveAccess, article_id: int) -> None:
    app = node.app

    def say(message: str, severity: SeverityLevel = "information") -> None:
        app.call_from_thread(
            lambda: node.notify(message, severity=severity, timeout=4, markup=False)
        )

    try:
        original = access.background(lambda archive: archive.original_of(article_id))
        summary = None if original else access.background(lambda a: a.get_summary(article_id))
    except Exception as error:  # the archive said no: one line, like any refused read
        say(f"Cannot read the saved page: {error}", "error")
        return
    if original is None:
        if summary is not None and summary.missing:
            _open_url(summary.url, say)
        else:
            say("No saved original for this article", "warning")
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix="reader-original-"))
        # The suffix says what the file is: a text article is shown as text, never as
        # HTML, whatever it holds.
        path = folder / f"article-{article_id}{ORIGINAL_SUFFIXES.get(original.kind, '.html')}"
        path.write_bytes(original.data)
        opened = webbrowser.open(path.as_uri())
    except (OSError, webbrowser.Error) as error:
        say(f"Cannot open the saved page: {error}", "error")
        return
    if opened:
        say(f"Opened the saved page ({path})")
    else:
        say(f"No browser found; the page is at {path}", "warning")


def _open_url(url: str | None, say: Callable[..., None]) -> None:
    """A missing page's URL in the browser (an http(s) one only), and what to do next."""
    address = browsable_url(url)
    if address is None:
        shown = one_line(url or "")[:80]
        say(f"No web address to open for this page ({shown or 'none given'})", "warning")
        return
    try:
        opened = webbrowser.open(address)
    except webbrowser.Error as error:
        say(f"Cannot open the page: {error}", "error")
        return
    if opened:
        say(f"Opened {one_line(address)} in your browser: save the page, then import it (i)")
    else:
        say(f"No browser found; the page is at {one_line(address)}", "warning")
