"""The text rules every layer shares: what is stored, how it is drawn, how counts read.

Page text is untrusted: control characters could move a terminal's cursor or ring its
bell, and bidi overrides can make text display in an order other than the one stored
(and searched, and highlighted). Two rules, each in one place:

- storing (`strip_controls`, `clean_inline`, `clean_line`): what ingest, the archive and
  every importer keep. Controls and bidi overrides are removed.
- drawing (`display`, `display_line`, `one_line`): how anything that reached an archive
  some other way is shown, in the TUI and the CLI alike. Controls become visible
  symbols (␛ for ESC), never bytes that reach the terminal.

Pure: no reader imports, so every layer can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069). Zero-width characters are
# harmless in a terminal and some scripts need them (ZWJ, ZWNJ), so they stay.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


# --- Storing -------------------------------------------------------------------------


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


def fold_key(text: str | None) -> str:
    """`text`'s letters and digits alone, case folded: the key by which two spellings of
    one title, name or caption compare ("Post — Site" and "post: site")."""
    return _NOT_WORD.sub("", (text or "").casefold())


_NOT_WORD = re.compile(r"\W+")


# --- Drawing -------------------------------------------------------------------------


def _display_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Control characters never reach the terminal: shown as their picture (␛ for ESC),
    # C1 and bidi overrides as the replacement character.
    for code in range(0x20):
        if code != 0x0A:  # a line break (a <br>) is where the reading view cuts a line
            table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"
    for code in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        table[code] = "\ufffd"
    # Whitespace other than a plain space is drawn as one (one character, one cell).
    for char in "\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000":
        table[ord(char)] = " "
    for code in range(0x2000, 0x200B):
        table[code] = " "
    return table


_DISPLAY = _display_table()
_LINE_BREAKS = str.maketrans("\n\r", "  ")


def display(text: str) -> str:
    """`text` as drawn: one character for one, whitespace as spaces (line breaks stay:
    lines are cut there), controls visible."""
    return text.translate(_DISPLAY)


def display_line(text: str | None) -> str:
    """`text` on one line, one character for one (so marked ranges still fit): line
    breaks as spaces, controls visible."""
    if not text:
        return ""
    return text.translate(_LINE_BREAKS).translate(_DISPLAY)


def one_line(text: str | None) -> str:
    """`text` as one line for a message or a list: whitespace runs as one space, ends
    trimmed, controls visible."""
    if not text:
        return ""
    return " ".join(text.split()).translate(_DISPLAY)


# --- Wording -------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 article`, `2 articles`, `1,000 articles` (`many`: a plural not made with s)."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {many if many is not None else word + 's'}"


def reading_time(minutes: float) -> str:
    """`45 min`, `2 h 05 min`, `1,204 h 00 min`: a reading time, to the minute."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60:,} h {whole % 60:02d} min"


def blank_line_runs(lines: Iterable[str]) -> list[list[str]]:
    """The runs of non-blank lines between blank ones (paragraphs, as text files have
    them); lines are kept as given."""
    runs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
