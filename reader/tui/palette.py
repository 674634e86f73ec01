"""The reader's colours, derived from the theme: every text it draws reads at WCAG AA.

A Textual theme picks its colours for looks: its accent, its muted text, even its
foreground on its own panel can fall well under 4.5:1 (an orange title on light grey,
tags in dark blue on near black). Here each colour the reader's stylesheets use is
derived from the theme's own variables: a role's colour as the theme has it where it
reads at AA on every ground it is drawn on, else the least blend of it toward black or
white that does (reader.tui.contrast). They become theme variables beside Textual's:

- `$<role>-on-<ground>`: text in a role (text, muted, primary, secondary, accent,
  warning, success, error) on a ground (background: the reading column, its cursor
  line too; surface: lists, sidebar, dialogs; panel: status lines, code, the find bar;
  the last two also as focus tints them). Muted text is the foreground part-way into
  the ground: dimmer than the text, never under AA, never brighter than the text.
- bars and what lies over text, each a background with the text on it: the list cursor
  (`$cursor-bar`, `-text`; `$cursor-bar-blurred`, `-text`), the reading view's cursor
  line, selection and find matches, the library's search matches, the footer's keys,
  the dialogs' buttons (`$button-text`; `$button-primary`, `-text`; `$button-error`,
  `-text`), and
  the highlights (reader.tui.highlights).

ANSI themes name the terminal's own colours, which only the terminal knows; they are
judged on the palette Textual draws them with (App.ansi_theme, as in screenshots). A
text colour keeps its ANSI name where it reads there and is the terminal's default
foreground where not; what the reader lays over text (highlights, selection, matches)
is given in RGB with its text, a pair that reads whatever the palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.color import Color

from reader.tui.contrast import (
    AA,
    BLACK,
    WHITE,
    contrast,
    least_blend,
    luminance,
    readable,
    tint,
    worst_contrast,
)
from reader.tui.highlights import highlight_colours, variable_name

ROLES = ("primary", "secondary", "accent", "warning", "success", "error")
MUTED = 0.6  # how much of the foreground muted text keeps (Textual's $text-muted: 60%)
FOCUS_TINT = 0.05  # focused inputs and lists tint their surface with 5% of the foreground
SELECTION = 0.5  # the selection: the primary colour half over the text's ground
MATCH = 0.35  # find and search matches: the warning colour a third over the ground,
LEAST_MATCH = 0.25  # a quarter at least (the text then made to read on it)


class Ink(NamedTuple):
    """A colour as drawn (opaque RGB) and as the stylesheet names it."""

    color: Color
    css: str


class ThemeColours:
    """Resolves a theme's variables (`App.get_css_variables`) to opaque colours, on the
    ANSI palette `terminal` where they name the terminal's colours."""

    def __init__(self, variables: Mapping[str, str], terminal: TerminalTheme) -> None:
        self.variables = variables
        self.terminal = terminal

    def ink(self, name: str, on: Color, *, foreground: bool = True) -> Ink:
        """Variable `name` as drawn on `on` (alpha laid over it, `auto` resolved)."""
        return self.parse(self.variables[name], on, foreground=foreground)

    def parse(self, value: str, on: Color, *, foreground: bool = True) -> Ink:
        """A colour as the stylesheets write it (`#0178D44C`, `auto 87%`, `ansi_blue`),
        as drawn on `on`."""
        base, _, rest = value.partition(" ")
        alpha = float(rest.rstrip("%")) / 100 if rest.endswith("%") else 1.0
        if base == "auto":
            color = on + on.get_contrast_text(alpha)
            return Ink(color, color.hex6)
        parsed = Color.parse(base)
        if parsed.ansi is None:
            color = on + parsed.multiply_alpha(alpha)
            return Ink(color, color.hex6)
        color = on + self._ansi(parsed.ansi, foreground).multiply_alpha(alpha)
        return Ink(color, base if alpha == 1 else color.hex6)

    def _ansi(self, index: int, foreground: bool) -> Color:
        if index == -1:
            default = (
                self.terminal.foreground_color if foreground else self.terminal.background_color
            )
            return Color(*default)
        return Color(*self.terminal.ansi_colors[index])

    def text(self, source: Ink, grounds: Sequence[Color]) -> Ink:
        """`source` where it reads at AA on all `grounds`; else the terminal's default
        foreground for an ANSI colour (where that reads), or the least change of it."""
        if worst_contrast(source.color, grounds) >= AA:
            return source
        if source.css.startswith("ansi_"):
            default = self.ink("foreground", grounds[0])
            if default.css == "ansi_default" and worst_contrast(default.color, grounds) >= AA:
                return default
        color = readable(source.color, grounds)
        return Ink(color, color.hex6)


