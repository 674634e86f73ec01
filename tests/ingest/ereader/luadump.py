"""Lua data written as KOReader's dump.lua writes it (keys sorted, `%q` strings), for
the tests to make sidecars "as the device would"."""

from __future__ import annotations

import math

INDENT = "    "


def lua_string(text: str) -> str:
    """`string.format("%q", text)` of Lua 5.1/LuaJIT: a line break as a backslash and a
    line break, the NUL and CR as decimal escapes."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\0":
            out.append("\\000")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _key_order(key: object) -> tuple[int, object]:
    return (0, key) if isinstance(key, int) else (1, str(key))


def lua_value(value: object, indent: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, list):
        value = {index: item for index, item in enumerate(value, 1)}
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = ["{"]
        for key in sorted(value, key=_key_order):
            lines.append(
                f"{INDENT * (indent + 1)}[{lua_value(key)}] = {lua_value(value[key], indent + 1)},"
            )
        lines.append(INDENT * indent + "}")
        return "\n".join(lines)
    raise TypeError(type(value))


def sidecar(table: dict[str, object], comment: str = "-- we can read Lua syntax here!") -> bytes:
    return f"{comment}\nreturn {lua_value(table)}\n".encode()
