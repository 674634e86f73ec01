"""Reader's part of an exported file, found again after the user edited it.

A file is a head (YAML front matter, or Logseq's `key:: value` page properties) and a
body. Reader owns the head's keys it wrote and, in the body, each highlight and article
note block: from its first line to its block id (`^hl-12`, `<!-- hl-12 -->`, or Logseq's
`id::` UUID). Every other line is the user's. A block's end is its (last) id line; its
first line is found by looking up from there, no further than the block before it, for
the first line reader wrote last time, else a line that starts a block of that preset
(`> quote`, `**Note:**`, `- bullet`), else the paragraph the id line ends.

Pure: text in, positions and notes out. Untrusted input: sizes are bounded, and the YAML
is read with `yamlio.load_yaml` (PyYAML's safe loader).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import yaml

from reader.export.presets import block_uuid
from reader.export.render import paragraphs
from reader.yamlio import load_yaml

MAX_HEAD_CHARS = 64 * 1024

_CARET_ID = re.compile(r"(?:^|[ \t])\^((?:hl|note)-\d+)[ \t]*$")
_COMMENT_ID = re.compile(r"^[ \t]*<!--[ \t]*((?:hl|note)-\d+)[ \t]*-->[ \t]*$")
_UUID_ID = re.compile(r"^[ \t]*id::[ \t]*([0-9a-fA-F-]{36})[ \t]*$")
_ID_PATTERNS = (_CARET_ID, _COMMENT_ID, _UUID_ID)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LOGSEQ_PROPERTY = re.compile(r"^([^\s:][^:\n]*?)::(?:[ \t]|$)")
_CHILD_BULLET = re.compile(r"^[ \t]+- ")
_NOTE_PREFIX = "**Note:**"
# A YAML key that reads as itself (no quotes, no flow syntax), then `:`.
_PLAIN_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|\r?\n|$)")
# The line of a highlight's own tags reader writes under its note (reader.hashtags' words).
_TAGS_LINE = re.compile(r"^#[\w/-]+(?:[ \t]+#[\w/-]+)*[ \t]*$")


class HeadError(ValueError):
    """A file's front matter is not what reader can merge into (not a YAML mapping, huge)."""


def kind_of(key: str) -> str:
    """ "hl" or "note", the kind of block `key` ("hl-12", "note-5") stands for."""
    return key.split("-", 1)[0]


def id_names(keys: Iterable[str]) -> dict[str, str]:
    """What an id line may say for each block key -> that key (Logseq says a UUID)."""
    names: dict[str, str] = {}
    for key in keys:
        names[key] = key
        names[block_uuid(key)] = key
        if kind_of(key) == "hl":
            names[block_uuid(key + "/note")] = key
    return names


def line_id(line: str, names: Mapping[str, str]) -> tuple[str, str] | None:
    """(the block key, the id as written) when `line` carries one of `names`."""
    text = line.rstrip("\r\n")
    for pattern in _ID_PATTERNS:
        match = pattern.search(text)
        if match:
            ident = match.group(1).lower()
            return (names[ident], ident) if ident in names else None
    return None


def strip_id(line: str) -> str:
    """`line` without a block id (an id-only line becomes empty)."""
    text = line.rstrip("\r\n")
    if _COMMENT_ID.match(text) or _UUID_ID.match(text):
        return ""
    return _CARET_ID.sub("", text)


def unescape(text: str) -> str:
    """Markdown backslash escapes undone: the text the user means."""
    return _ESCAPED.sub(r"\1", text)


def normalize(text: str) -> str:
    """A note as Markdown keeps it: lines stripped, one blank line between paragraphs."""
    return "\n\n".join("\n".join(para) for para in paragraphs(text))


# --- Notes, read back per layout ---------------------------------------------------


def _markdown_note(kind: str, lines: list[str]) -> str:
    body = [strip_id(line) for line in lines]
    for i, line in enumerate(body):
        if line.startswith(_NOTE_PREFIX):
            rest = [line[len(_NOTE_PREFIX) :], *body[i + 1 :]]
            return normalize(unescape("\n".join(_without_tags_line(rest))))
    return ""


