"""Text hygiene for everything that comes out of a page.

Page text is untrusted: control characters could move a terminal's cursor or ring its
bell, and bidi overrides can make text display in an order other than the one stored
(and searched, and highlighted). Every string that leaves ingest passes through one of
these helpers, so the rule lives in one place.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069). Zero-width characters are
# harmless in a terminal and some scripts need them (ZWJ, ZWNJ), so they stay.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Remove control characters and bidi controls, keeping tabs and newlines.

    Carriage returns become newlines first (CRLF and lone CR line ends), so code keeps
    its lines. For preformatted text, where every other character is kept exactly.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def clean_inline(text: str) -> str:
    """Controls removed and every run of whitespace (tabs, newlines, NBSP) one space.

    Not stripped at the ends: callers joining pieces of a paragraph need to know
    whether a piece began or ended with a space.
    """
    if "\r" in text:
        text = text.replace("\r", " ")
    return _WHITESPACE.sub(" ", _CONTROLS.sub("", text))


def clean_line(text: str | None) -> str:
    """One clean line of metadata (a title, a byline): controls gone, spaces collapsed."""
    if not text:
        return ""
    return clean_inline(text).strip()
