"""The Lua data reader: KOReader's sidecar syntax read, nothing ever run, any bytes
either a value or one LuaSyntaxError of one line."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.ereader import luatable
from reader.ingest.ereader.luatable import LuaSyntaxError, read_lua_data

from .luadump import lua_string, lua_value, sidecar

EXAMPLES = settings(max_examples=int(os.environ.get("LUA_EXAMPLES", "200")), deadline=None)


def test_a_sidecar_as_koreader_writes_it() -> None:
    data = sidecar({"doc_props": {"title": "A book", "pages": 12}, "annotations": [{"x": 1}]})
    assert read_lua_data(data) == {
        "doc_props": {"title": "A book", "pages": 12},
        "annotations": {1: {"x": 1}},
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            rb'"a\
b"',
            "a\nb",
        ),  # %q writes a line break as a backslash and a line break
        (rb'"tab\tnl\n\"q\" \\ \'"', 'tab\tnl\n"q" \\ \''),
        (rb'"\065\066\067\0"', "ABC\0"),
        (rb'"\xC3\xA9"', "é"),  # bytes by escape, decoded as UTF-8 together
        ('"café"'.encode(), "café"),
        (rb'"\u{1F600}"', "\U0001f600"),
        (rb'"a\z   b"', "ab"),
        (b"'single'", "single"),
        (b"[[\nlong\nstring]]", "long\nstring"),
        (b"[==[with ]] inside]==]", "with ]] inside"),
        (b'"\xff"', "\ufffd"),
    ],
)
def test_strings(source: bytes, expected: str) -> None:
    assert read_lua_data(b"return " + source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"12", 12),
        (b"-5", -5),
        (b"- 5", -5),
        (b"0x1F", 31),
        (b"1.5e3", 1500.0),
        (b".5", 0.5),
        (b"0x1p4", 16.0),
        (b"123456789012345678901234", 1.2345678901234568e23),
        (b"true", True),
        (b"false", False),
        (b"nil", None),
    ],
)
def test_scalars(source: bytes, expected: object) -> None:
    assert read_lua_data(b"return " + source) == expected


def test_inf_as_dump_writes_it() -> None:
    value = read_lua_data(b"return { [1] = inf, [2] = -inf }")
    assert isinstance(value, dict) and value[1] == math.inf and value[2] == -math.inf


def test_table_forms_and_comments() -> None:
    source = b"""--[[ a block
    comment ]] -- a line comment
    return { 1, 2; three = 3, ["four"] = 4, [5.0] = "five", nested = { { } },
             gone = nil, --[==[ inside ]==] last = "x", }  -- trailing
    """
    assert read_lua_data(source) == {
        1: 1,
        2: 2,
        "three": 3,
        "four": 4,
        5: "five",
        "nested": {1: {}},
        "last": "x",
    }


def test_a_loop_marker_from_dump_reads_as_nil() -> None:
    # dump.lua writes a table that holds itself as `nil --[[ LOOP: ... ]]`
    assert read_lua_data(b"return { [1] = nil --[[ LOOP:\n    ^------- ]], [2] = 2 }") == {2: 2}


@pytest.mark.parametrize(
    "source",
    [
        b'return os.execute("rm -rf /")',
        b"return { x = y }",
        b"return { [1] = 1 + 1 }",
        b"return function() end",
        b"return { f = print('x') }",
        b"return {} ; x = 1",
        b"return { ",
        b'return "open',
        b'return "\\q"',
        b"return { [{}] = 1 }",
        b"return { [nil] = 1 }",
        b"return -true",
        b"return [[ unclosed",
        b"",
    ],
)
def test_anything_but_data_is_one_line_error(source: bytes) -> None:
    with pytest.raises(LuaSyntaxError) as raised:
        read_lua_data(source)
    assert "\n" not in str(raised.value) and str(raised.value).startswith("line ")


def test_nesting_is_bounded() -> None:
    deep = b"return " + b"{" * (luatable.MAX_DEPTH + 1) + b"}" * (luatable.MAX_DEPTH + 1)
    with pytest.raises(LuaSyntaxError, match="nested"):
        read_lua_data(deep)
    ok = b"return " + b"{" * luatable.MAX_DEPTH + b"}" * luatable.MAX_DEPTH
    assert isinstance(read_lua_data(ok), dict)


def test_value_count_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(luatable, "MAX_VALUES", 10)
    with pytest.raises(LuaSyntaxError, match="more than"):
        read_lua_data(b"return {" + b"1," * 20 + b"}")


def test_an_error_names_its_line() -> None:
    with pytest.raises(LuaSyntaxError, match=r"^line 3: "):
        read_lua_data(b"return {\n  a = 1,\n  b = @,\n}")


@EXAMPLES
@given(data=st.binary(max_size=400))
def test_any_bytes_are_a_value_or_one_line_error(data: bytes) -> None:
    try:
        read_lua_data(data)
    except LuaSyntaxError as error:
        assert str(error) and "\n" not in str(error)


_LUA_TOKENS = st.sampled_from(
    [
        b"return",
        b"{",
        b"}",
        b"[",
        b"]",
        b"=",
        b",",
        b";",
        b"-",
        b"--",
        b"--[[",
        b"]]",
        b'"',
        b"'",
        b"\\",
        b"\n",
        b" ",
        b"1",
        b"0x",
        b".5e",
        b"nil",
        b"true",
        b"abc",
        b"[==[",
        b"]==]",
        b"\\u{",
        b"\\x",
        b"\\9",
    ]
)


@EXAMPLES
@given(parts=st.lists(_LUA_TOKENS, max_size=40))
def test_token_soup_is_a_value_or_one_line_error(parts: list[bytes]) -> None:
    try:
        read_lua_data(b"".join(parts))
    except LuaSyntaxError as error:
        assert str(error) and "\n" not in str(error)


_KEYS = st.one_of(st.integers(-(2**40), 2**40), st.text(max_size=12))
_SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.dictionaries(_KEYS, inner, max_size=5), max_leaves=8
)


@EXAMPLES
@given(value=_VALUES)
def test_what_dump_writes_reads_back(value: object) -> None:
    assert read_lua_data(sidecar({"v": value})) == {"v": value}


@given(text=st.text())
def test_quoted_strings_read_back(text: str) -> None:
    assert read_lua_data(("return " + lua_string(text)).encode("utf-8", "surrogatepass")) == (
        text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


def test_lua_value_helper_writes_lists_as_koreader_does() -> None:
    assert lua_value(["a"]) == '{\n    [1] = "a",\n}'
