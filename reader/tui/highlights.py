"""The highlight colours: one table for every screen that draws a highlight.

Each colour is a hue laid over the theme's background as strongly as the theme's text
still reads on it at WCAG AA (reader.tui.contrast.tint): pale in a light theme, deep
in a dark one, right in every theme rather than two fixed shades. The app turns them
into theme variables, `$highlight-yellow`, `$highlight-green`... (reader.tui.palette),
so a stylesheet says `background: $highlight-yellow` and the reading view, its panel
and the annotations screen show a yellow highlight in the same colour.
"""

from __future__ import annotations

from textual.color import Color

from reader.tui.contrast import readable, tint

# colour (reader.models.COLORS) -> its hue, before it is laid over a theme's background
HIGHLIGHT_HUES: dict[str, Color] = {
    "yellow": Color.parse("#f5c400"),
    "green": Color.parse("#2fb344"),
    "blue": Color.parse("#2f7de1"),
    "pink": Color.parse("#e0449a"),
}
# How much of the hue at most: enough to tell the four apart at a glance, not so much
# that a highlighted paragraph shouts; and at least, where the theme's text barely reads
# on its background (the text is then made to read on the highlight).
STRENGTH = 0.45
LEAST = 0.25


def variable_name(color: str) -> str:
    """The theme variable of a highlight colour: `highlight-yellow`."""
    return f"highlight-{color}"


def highlight_colours(ground: Color, text: Color) -> tuple[dict[str, Color], Color]:
    """Each highlight colour's background over `ground`, as strong as `text` allows, and
    the text to draw on all of them (`text` itself unless a highlight is at its least)."""
    backgrounds = {
        color: tint(hue, ground, [text], STRENGTH, LEAST) for color, hue in HIGHLIGHT_HUES.items()
    }
    return backgrounds, readable(text, list(backgrounds.values()))
