"""Where the TUI's stylesheets are (a leaf module: the app and the screens both name them).

Absolute paths: Textual reads a relative CSS_PATH from the folder of the class's module,
which for a subclass (a test's, a bench's) is not this one.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

APP_CSS = HERE / "app.tcss"
EXPORT_CSS = HERE / "export.tcss"
STATS_CSS = HERE / "stats.tcss"

# The reading view's stylesheet: the app loads it at start, and the reading screen and
# note editor name the same path, so pushing them never re-parses the stylesheets.
READING_CSS = HERE / "reading.tcss"
