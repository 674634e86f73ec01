"""Safe, stable file names for exported articles.

A title is page text: it may hold `../`, slashes, a Windows device name, thousands of
characters, emoji or nothing at all. The name made from it keeps only letters, digits,
marks and a few harmless punctuation characters, so it can never name a path outside
the export folder, and it stays short enough for every common file system.

The device names Windows refuses (CON, NUL, COM1, LPT¹...) are pathvalidate's list; its
other rules (forbidden characters, a trailing dot or space, 255 bytes) are met by the
stricter ones here, made for notes apps and for people: link syntax and emoji become
spaces and a long title is cut at a word (the tests check every name with pathvalidate).
Its sanitize_filename is not called on each name: it costs ten times what the rest of a
name does and would change nothing (bench/export_names.py). Names must not change
between versions, since a re-export finds its files by name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pathvalidate import FileNameValidator

MAX_STEM_CHARS = 80
# ext4, APFS and NTFS allow 255 bytes/units per name; leave room for a suffix and ".md".
MAX_STEM_BYTES = 160
UNTITLED = "Untitled"

# Windows refuses these as a name's stem (the part before the first dot), in any case.
_RESERVED = frozenset(FileNameValidator(platform="universal").reserved_keywords)
# Punctuation kept in names: none of it is special to shells' globbing, Windows,
# macOS or notes apps' link syntax ([[...]], #tags, ^blocks, |aliases).
_KEEP_PUNCTUATION = frozenset("-_,'()&+!")
_SPACES = re.compile(r"\s+")


def slugify(title: str) -> str:
    """A file-name stem from `title`: safe characters only, never empty, never hidden."""
    text = unicodedata.normalize("NFC", title)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LNM" or char in _KEEP_PUNCTUATION:
            kept.append(char)
        else:
            # Slashes, dots, colons, quotes, emoji, controls: all become a space.
            kept.append(" ")
    stem = _SPACES.sub(" ", "".join(kept)).strip(" -_,'+!&")
    stem = _truncate(stem)
    if not stem or not any(unicodedata.category(c)[0] in "LN" for c in stem):
        stem = UNTITLED
    if stem.upper() in _RESERVED:
        stem += "_"
    return stem


def _truncate(stem: str) -> str:
    """Cut at a word boundary when one is near, within both length limits."""
    if len(stem) <= MAX_STEM_CHARS and len(stem.encode()) <= MAX_STEM_BYTES:
        return stem
    cut = stem[:MAX_STEM_CHARS]
    while len(cut.encode()) > MAX_STEM_BYTES:
        cut = cut[:-1]
    # A combining mark must not be separated from its base letter.
    while cut and unicodedata.category(cut[-1])[0] == "M" and len(cut) < len(stem):
        if unicodedata.category(stem[len(cut)])[0] != "M":
            break
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space >= MAX_STEM_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip(" -_,'+!&")


def article_filename(title: str, key: str, taken: set[str] | None = None) -> str:
    """`<slug>.md`, or `<slug> <hash>.md` when another article already has that name.

    `key` identifies the article across runs (its URL, else its id); `taken` holds the
    casefolded names already used, since macOS and Windows treat `A.md` and `a.md`
    as one file.
    """
    stem = slugify(title)
    name = f"{stem}.md"
    if taken is None or fold(name) not in taken:
        return name
    digest = hashlib.sha256(key.encode()).hexdigest()
    for length in (6, 10, 16, 64):
        name = f"{stem} {digest[:length]}.md"
        if fold(name) not in taken:
            return name
    counter = 2
    while fold(f"{stem} {digest[:6]} {counter}.md") in taken:
        counter += 1
    return f"{stem} {digest[:6]} {counter}.md"


def fold(name: str) -> str:
    """The form under which two names are the same file on case-insensitive systems."""
    return unicodedata.normalize("NFC", name).casefold()
