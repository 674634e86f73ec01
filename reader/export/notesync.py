"""Which note wins: the three-way decision between reader's note and the file's.

The manifest keeps, per block, the SHA-256 of the note reader had (`note`) and of the
note the file showed (`file`) when reader last wrote it: the base. Then

- the file's note unchanged: reader's goes into the file;
- the file's changed and reader's not: reader takes the file's;
- both changed (to different texts): both are kept, reader's first, then the file's
  after a line `--- edited in <file> on <date>:`, in reader and in the file, and the
  export reports the conflict.

A note the user emptied in the file is not taken: a file edit never deletes reader's
data (nor does deleting a block: the next export puts it back).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from reader.export.blocks import normalize

CONFLICT_MARK = "--- edited in"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Decision:
    """`action`: "keep" (reader's stands), "pull" (take the file's) or "conflict";
    `note` is the note reader should hold after it (None for keep)."""

    action: str
    note: str | None = None


KEEP = Decision("keep")


def decide(
    reader_note: str,
    file_note: str | None,
    base: dict[str, Any] | None,
    *,
    fresh_note: str | None,
    where: str,
    today: str,
) -> Decision:
    """The decision for one block (see the module docstring).

    `file_note` is the note read from the file (None: the layout cannot tell),
    `fresh_note` what the file would show of reader's note now.
    """
    if file_note is None or not file_note.strip():
        return KEEP
    if base is not None and base.get("file") == text_hash(file_note):
        return KEEP  # the file's note is as reader wrote it
    if file_note in (normalize(reader_note), fresh_note):
        return KEEP  # both say the same
    reader_changed = base is None or base.get("note") != text_hash(reader_note)
    if not reader_changed:
        return Decision("pull", file_note)
    if CONFLICT_MARK in reader_note and normalize(reader_note).endswith(file_note):
        return KEEP  # this conflict was settled already (by --pull)
    merged = f"{reader_note.rstrip()}\n\n{CONFLICT_MARK} {where} on {today}:\n{file_note}"
    return Decision("conflict", merged)
