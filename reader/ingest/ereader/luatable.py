"""A reader of Lua data files (KOReader's sidecars) that runs no Lua.

KOReader saves a book's settings and annotations as Lua source, `-- comment` lines and
`return { ... }` (its `dump.lua`: `["key"] = value,` entries, strings written by `%q`).
Only that data syntax is read here: a table constructor (`[expr] = v`, `name = v`,
positional values, `,` or `;` between), strings (quoted with every Lua escape, or long
brackets), numbers (decimal, hex, a leading minus), `true`, `false`, `nil`, comments.
Anything else (a function call, an operator, a variable) is a syntax error: nothing is
ever evaluated. The depth of nested tables and the count of values are bounded, so a
hostile file costs at most its size in time and memory.

slpp and luadata (PyPI) were looked at first: both unmaintained since 2020/2021, slpp
keeps `\\n` and `\\ddd` escapes as written (KOReader's `%q` writes a newline in a note
as a backslash and a line break) and has no bound on nesting; luadata re-sorts a
table's entries on every insert (quadratic in a table's size). This is ~200 lines.
"""

from __future__ import annotations

import math
import re

__all__ = ["MAX_DEPTH", "MAX_VALUES", "LuaSyntaxError", "LuaTable", "read_lua_data"]

#: Tables nested deeper than this are refused (KOReader's sidecars nest 4 deep).
MAX_DEPTH = 64
#: At most this many values in one file (a sidecar with 10,000 highlights has ~200,000).
MAX_VALUES = 2_000_000

LuaValue = object  # None, bool, int, float, str or LuaTable
LuaTable = dict[object, object]
"""A Lua table: positional values under the keys 1, 2, ... as Lua numbers them."""


class LuaSyntaxError(ValueError):
    """Not the Lua data this reads; `str(error)` is one line, with the line number."""


# One token at a time, whitespace and comments skipped by the caller's loop.
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_LONG_OPEN = re.compile(r"\[(=*)\[")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(
    r"0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    r"|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "\n": "\n",
    "\r": "\n",
}
# What `tostring` writes for these numbers (Lua itself would read unset globals): read as
# the numbers meant, so a sidecar holding one still reads.
_NUMBER_WORDS = frozenset({"inf", "nan"})
_KEYWORDS = {"true": True, "false": False, "nil": None}


def read_lua_data(data: bytes) -> LuaValue:
    """The value a Lua data file returns (`return {...}`, or a bare value), read without
    running it. Strings are UTF-8 (bad bytes replaced). Raises LuaSyntaxError."""
    return _Reader(data).file()


