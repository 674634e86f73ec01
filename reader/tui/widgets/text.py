"""Page text -> rich Text that shows exactly what was saved, never markup or escapes
(and an error -> the one line a notification shows).

Import strips control characters already; this is the last guard for anything that
got into an archive some other way: a C0/C1 control character or a bidi override is
shown as a visible symbol instead of reaching the terminal.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from reader.models import split_snippet
from reader.textrules import display_line, one_line


def plain(text: str | None, style: str | Style = "") -> Text:
    """Page text as rich Text (never parsed as markup)."""
    return Text(display_line(text), style=style)


def snippet_text(snippet: str, match_style: str | Style, style: str | Style = "") -> Text:
    """A search snippet with the matched words in `match_style`."""
    text_, ranges = split_snippet(snippet)
    # display_line maps one character to one character, so the ranges still fit.
    text = Text(display_line(text_), style=style)
    for start, end in ranges:
        text.stylize(match_style, start, end)
    return text


def error_line(error: BaseException) -> str:
    """An error as one line for a notification (its type's name when it says nothing)."""
    return one_line(str(error)) or type(error).__name__
