"""Page text -> rich Text that shows exactly what was saved, never markup or escapes.

Import strips control characters already; this is the last guard for anything that
got into an archive some other way: a C0/C1 control character or a bidi override is
shown as a visible symbol instead of reaching the terminal.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from reader.models import split_snippet
from reader.tui.layout import display

_LINE_BREAKS = str.maketrans("\n\r", "  ")


def clean(text: str | None) -> str:
    """`text` on one line (line breaks become spaces), unsafe characters visible: the
    reading view's display rule (reader.tui.layout.display), one character for one."""
    if not text:
        return ""
    return display(text.translate(_LINE_BREAKS))


def plain(text: str | None, style: str | Style = "") -> Text:
    """Page text as rich Text (never parsed as markup)."""
    return Text(clean(text), style=style)


def snippet_text(snippet: str, match_style: str | Style, style: str | Style = "") -> Text:
    """A search snippet with the matched words in `match_style`."""
    text_, ranges = split_snippet(snippet)
    # clean() maps one character to one character, so the ranges still fit.
    text = Text(clean(text_), style=style)
    for start, end in ranges:
        text.stylize(match_style, start, end)
    return text
