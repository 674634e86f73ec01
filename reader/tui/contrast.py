"""Contrast as WCAG 2 measures it, and the least change of a colour that reaches it.

Pure arithmetic on opaque Textual `Color`s (no app, no theme): reader.tui.palette uses
it to derive the reader's colours from a theme, and the contrast tests to check what
is drawn. The formula is WCAG 2's own (relative luminance of sRGB; a library for five
lines would be one more dependency).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from textual.color import Color

AA = 4.5  # WCAG AA for body text: every text the reader draws reaches it
BLACK = Color(0, 0, 0)
WHITE = Color(255, 255, 255)
STEPS = 12  # halvings of a blend factor: finer than one step of a colour channel


@lru_cache(maxsize=4096)
def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour: 0 black, 1 white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 (none) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def worst_contrast(color: Color, grounds: Sequence[Color]) -> float:
    """The lowest contrast of `color` on any of `grounds`."""
    return min(contrast(color, ground) for ground in grounds)


def readable(text: Color, grounds: Sequence[Color], target: float = AA) -> Color:
    """`text` itself when it reaches `target` on every one of `grounds`; else the least
    blend of it toward black or white that does (its hue kept as far as it can be).

    The pole on the text's own side of the grounds is tried first (a light text gets
    lighter on dark grounds); if even that pole falls short, the other one."""
    if worst_contrast(text, grounds) >= target:
        return text
    darker = sum(luminance(text) < luminance(ground) for ground in grounds) * 2 > len(grounds)
    for pole in (BLACK, WHITE) if darker else (WHITE, BLACK):
        if worst_contrast(pole, grounds) < target:
            continue
        return least_blend(text, pole, lambda c: worst_contrast(c, grounds) >= target)
    return max((BLACK, WHITE), key=lambda pole: worst_contrast(pole, grounds))


def tint(
    hue: Color,
    ground: Color,
    texts: Sequence[Color],
    strength: float,
    least: float = 0.0,
    target: float = AA,
) -> Color:
    """`hue` laid over `ground` as strongly as it can be (at most `strength`, 0..1) while
    every one of `texts` still reaches `target` on it, and never less than `least`
    (where the theme's text barely reads on its ground, the text must then change to
    read on the tint: see `readable`). A highlight's background, a find match's."""

    def good(factor: float) -> bool:
        color = ground.blend(hue, factor)
        return all(contrast(text, color) >= target for text in texts)

    if good(strength):
        return ground.blend(hue, strength)
    if not good(least):
        return ground.blend(hue, least)
    low, high = least, strength  # good at low, not at high
    for _ in range(STEPS):
        middle = (low + high) / 2
        if good(middle):
            low = middle
        else:
            high = middle
    return ground.blend(hue, low)


def least_blend(start: Color, pole: Color, good: Callable[[Color], bool]) -> Color:
    """The blend of `start` toward `pole` nearest `start` that is `good` (`pole` is)."""
    low, high = 0.0, 1.0
    for _ in range(STEPS):
        middle = (low + high) / 2
        if good(start.blend(pole, middle)):
            high = middle
        else:
            low = middle
    return start.blend(pole, high)
