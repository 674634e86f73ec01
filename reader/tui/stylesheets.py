"""Where the TUI's stylesheets are (a leaf module: the app and the screens both name them)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# The reading view's stylesheet: the app loads it at start, and the reading screen and
# note editor name the same path, so pushing them never re-parses the stylesheets.
READING_CSS = HERE / "reading.tcss"