class _Reader:
    def __init__(self, data: bytes) -> None:
        # Latin-1 maps bytes to characters one to one, so escapes that make bytes
        # (`\ddd`, `\xXX`) and the file's own UTF-8 are decoded together, per string.
        self.text = data.decode("latin-1")
        self.at = 0
        self.values = 0

    # -- errors and skipping ----------------------------------------------------------

    def error(self, message: str) -> LuaSyntaxError:
        line = self.text.count("\n", 0, self.at) + 1
        return LuaSyntaxError(f"line {line}: {message}")

    def skip(self) -> None:
        """Whitespace and comments (`-- line`, `--[[ block ]]`, `--[==[ ... ]==]`)."""
        text = self.text
        while True:
            space = _SPACE.match(text, self.at)
            if space:
                self.at = space.end()
            if not text.startswith("--", self.at):
                return
            self.at += 2
            long = _LONG_OPEN.match(text, self.at)
            if long:
                self.long_bracket(long)
            else:
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end + 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.at : self.at + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = self.text[self.at : self.at + 1] or "the end of the file"
            raise self.error(f"expected {char!r}, found {found!r}")
        self.at += 1

    # -- the file ---------------------------------------------------------------------

    def file(self) -> LuaValue:
        if self.text.startswith("#"):
            end = self.text.find("\n")  # a shebang line, as Lua allows
            self.at = len(self.text) if end < 0 else end
        self.skip()
        name = _NAME.match(self.text, self.at)
        if name and name.group() == "return":
            self.at = name.end()
        value = self.value(0)
        if self.peek() == ";":
            self.at += 1
        if self.peek():
            raise self.error("more after the value the file returns")
        return value

    def value(self, depth: int) -> LuaValue:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.error(f"more than {MAX_VALUES:,} values")
        char = self.peek()
        if char == "{":
            return self.table(depth + 1)
        if char in "\"'" and char:
            return self.quoted()
        if char == "[":
            long = _LONG_OPEN.match(self.text, self.at)
            if long:
                return _utf8(self.long_bracket(long))
        if char == "-":
            self.at += 1
            self.skip()
            number = self.signed()
            if not isinstance(number, int | float) or isinstance(number, bool):
                raise self.error("a minus before something that is not a number")
            return -number
        return self.signed()

    def signed(self) -> LuaValue:
        """A number, a keyword, or a number word (`inf`, `nan`), after any minus."""
        number = _NUMBER.match(self.text, self.at)
        if number:
            self.at = number.end()
            return _number(number.group())
        name = _NAME.match(self.text, self.at)
        if name:
            word = name.group()
            if word in _KEYWORDS:
                self.at = name.end()
                return _KEYWORDS[word]
            if word in _NUMBER_WORDS:
                self.at = name.end()
                return math.nan if word == "nan" else math.inf
            raise self.error(f"{word[:40]!r} is not data (only tables, strings and numbers are)")
        found = self.text[self.at : self.at + 1] or "the end of the file"
        raise self.error(f"unexpected {found!r}")

    def table(self, depth: int) -> LuaTable:
        if depth > MAX_DEPTH:
            raise self.error(f"tables nested more than {MAX_DEPTH} deep")
        self.expect("{")
        table: LuaTable = {}
        index = 1
        while self.peek() != "}":
            key: object
            if self.peek() == "[" and not _LONG_OPEN.match(self.text, self.at):
                self.at += 1
                key = self.value(depth)
                self.expect("]")
                self.expect("=")
                self.put(table, key, self.value(depth))
            elif (name := _NAME.match(self.text, self.at)) and self.after_is_equals(name.end()):
                self.at = name.end()
                self.expect("=")
                self.put(table, name.group(), self.value(depth))
            else:
                self.put(table, index, self.value(depth))
                index += 1
            separator = self.peek()
            if separator in (",", ";") and separator:
                self.at += 1
            elif separator != "}":
                raise self.error(f"expected ',' or '}}' in a table, found {separator!r}")
        self.at += 1
        return table

    def after_is_equals(self, at: int) -> bool:
        saved = self.at
        self.at = at
        is_equals = self.peek() == "=" and self.text[self.at : self.at + 2] != "=="
        self.at = saved
        return is_equals

    def put(self, table: LuaTable, key: object, value: LuaValue) -> None:
        if key is None or (isinstance(key, float) and math.isnan(key)):
            raise self.error("a table key that is nil or NaN")
        if isinstance(key, float) and key.is_integer():
            key = int(key)  # Lua keys 1.0 and 1 are the same key
        if isinstance(key, dict):
            raise self.error("a table used as a key")
        if value is not None:  # nil removes a key in Lua
            table[key] = value
        else:
            table.pop(key, None)

    # -- strings ----------------------------------------------------------------------

    def long_bracket(self, opening: re.Match[str]) -> str:
        close = "]" + opening.group(1) + "]"
        start = opening.end()
        end = self.text.find(close, start)
        if end < 0:
            raise self.error("a long string or comment that does not end")
        self.at = end + len(close)
        body = self.text[start:end]
        if body.startswith("\r\n"):
            return body[2:]  # Lua drops the line break right after the opening bracket
        return body[1:] if body[:1] in ("\n", "\r") else body

    def quoted(self) -> str:
        text = self.text
        quote = text[self.at]
        self.at += 1
        parts: list[str] = []
        while True:
            stop = self.at
            while stop < len(text) and text[stop] not in (quote, "\\", "\n"):
                stop += 1
            parts.append(text[self.at : stop])
            self.at = stop
            if stop >= len(text) or text[stop] == "\n":
                raise self.error("a string that does not end on its line")
            self.at += 1
            if text[stop] == quote:
                return _utf8("".join(parts))
            parts.append(self.escape())

    def escape(self) -> str:
        text = self.text
        char = text[self.at : self.at + 1]
        if char in _SIMPLE_ESCAPES and char:
            self.at += 1
            if text.startswith("\r\n", self.at - 1) or text.startswith("\n\r", self.at - 1):
                self.at += 1  # one line break, whichever way round
            return _SIMPLE_ESCAPES[char]
        if char.isdigit() and char.isascii():
            digits = re.match(r"[0-9]{1,3}", text[self.at : self.at + 3])
            assert digits is not None
            self.at += len(digits.group())
            code = int(digits.group())
            if code > 255:
                raise self.error(f"escape \\{code} is not a byte")
            return chr(code)
        if char == "x":
            hexa = re.fullmatch(r"[0-9a-fA-F]{2}", text[self.at + 1 : self.at + 3])
            if not hexa:
                raise self.error("\\x needs two hex digits")
            self.at += 3
            return chr(int(hexa.group(), 16))
        if char == "z":
            self.at += 1
            space = _SPACE.match(text, self.at)
            if space:
                self.at = space.end()
            return ""
        if char == "u":
            braced = re.match(r"\{([0-9a-fA-F]{1,8})\}", text[self.at + 1 : self.at + 12])
            if not braced or int(braced.group(1), 16) > 0x10FFFF:
                raise self.error("bad \\u{...} escape")
            self.at += 1 + len(braced.group())
            value = int(braced.group(1), 16)
            # UTF-8 bytes as Latin-1 characters, like the rest of the string
            return chr(value).encode("utf-8", errors="surrogatepass").decode("latin-1")
        raise self.error(f"unknown escape \\{char!r}")


def _utf8(latin: str) -> str:
    return latin.encode("latin-1").decode("utf-8", errors="replace")


def _number(text: str) -> int | float:
    lowered = text.lower()
    try:
        if lowered.startswith("0x"):
            if "." in lowered or "p" in lowered:
                return float.fromhex(text)
            return int(text, 16) if len(text) <= 18 else float(int(text, 16))
        if "." in text or "e" in lowered or len(text) > 18:
            return float(text)  # Lua reads an integer too long for 64 bits as a float
        return int(text)
    except OverflowError:
        return math.inf
