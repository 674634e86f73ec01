"""The shared text rules: what is stored (controls removed), how anything is drawn
(controls visible, one character for one), and how counts read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.textrules import (
    clean_line,
    display,
    display_line,
    one_line,
    plural,
    strip_controls,
)
from reader.tui.widgets.text import plain


def test_storing_removes_controls_and_bidi_overrides_but_keeps_tabs_and_newlines() -> None:
    assert strip_controls("a\x1b[31mb\x07\tc\r\nd\u202ee") == "a[31mb\tc\nde"
    assert clean_line("  two\nlines\x1b[31m  ") == "two lines[31m"
    assert clean_line(None) == ""


def test_drawing_makes_control_characters_visible() -> None:
    assert display_line("a\x1b[31mb\x07") == "a␛[31mb␇"
    assert display_line("line\nbreak\tand\rtab") == "line break and tab"
    assert display_line("rtl\u202eevil") == "rtl\ufffdevil"
    assert display_line(None) == ""
    assert display("two\nlines") == "two\nlines"
    assert one_line("  a \n\n b\x1b ") == "a b␛"
    assert plain("[bold]x[/]").plain == "[bold]x[/]"
    assert plain("[bold]x[/]").spans == []


@given(st.text())
def test_drawing_is_one_character_for_one_and_never_emits_a_control(text: str) -> None:
    for drawn in (display(text), display_line(text)):
        assert len(drawn) == len(text)
        assert not any((c < " " and c != "\n") or "\x7f" <= c <= "\x9f" for c in drawn)
    assert "\n" not in display_line(text)
    assert not strip_controls(text).count("\x1b")


def test_counts_read_the_same_everywhere() -> None:
    assert plural(1, "article") == "1 article"
    assert plural(0, "article") == "0 articles"
    assert plural(1000, "article") == "1,000 articles"


def test_reading_time_to_the_minute() -> None:
    from reader.textrules import reading_time

    assert reading_time(0) == "0 min"
    assert reading_time(44.6) == "45 min"
    assert reading_time(125) == "2 h 05 min"
    assert reading_time(72_240) == "1,204 h 00 min"
