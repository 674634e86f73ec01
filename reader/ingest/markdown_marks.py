"""`==marked==` text for markdown-it-py: Obsidian's highlight syntax (markdown-it-mark).

mdit-py-plugins has no port of markdown-it-mark, so this is one: the same delimiter
rule as markdown-it's own `~~strikethrough~~` with `=` for `~`, making `mark_open`
and `mark_close` tokens around the marked text. `==` pairs follow the rules
strikethrough does (an opener must be able to open, a closer to close, `===` leaves
one `=` as text), so `a == b` and `x==y` in prose stay text.
"""

from __future__ import annotations

from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

__all__ = ["mark_plugin"]

_EQUALS = 0x3D  # "="


def mark_plugin(md: MarkdownIt) -> None:
    """Parse `==text==` into mark_open / mark_close tokens."""
    md.inline.ruler.before("emphasis", "mark", _tokenize)
    md.inline.ruler2.before("emphasis", "mark", _post_process)


def _tokenize(state: StateInline, silent: bool) -> bool:
    """Each `==` becomes a text token, and a delimiter that may open or close a mark."""
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        token = state.push("text", "", 0)
        token.content = "="
        length -= 1
    for _ in range(length // 2):
        token = state.push("text", "", 0)
        token.content = "=="
        state.delimiters.append(
            Delimiter(
                marker=_EQUALS,
                length=0,  # no "rule of 3" for marks
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _pair_up(state: StateInline, delimiters: list[Delimiter]) -> None:
    lone_markers: list[int] = []
    for opener in delimiters:
        if opener.marker != _EQUALS or opener.end == -1:
            continue
        closer = delimiters[opener.end]
        ends: tuple[tuple[int, str, Literal[1, -1]], ...] = (
            (opener.token, "mark_open", 1),
            (closer.token, "mark_close", -1),
        )
        for index, kind, nesting in ends:
            token = state.tokens[index]
            token.type, token.tag, token.nesting, token.markup = kind, "mark", nesting, "=="
            token.content = ""
        before = state.tokens[closer.token - 1]
        if before.type == "text" and before.content == "=":
            lone_markers.append(closer.token - 1)
    # An odd run (`===`) left one `=` before its closer: move it after the mark's end.
    while lone_markers:
        index = lone_markers.pop()
        after = index + 1
        while after < len(state.tokens) and state.tokens[after].type == "mark_close":
            after += 1
        after -= 1
        if index != after:
            state.tokens[index], state.tokens[after] = state.tokens[after], state.tokens[index]


def _post_process(state: StateInline) -> None:
    """Turn the delimiters that were paired into mark_open / mark_close tokens."""
    _pair_up(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair_up(state, meta["delimiters"])