def with_reader_colours(app: App[Any], variables: dict[str, str]) -> dict[str, str]:
    """`variables` (the app's theme variables, App.get_css_variables) and the reader's
    colours for them; what the theme defines itself wins. Kept as the app's
    `theme_variables`, as Textual keeps its own."""
    app.theme_variables = {**reader_colours(variables, app.ansi_theme), **variables}
    return app.theme_variables


def reader_colours(variables: Mapping[str, str], terminal: TerminalTheme) -> dict[str, str]:
    """The reader's theme variables (see the module's docstring) for a theme's
    `variables`, judged on `terminal` where they name ANSI colours."""
    theme = ThemeColours(variables, terminal)
    out: dict[str, str] = {}
    background = theme.ink("background", BLACK, foreground=False)
    cursor_line = theme.ink("background-lighten-1", background.color, foreground=False)
    surface = theme.ink("surface", background.color, foreground=False)
    panel = theme.ink("panel", background.color, foreground=False)
    grounds = {
        "background": [background.color, cursor_line.color],
        "surface": [surface.color, _focused(theme, surface.color)],
        "panel": [panel.color, _focused(theme, panel.color), cursor_line.color],
    }
    out["reading-cursor-line"] = cursor_line.css
    for ground, colors in grounds.items():
        text = theme.text(theme.ink("foreground", colors[0]), colors)
        out[f"text-on-{ground}"] = text.css
        out[f"muted-on-{ground}"] = _muted(theme, text, colors).css
        for role in ROLES:
            out[f"{role}-on-{ground}"] = theme.text(theme.ink(role, colors[0]), colors).css
    # A link is drawn on the reading column and on inline code (the panel) alike.
    link_grounds = [*grounds["background"], panel.color]
    link = theme.ink("primary-lighten-2", background.color)
    out["link-on-background"] = theme.text(link, link_grounds).css

    reading_text = theme.text(theme.ink("foreground", background.color), grounds["background"])
    out.update(_overlays(theme, background.color, reading_text.color))
    list_text = theme.text(theme.ink("foreground", surface.color), grounds["surface"])
    out.update(_bars(theme, surface.color, list_text))
    out.update(_footer(theme, background.color))
    out.update(_buttons(theme, surface.color))
    return out


def _focused(theme: ThemeColours, ground: Color) -> Color:
    """`ground` as a focused input or list tints it (Textual's `background-tint`)."""
    return ground.blend(theme.ink("foreground", ground).color, FOCUS_TINT)


def _muted(theme: ThemeColours, text: Ink, grounds: Sequence[Color]) -> Ink:
    """The text part-way into its ground, made to read; never more than the text does
    (where the text barely reads, muted is the text)."""
    if text.css.startswith("ansi_"):
        return text  # no shade of the terminal's colour can be named
    muted = theme.text(_ink(grounds[0].blend(text.color, MUTED)), grounds)
    if any(contrast(muted.color, g) > contrast(text.color, g) for g in grounds):
        return text
    return muted