def _without_tags_line(lines: list[str]) -> list[str]:
    """`lines` less a last paragraph that is a line of `#tags` (the highlight's tags,
    which reader writes after its note, a blank line between)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end >= 3 and _TAGS_LINE.match(lines[end - 1]) and not lines[end - 2].strip():
        return lines[: end - 1]
    return lines


def _readwise_note(kind: str, lines: list[str]) -> str:
    body = [strip_id(line) for line in lines]
    if kind == "note":
        return normalize(unescape(body[0].removeprefix("- "))) if body else ""
    for line in body:
        if line.startswith((" ", "\t")) and line.lstrip().startswith("- Note:"):
            return normalize(unescape(line.lstrip().removeprefix("- Note:")))
    return ""


def _logseq_note(kind: str, lines: list[str]) -> str:
    if kind == "note":
        start = 0
    else:
        found = next((i for i, line in enumerate(lines) if _CHILD_BULLET.match(line)), None)
        if found is None:
            return ""
        start = found
    text: list[str] = []
    for i, line in enumerate(lines[start:]):
        bare = line.rstrip("\r\n").strip()
        if i == 0:
            bare = bare.removeprefix("- ").removeprefix(_NOTE_PREFIX)
        elif _UUID_ID.match(bare) or _LOGSEQ_PROPERTY.match(bare):
            continue
        text.append(bare)
    return normalize(unescape("\n".join(text)))


@dataclass(frozen=True)
class Layout:
    """How one preset's blocks look: `head` ("yaml" or "logseq"), what starts a block of
    each kind, what lines above that start still belong to it, how to read its note."""

    head: str
    starts: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    extends: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    note_of: Callable[[str, list[str]], str] | None = None
    # Lines right after a block's id that are still its own (Readwise's `- Note:` child,
    # which the user adds under a highlight that had none, after its id).
    tail: re.Pattern[str] | None = None


_QUOTE = re.compile(r"^>")
_NOTE_LINE = re.compile(r"^\*\*Note:\*\*")
_BULLET = re.compile(r"^- ")
_MARKDOWN = Layout("yaml", {"hl": _QUOTE, "note": _NOTE_LINE}, {"hl": _QUOTE}, _markdown_note)
LAYOUTS: dict[str, Layout] = {
    "obsidian": _MARKDOWN,
    "plain": _MARKDOWN,
    "readwise": Layout(
        "yaml",
        {"hl": _BULLET, "note": _BULLET},
        {},
        _readwise_note,
        re.compile(r"^[ \t]+- Note:"),
    ),
    "logseq": Layout("logseq", {"hl": _BULLET, "note": _BULLET}, {}, _logseq_note),
    # A user's template: blocks found by their first line, notes not read back.
    "template": Layout("yaml"),
}


# --- The head --------------------------------------------------------------------


@dataclass
class Head:
    """Front matter as entries: (key, its lines); a key of None is a comment or a line
    reader cannot read as one key. `open`/`close` are the fences ("" for Logseq's)."""

    entries: list[tuple[str | None, list[str]]]
    open: str = ""
    close: str = ""

    def keys(self) -> list[str]:
        return [key for key, _ in self.entries if key is not None]

    def text(self) -> str:
        return self.open + "".join("".join(lines) for _, lines in self.entries) + self.close


def split_head(lines: list[str], kind: str) -> tuple[Head | None, int]:
    """The head at the top of `lines` and the index of the body's first line."""
    if kind == "logseq":
        entries: list[tuple[str | None, list[str]]] = []
        for line in lines:
            match = _LOGSEQ_PROPERTY.match(line)
            if match is None:
                break
            entries.append((match.group(1).strip(), [line]))
        return (Head(entries), len(entries)) if entries else (None, 0)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None, 0
    size = 0
    for end in range(1, len(lines)):
        size += len(lines[end])
        if size > MAX_HEAD_CHARS:
            raise HeadError(f"front matter over {MAX_HEAD_CHARS // 1024} KiB")
        if lines[end].rstrip("\r\n") in ("---", "..."):
            break
    else:
        return None, 0
    inner = lines[1:end]
    try:
        data = load_yaml("".join(inner))
    except yaml.YAMLError as error:
        raise HeadError(f"front matter is not YAML: {' '.join(str(error).split())}") from error
    if data is not None and not isinstance(data, dict):
        raise HeadError("front matter is not a YAML mapping")
    return Head(_yaml_entries(inner), lines[0], lines[end]), end + 1


def _yaml_entries(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Top-level entries: a line at column 0 starts one; indented lines and `- ` items
    belong to the entry above. Comments and blank lines after an entry are an entry of
    their own (key None), so replacing reader's value never takes the user's comment."""
    chunks: list[list[str]] = []
    for line in lines:
        loose = not line.strip() or line.startswith("#")
        starts = line[:1] not in (" ", "\t") and not line.startswith("- ") and not loose
        if starts or not chunks or (loose and not _is_loose(chunks[-1])):
            chunks.append([line])
        elif not loose and _is_loose(chunks[-1]) and len(chunks) > 1:
            # an indented line after a comment: YAML reads it as the entry's; so do we
            chunks[-2].extend(chunks.pop())
            chunks[-1].append(line)
        else:
            chunks[-1].append(line)
    entries: list[tuple[str | None, list[str]]] = []
    for chunk in chunks:
        key: str | None = None
        plain = _PLAIN_KEY.match(chunk[0])
        if plain is not None:  # `key: ...`, as reader writes them: no need to parse
            key = plain.group(1)
        elif not _is_loose(chunk):
            try:
                data = load_yaml("".join(chunk))
            except yaml.YAMLError:
                data = None
            if isinstance(data, dict) and len(data) == 1:
                key = str(next(iter(data)))
        entries.append((key, chunk))
    return entries


def _is_loose(chunk: list[str]) -> bool:
    return all(not line.strip() or line.startswith("#") for line in chunk)


# --- The body ----------------------------------------------------------------------


@dataclass
class Block:
    key: str
    start: int  # index of its first line in the body
    end: int  # index of its last line (its last id line)


@dataclass
class Parsed:
    head: Head | None
    lines: list[str]  # the body's lines, line endings kept
    blocks: list[Block]

    def block_lines(self, block: Block) -> list[str]:
        return self.lines[block.start : block.end + 1]


def parse_file(
    text: str,
    layout: Layout,
    names: Mapping[str, str],
    first_lines: Mapping[str, Iterable[str]] | None = None,
) -> Parsed:
    """`text` split into its head and body, with the blocks whose ids are in `names`.

    An id met a second time is a copy the user made (a quote of a block, a block
    pasted twice): its lines are theirs. (A block may end with two different ids:
    Logseq's note has its own.) `first_lines` are each block's first line as reader wrote it.
    """
    all_lines = text.splitlines(keepends=True)
    head, body_start = split_head(all_lines, layout.head)
    lines = all_lines[body_start:]
    groups: list[tuple[str, int, int]] = []  # key, its first id line, its last one
    used: set[str] = set()
    for index, line in enumerate(lines):
        found = line_id(line, names)
        if found is None or found[1] in used:
            continue
        key, ident = found
        used.add(ident)
        if groups and groups[-1][0] == key:
            groups[-1] = (key, groups[-1][1], index)
        elif all(key != other for other, _, _ in groups):
            groups.append((key, index, index))
    blocks: list[Block] = []
    bound = 0
    for number, (key, first_id, last_id) in enumerate(groups):
        wanted = {line.rstrip("\r\n") for line in (first_lines or {}).get(key, ())} - {""}
        start = _find_start(lines, bound, first_id, kind_of(key), layout, wanted)
        end = last_id
        limit = groups[number + 1][1] if number + 1 < len(groups) else len(lines)
        while layout.tail and kind_of(key) == "hl" and end + 1 < limit:
            if not layout.tail.match(lines[end + 1]):
                break
            end += 1
        blocks.append(Block(key, start, end))
        bound = end + 1
    return Parsed(head, lines, blocks)


def _find_start(
    lines: list[str], bound: int, first_id: int, kind: str, layout: Layout, wanted: set[str]
) -> int:
    if wanted:
        for index in range(first_id, bound - 1, -1):
            if lines[index].rstrip("\r\n") in wanted:
                return index
    starts = layout.starts.get(kind)
    if starts is not None:
        for index in range(first_id, bound - 1, -1):
            if starts.match(lines[index]):
                extends = layout.extends.get(kind)
                while extends and index - 1 >= bound and extends.match(lines[index - 1]):
                    index -= 1
                return index
    index = first_id
    while index - 1 >= bound and lines[index - 1].strip():
        index -= 1
    return index


def note_of(layout: Layout, key: str, lines: list[str]) -> str | None:
    """The note a block holds, as plain text; None when the layout cannot tell."""
    if layout.note_of is None:
        return None
    return layout.note_of(kind_of(key), [line.rstrip("\r\n") for line in lines])
