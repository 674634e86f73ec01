"""Merging a fresh export into a file the user edited: reader's part replaced, the rest kept.

Pure text in, text out (see `reader.export.blocks` for what reader's part is):

- the head: keys reader writes take their new value where the user has them, keys
  reader wrote before and writes no more go, the user's keys, comments and order stay;
- the body: each of reader's blocks becomes its fresh text where it is; a block reader
  no longer has goes (with one blank line around it); a new block goes before the next
  block of its kind that is in the file, else after the lines under the block before it
  (up to the next heading or block), else under its section heading, else at the end.
  Every line outside reader's blocks is kept as it was.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from reader.export.blocks import Head, Layout, Parsed, kind_of, parse_file

_HEADING = re.compile(r"^(?:- )?#{1,6}(?:[ \t]|$)")


@dataclass
class _Block:
    key: str
    lines: list[str]


_Item = str | _Block


def merge_head(existing: Head | None, fresh: Head | None, old_keys: Collection[str]) -> str:
    """The head with reader's keys current and the user's kept (see the module docstring)."""
    if fresh is None:
        return existing.text() if existing is not None else ""
    if existing is None:
        return fresh.text()
    new = {key: lines for key, lines in fresh.entries if key is not None}
    order = [key for key, _ in fresh.entries if key is not None]
    out: list[tuple[str | None, list[str]]] = []
    for key, lines in existing.entries:
        if key is not None and key in new:
            if key not in (k for k, _ in out):
                out.append((key, new[key]))
        elif key is None or key not in old_keys:
            out.append((key, lines))
    for index, key in enumerate(order):
        present = [k for k, _ in out]
        if key in present:
            continue
        at = 0
        for before in reversed(order[:index]):
            if before in present:
                at = present.index(before) + 1
                break
        out.insert(at, (key, new[key]))
    body = "".join("".join(lines) for _, lines in out)
    if body and not body.endswith("\n"):
        body += "\n"
    return existing.open + body + existing.close


def _section_headings(fresh: Parsed) -> dict[str, str]:
    """The heading line above the first block of each kind in a fresh render."""
    headings: dict[str, str] = {}
    for block in fresh.blocks:
        kind = kind_of(block.key)
        if kind in headings:
            continue
        index = block.start - 1
        while index >= 0 and not fresh.lines[index].strip():
            index -= 1
        if index >= 0 and _HEADING.match(fresh.lines[index]):
            headings[kind] = fresh.lines[index].rstrip("\r\n")
    return headings


def _separator(fresh: Parsed) -> list[str]:
    """A blank line between blocks, when the preset puts one there."""
    for block in fresh.blocks:
        after = block.end + 1
        if after < len(fresh.lines):
            return ["\n"] if not fresh.lines[after].strip() else []
    return ["\n"]


def _items(parsed: Parsed) -> list[_Item]:
    items: list[_Item] = []
    position = 0
    for block in parsed.blocks:
        items.extend(parsed.lines[position : block.start])
        items.append(_Block(block.key, parsed.block_lines(block)))
        position = block.end + 1
    items.extend(parsed.lines[position:])
    return items


def _blank(item: _Item | None) -> bool:
    return isinstance(item, str) and not item.strip()


def _end_of_attached(items: list[_Item], after: int) -> int:
    """Where the lines under the block at `after` end: at the next heading or block,
    less the blank lines before it."""
    index = after + 1
    while index < len(items):
        item = items[index]
        if isinstance(item, _Block) or _HEADING.match(item):
            break
        index += 1
    while index - 1 > after and _blank(items[index - 1]):
        index -= 1
    return index


def _ensure_final_newline(items: list[_Item]) -> None:
    if items and isinstance(items[-1], str) and not items[-1].endswith("\n"):
        items[-1] += "\n"


def merge_body(existing: Parsed, fresh: Parsed) -> str:
    """`existing`'s body with reader's blocks as in `fresh` (see the module docstring)."""
    fresh_blocks = {block.key: fresh.block_lines(block) for block in fresh.blocks}
    order = list(fresh_blocks)
    items = _items(existing)
    out: list[_Item] = []
    for index, item in enumerate(items):
        if not isinstance(item, _Block):
            out.append(item)
        elif item.key in fresh_blocks:
            out.append(_Block(item.key, fresh_blocks[item.key]))
        else:  # gone from reader: its blank line goes too, unless it parts two lines
            following = items[index + 1] if index + 1 < len(items) else None
            if out and _blank(out[-1]) and (following is None or _blank(following)):
                out.pop()
    headings = _section_headings(fresh)
    gap = _separator(fresh)
    for position, key in enumerate(order):
        where = {item.key: n for n, item in enumerate(out) if isinstance(item, _Block)}
        if key in where:
            continue
        kind = kind_of(key)
        lines = fresh_blocks[key]
        later = [where[k] for k in order[position + 1 :] if k in where and kind_of(k) == kind]
        if later:
            out[later[0] : later[0]] = [*lines, *gap]
            continue
        earlier = [where[k] for k in order[:position] if k in where and kind_of(k) == kind]
        if earlier:
            at = _end_of_attached(out, earlier[-1])
            if at == len(out):
                _ensure_final_newline(out)
            out[at:at] = [*gap, *lines]
            continue
        heading = headings.get(kind)
        under = next(
            (
                n
                for n, item in enumerate(out)
                if heading and isinstance(item, str) and item.rstrip("\r\n") == heading
            ),
            None,
        )
        if under is not None:
            line = str(out[under])
            out[under] = line if line.endswith("\n") else line + "\n"
            out[under + 1 : under + 1] = [*gap, *lines]
            continue
        _ensure_final_newline(out)
        if out and not _blank(out[-1]):
            out.append("\n")
        if heading:
            out.extend([heading + "\n", *gap])
        out.extend(lines)
    return "".join(item if isinstance(item, str) else "".join(item.lines) for item in out)


def merge_text(
    current: str,
    fresh_text: str,
    layout: Layout,
    names: Mapping[str, str],
    first_lines: Mapping[str, Iterable[str]],
    old_keys: Collection[str],
) -> str:
    """`current` (a file the user edited) with reader's part as in `fresh_text`."""
    existing = parse_file(current, layout, names, first_lines)
    fresh = parse_file(fresh_text, layout, names)
    head = merge_head(existing.head, fresh.head, old_keys)
    body = merge_body(existing, fresh)
    if head and existing.head is None and body.strip() and not body.startswith(("\n", "\r\n")):
        head += "\n"
    return head + body
