"""The highlight colours: one table for every screen that draws a highlight.

The app turns it into theme variables, `$highlight-yellow`, `$highlight-green`... (see
ReaderApp.get_theme_variable_defaults), so a stylesheet says `background:
$highlight-yellow` and the reading view and the annotations screen show a yellow
highlight in the same colour. A dark theme gets the dark shades (light text reads on
them), a light theme the pale ones (dark text reads on them); a theme may override a
variable of its own.
"""

from __future__ import annotations

# colour (reader.models.COLORS) -> (background in a dark theme, in a light theme)
HIGHLIGHT_BACKGROUNDS: dict[str, tuple[str, str]] = {
    "yellow": ("#5f5300", "#fbe9a0"),
    "green": ("#1f5a2a", "#c9ecc4"),
    "blue": ("#1f4470", "#cfe0f7"),
    "pink": ("#6e2a55", "#f6d0e6"),
}


def variable_name(color: str) -> str:
    """The theme variable of a highlight colour: `highlight-yellow`."""
    return f"highlight-{color}"


def highlight_variables(dark: bool) -> dict[str, str]:
    """The theme variables for a dark or a light theme."""
    return {
        variable_name(color): dark_shade if dark else light_shade
        for color, (dark_shade, light_shade) in HIGHLIGHT_BACKGROUNDS.items()
    }
