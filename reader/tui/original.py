"""Open an article's saved original page in the system's browser (the `o` key of the
library and the reading view: one function for both).

The page is read and written out in a thread worker of the asking widget: an original
can be megabytes, decompressed. It goes to a fresh temporary folder under a name we
choose (never the page's own), then to `webbrowser.open`; the outcome is a notification.
"""

from __future__ import annotations

import tempfile
import webbrowser
from pathlib import Path

from textual.notifications import SeverityLevel
from textual.widget import Widget

from reader.ingest.page import ORIGINAL_SUFFIXES
from reader.tui.access import ArchiveAccess


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
    except Exception as error:  # the archive said no: one line, like any refused read
        say(f"Cannot read the saved page: {error}", "error")
        return
    if original is None:
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