def _overlays(theme: ThemeColours, ground: Color, text: Color) -> dict[str, str]:
    """What the reading view lays over its text, each a background and the text on it."""
    backgrounds, on_highlights = highlight_colours(ground, text)
    out = {"highlight-text": on_highlights.hex6}
    for color, background in backgrounds.items():
        out[variable_name(color)] = background.hex6
    selection = ground.blend(theme.ink("primary", ground).color, SELECTION)
    out["reading-selection"] = selection.hex6
    out["reading-selection-text"] = readable(text, [selection]).hex6
    match = tint(theme.ink("warning", ground).color, ground, [text], MATCH, LEAST_MATCH)
    out["find-match"] = match.hex6
    out["find-match-text"] = readable(text, [match]).hex6
    # The current match stands out inverted: the text's colour as its ground.
    out["find-match-current"] = text.hex6
    out["find-match-current-text"] = ground.hex6
    return out


def _bars(theme: ThemeColours, surface: Color, text: Ink) -> dict[str, str]:
    """The list cursor (focused, and dimmer when not) and search matches, over lists."""
    out: dict[str, str] = {}
    bar = theme.ink("block-cursor-background", surface, foreground=False)
    out["cursor-bar"] = bar.css
    out["cursor-bar-text"] = theme.text(
        theme.ink("block-cursor-foreground", bar.color), [bar.color]
    ).css
    blurred = theme.ink("block-cursor-blurred-background", surface, foreground=False)
    if blurred.color == surface:  # the ANSI themes': no bar at all
        blurred = theme.parse("ansi_bright_black", surface, foreground=False)
    out["cursor-bar-blurred"] = blurred.css
    out["cursor-bar-blurred-text"] = theme.text(text, [blurred.color]).css
    match = tint(theme.ink("warning", surface).color, surface, [text.color], MATCH, LEAST_MATCH)
    out["search-match"] = match.hex6
    out["search-match-text"] = readable(text.color, [match]).hex6
    return out


def _buttons(theme: ThemeColours, surface: Color) -> dict[str, str]:
    """The dialogs' buttons: the plain one's label on the surface, at rest, hovered and
    focused (Textual tints a focused button and draws it reversed: the same ratio);
    the primary and error ones (the reader's dialogs use no other) each a background
    and its label (`$button-primary`, `$button-primary-text`)."""
    plain = [surface, theme.ink("surface-darken-1", surface, foreground=False).color]
    plain.append(_focused(theme, surface))
    out = {"button-text": theme.text(theme.ink("button-foreground", surface), plain).css}
    for role in ("primary", "error"):
        ground = theme.ink(role, surface, foreground=False).color
        label = theme.ink("button-color-foreground", ground).color
        background, label = _button(theme, ground, label)
        out[f"button-{role}"] = background.hex6
        out[f"button-{role}-text"] = label.hex6
    return out


def _button(theme: ThemeColours, ground: Color, label: Color) -> tuple[Color, Color]:
    """A coloured button keeps its label (white on blue, as the theme has it) and its
    colour is moved away from the label as little as makes the label read, at rest and
    focused: a mid-tone blue or red reads with neither black nor white, so the label
    alone cannot be changed to fit. (It stays put under the mouse: hovering shows in
    its top edge.)"""
    pole = BLACK if luminance(label) > luminance(ground) else WHITE

    def good(color: Color) -> bool:
        return worst_contrast(label, [color, _focused(theme, color)]) >= AA

    if not good(pole):  # a label too near mid-grey: the pole's opposite instead
        label = WHITE if pole == BLACK else BLACK
    return (ground if good(ground) else least_blend(ground, pole, good)), label


def _footer(theme: ThemeColours, background: Color) -> dict[str, str]:
    """The footer's keys and their descriptions, on the footer's own background (a theme
    may give it one: solarized's is blue)."""
    ground = theme.ink("footer-background", background, foreground=False).color
    key = theme.ink("footer-key-foreground", ground)
    description = theme.ink("footer-description-foreground", ground)
    return {
        "footer-key": theme.text(key, [ground]).css,
        "footer-text": theme.text(description, [ground]).css,
    }


def _ink(color: Color) -> Ink:
    return Ink(color, color.hex6)
