"""Page text -> rich Text that shows exactly what was saved, never markup or escapes.

Import strips control characters already; this is the last guard for anything that
got into an archive some other way: a C0/C1 control character or a bidi override is
shown as a visible symbol instead of reaching the terminal.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

from reader.models import split_snippet

# C0 (but \t), DEL, C1, and the bidi embedding/override/isolate characters.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_SPACES = str.maketrans("\t\n\r", "   ")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(text: str | None) -> str:
    """`text` on one line (tabs and line breaks become spaces), unsafe characters visible."""
    if not text:
        return ""
    return _UNSAFE.sub(_picture, text.translate(_SPACES))


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
