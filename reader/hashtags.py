"""Highlight tags: what a `#word` in a note is, and what a highlight tag may be called.

A highlight tag is one word: letters, digits, `-`, `_` and `/` (for nested tags,
`#project/reader`), with at least one letter (`#2024`, `#12` are numbers, an issue or
a rank, not tags), at most MAX_HIGHLIGHT_TAG_LENGTH characters. The same rule gives the
names a highlight may be tagged with explicitly, so every highlight tag can be written
back as a `#word` (an export's tag line, a note) and read again as the same tag; it is
Obsidian's and Logseq's notion of a tag too.

In a note, a `#word` counts where its `#` begins the note or follows whitespace or an
opening bracket, and a tag character follows it directly. So these are not tags:
`https://example.com/page#part` (the `#` follows a letter), `# Heading` and
`## Heading` (a space, or another `#`, follows), `C#` (no tag character after), `\\#x`
(escaped). A `/` or `-` that ends the word is punctuation (`#idea/` is `idea`). Names
compare ignoring case; the first spelling is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_HIGHLIGHT_TAG_LENGTH = 100

# \w is letters, digits (and marks) and `_` in Python's Unicode regexes.
_TAG_CHARS = r"[\w/-]"
_IN_NOTE = re.compile(rf"(?:^|(?<=[\s(\[{{]))#({_TAG_CHARS}+)")
_NAME = re.compile(rf"{_TAG_CHARS}+")


class HighlightTagError(ValueError):
    """A name no highlight tag can have; `str(error)` is one line for the user."""


def _name_of(word: str) -> str | None:
    """The tag a run of tag characters names, or None (no letter, too long)."""
    word = word.strip("/-")
    if not word or not any(c.isalpha() for c in word):
        return None
    if len(word) > MAX_HIGHLIGHT_TAG_LENGTH:
        return None
    return word


def unique_tags(names: Iterable[str]) -> tuple[str, ...]:
    """`names` once each, compared ignoring case, the first spelling kept, in order."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(name.casefold(), name)
    return tuple(kept.values())


def note_tags(note: str) -> tuple[str, ...]:
    """The `#word` tags of a note (see the module's docstring), each once, in order."""
    found = (_name_of(match.group(1)) for match in _IN_NOTE.finditer(note))
    return unique_tags(name for name in found if name is not None)


def clean_highlight_tag(name: str) -> str:
    """A highlight tag as given (a leading `#` dropped), checked: raises
    HighlightTagError when it is not one tag word."""
    text = name.strip().removeprefix("#")
    cleaned = _name_of(text) if _NAME.fullmatch(text) else None
    if cleaned is None or cleaned != text:
        raise HighlightTagError(
            f"{name.strip()[:40]!r} is not a highlight tag: one word of letters, digits,"
            f" '-', '_' or '/' (not at its ends), with a letter, at most"
            f" {MAX_HIGHLIGHT_TAG_LENGTH} characters"
        )
    return cleaned


def valid_tags(names: Iterable[str]) -> tuple[str, ...]:
    """The names that are highlight tags, cleaned (a file's or another program's data:
    one that is not a tag is passed over, not an error)."""
    kept = []
    for name in names:
        try:
            kept.append(clean_highlight_tag(name))
        except HighlightTagError:
            continue
    return unique_tags(kept)
