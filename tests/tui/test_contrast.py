"""Every text the reader draws reads at WCAG AA (4.5:1) in every built-in theme.

Measured, not judged by eye: the screens are mounted under Pilot, each built-in theme
(`App().available_themes`) is switched on in turn, and every non-blank character of the
composed screen (Textual's compositor, after its filters: what goes to the terminal) is
checked for the contrast of its foreground on its background (WCAG 2 relative
luminance; reverse swaps them; in the ANSI themes the terminal's colours are read from
the palette Textual draws them with, App.ansi_theme, and dim text is blended as Textual
blends it).

Exempt, as WCAG exempts them: decoration with no text (box-drawing and block
characters: borders, rules, scrollbars, the quote bar, the panel's colour swatches) and
inactive components: disabled controls (a footer key whose action is unavailable, a
disabled widget) and the screens a modal one covers (dimmed behind it, out of reach).

Plus the arithmetic (reader.tui.contrast) and the derived colours (reader.tui.palette)
on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.color import Color as RichColor
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.app import App, ComposeResult
from textual.color import Color
from textual.filter import dim_color
from textual.pilot import Pilot
from textual.widgets import Button, Static

from reader.archive import Archive
from reader.document import Block
from reader.models import COLORS
from reader.tui.app import ReaderApp
from reader.tui.contrast import AA, BLACK, WHITE, contrast, readable, tint, worst_contrast
from reader.tui.highlights import HIGHLIGHT_HUES, highlight_colours
from reader.tui.messages import OpenArticle
from reader.tui.palette import reader_colours
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import MISSING_VIEW

from .missing_helpers import add_missing_pages
from .reading_helpers import page, rich_blocks

THEMES = list(App().available_themes)
# Each screen in each theme is slow (a theme switch restyles every widget): the fast
# suite sweeps these, CI (the slow mark) every built-in theme.
QUICK = ["textual-dark", "textual-light", "solarized-light", "ansi-dark"]
SLOW = [theme for theme in THEMES if theme not in QUICK]
DECORATION = range(0x2500, 0x25A0)  # box drawing and block elements

colors = st.tuples(*(st.integers(0, 255) for _ in range(3))).map(lambda rgb: Color(*rgb))


# --- the arithmetic ------------------------------------------------------------------


def test_contrast_is_wcag_s() -> None:
    assert contrast(BLACK, WHITE) == pytest.approx(21)
    assert contrast(WHITE, WHITE) == 1
    # WCAG's own examples: #777 on white just fails AA, #767676 just passes.
    assert contrast(Color(0x77, 0x77, 0x77), WHITE) < AA < contrast(Color(0x76, 0x76, 0x76), WHITE)


@given(colors, colors)
def test_contrast_is_symmetric_and_bounded(a: Color, b: Color) -> None:
    assert contrast(a, b) == contrast(b, a)
    assert 1 <= contrast(a, b) <= 21


@given(colors, st.lists(colors, min_size=1, max_size=3))
def test_readable_reads_on_every_ground(text: Color, grounds: list[Color]) -> None:
    # AA wherever any colour reaches it: black or white does if any does (far apart
    # grounds, or mid-grey ones, may allow none; then as near as can be).
    best = max(worst_contrast(pole, grounds) for pole in (BLACK, WHITE))
    result = readable(text, grounds)
    assert worst_contrast(result, grounds) >= min(AA, best)
    if min(contrast(text, ground) for ground in grounds) >= AA:
        assert result == text  # what reads already is left alone


@given(colors, colors, st.floats(0.05, 1))
def test_tint_keeps_the_text_readable(hue: Color, ground: Color, strength: float) -> None:
    text = readable(ground.get_contrast_text(1.0), [ground])
    background = tint(hue, ground, [text], strength)
    assert contrast(text, background) >= AA


@pytest.mark.parametrize("theme", THEMES)
def test_every_derived_text_reads_on_its_ground(theme: str) -> None:
    """The palette alone, all themes in the fast suite: `$<role>-on-<ground>` on that
    ground, and each bar or mark with the text given for it."""
    variables, ours, drawn, grounds = _derived(theme)
    pairs = [
        (name, ground)
        for name in ours
        for ground in ("background", "surface", "panel")
        if name.endswith(f"-on-{ground}")
    ]
    failures = []
    for name, ground in pairs:
        ratio = contrast(drawn.fg(ours[name]), grounds[ground])
        if ratio < AA:
            failures.append(f"${name} on ${ground}: {ratio:.2f}")
    marks = [
        ("cursor-bar-text", "cursor-bar"),
        ("cursor-bar-blurred-text", "cursor-bar-blurred"),
        ("reading-selection-text", "reading-selection"),
        ("find-match-text", "find-match"),
        ("find-match-current-text", "find-match-current"),
        ("search-match-text", "search-match"),
        *(("highlight-text", f"highlight-{color}") for color in COLORS),
        ("button-text", "surface"),
        ("button-primary-text", "button-primary"),
        ("button-error-text", "button-error"),
    ]
    named = {**variables, **ours, "surface": grounds["surface"].hex6}  # drawn over the background
    for text, background in marks:
        ratio = contrast(drawn.fg(ours[text]), drawn.bg(named[background]))
        if ratio < AA:
            failures.append(f"${text} on ${background}: {ratio:.2f}")
    assert not failures, f"{theme}: " + "; ".join(failures)


@pytest.mark.parametrize("theme", THEMES)
def test_muted_text_is_quieter_than_the_text(theme: str) -> None:
    """Muted (the reading header's byline, a list row's meta) reads, yet never stands
    out more than the text beside it (textual-dark's came out brighter)."""
    _, ours, drawn, grounds = _derived(theme)
    for name, ground in grounds.items():
        text = contrast(drawn.fg(ours[f"text-on-{name}"]), ground)
        muted = contrast(drawn.fg(ours[f"muted-on-{name}"]), ground)
        assert AA <= muted <= text, f"{theme}: muted on {name} {muted:.2f}, text {text:.2f}"


def _derived(theme: str) -> tuple[dict[str, str], dict[str, str], _Palette, dict[str, Color]]:
    """`theme`'s variables, the reader's colours for it, how they are drawn, and its
    three grounds."""
    app = App()
    app.theme = theme
    variables = {**app.current_theme.to_color_system().generate(), **app.current_theme.variables}
    drawn = _Palette(app.ansi_theme)
    background = drawn.bg(variables["background"])
    # The surface and panel over the background (the ANSI themes' are transparent).
    grounds = {name: background + drawn.bg(variables[name]) for name in ("surface", "panel")}
    grounds["background"] = background
    return variables, reader_colours(variables, app.ansi_theme), drawn, grounds


def test_highlights_differ_from_the_ground_and_each_other() -> None:
    """Pale enough to read on, yet a highlight is seen: never the background itself,
    and the four colours apart."""
    for ground, text in ((Color(0x12, 0x12, 0x12), Color(0xE0, 0xE0, 0xE0)), (WHITE, BLACK)):
        backgrounds, on_them = highlight_colours(ground, text)
        assert set(backgrounds) == set(HIGHLIGHT_HUES) == set(COLORS)
        assert len(set(backgrounds.values())) == len(COLORS)
        assert all(contrast(b, ground) > 1.1 for b in backgrounds.values())
        assert all(contrast(on_them, b) >= AA for b in backgrounds.values())


# --- the screens, measured -----------------------------------------------------------


class _Palette:
    """Rich colours as drawn: the terminal's (ANSI) ones on `terminal`."""

    def __init__(self, terminal: TerminalTheme) -> None:
        self.terminal = terminal

    def rich(self, color: RichColor | None, *, foreground: bool) -> Color:
        if color is None or color.is_default:
            default = (
                self.terminal.foreground_color if foreground else self.terminal.background_color
            )
            return Color(*default)
        return Color(*color.get_truecolor(self.terminal, foreground=foreground))

    def fg(self, css: str) -> Color:
        return self._css(css, foreground=True)

    def bg(self, css: str) -> Color:
        return self._css(css, foreground=False)

    def _css(self, css: str, *, foreground: bool) -> Color:
        parsed = Color.parse(css)
        if parsed.ansi is None:
            return parsed
        # Textual's rich_color of the default colour is Rich's "default": the terminal's.
        return self.rich(parsed.rich_color, foreground=foreground)


@dataclass
class Failure:
    where: str
    text: str
    fg: Color
    bg: Color

    def __str__(self) -> str:
        ratio = contrast(self.fg, self.bg)
        return f"{self.where}: {self.text!r} {self.fg.hex6} on {self.bg.hex6} = {ratio:.2f}:1"


def _drawn_colours(style: Style | None, palette: _Palette) -> tuple[Color, Color]:
    style = style or Style()
    fg = palette.rich(style.color, foreground=True)
    bg = palette.rich(style.bgcolor, foreground=False)
    if style.dim:  # left to the terminal in the ANSI themes: blended as Textual would
        fg = Color.from_rich_color(dim_color(bg.rich_color, fg.rich_color))
    return (bg, fg) if style.reverse else (fg, bg)


def _exempt(app: App[None], x: int, y: int) -> bool:
    """A disabled control (a footer key unavailable), or the screens a modal one covers
    (shown dimmed behind it, out of reach until it closes): inactive, as WCAG says."""
    screen = app.screen
    try:
        widget, _ = screen.get_widget_at(x, y)
    except Exception:
        return False
    if widget is screen:
        return screen.is_modal
    return widget.is_disabled or widget.has_class("-disabled")


def _where(app: App[None], x: int, y: int) -> str:
    try:
        widget, _ = app.screen.get_widget_at(x, y)
    except Exception:
        return f"({x}, {y})"
    return f"{type(widget).__name__}{'#' + widget.id if widget.id else ''} at ({x}, {y})"


def low_contrast(app: App[None]) -> Iterator[Failure]:
    """Each run of text on screen under AA, as composed for the terminal."""
    palette = _Palette(app.ansi_theme)
    update = app.screen._compositor.render_update(full=True)
    for y, strips in enumerate(update.strips):
        x = 0
        for strip in strips:
            for text, style, control in strip:
                if control:
                    continue
                start = x
                x += len(text)
                fg, bg = _drawn_colours(style, palette)
                if contrast(fg, bg) >= AA:
                    continue
                run, run_x = "", start
                for offset, char in enumerate(text + "\0"):  # \0: the end of the segment
                    cell = start + offset
                    if char != "\0" and not (ord(char) in DECORATION or _exempt(app, cell, y)):
                        run += char
                        continue
                    if run.strip():
                        skipped = len(run) - len(run.lstrip())
                        yield Failure(_where(app, run_x + skipped, y), run.strip(), fg, bg)
                    run, run_x = "", cell + 1


async def sweep(pilot: Pilot[None], themes: list[str], scene: str) -> list[str]:
    """`scene` as drawn in each of `themes`: what falls under AA, theme by theme."""
    app = pilot.app
    failures: list[str] = []
    for theme in themes:
        app.theme = theme
        await pilot.pause()
        await pilot.pause()
        failures += [f"{theme}, {scene}: {failure}" for failure in low_contrast(app)]
    return failures


def report(failures: list[str]) -> str:
    shown = failures[:40]
    more = f"\n... and {len(failures) - len(shown)} more" if len(failures) > len(shown) else ""
    return f"{len(failures)} texts under {AA}:1\n" + "\n".join(shown) + more


def _article(archive: Archive) -> int:
    """Every kind of text the reading view draws: headings h1-h6, code, a quote, a link,
    lists, a table, a figure with its caption and one without, a rule; and a highlight
    of each colour, with notes, and an article note."""
    blocks = (
        *rich_blocks(),
        *(Block("heading", f"A heading of level {n}", level=n) for n in range(1, 7)),
        Block("figure", "a diagram of the mill", alt="a diagram of the mill", src="x.png"),
        Block("paragraph", "Another paragraph to find words in, a paragraph at the end."),
    )
    article_id = archive.add_article(*page("A rich article", blocks))
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    words = ("first paragraph", "A bullet", "Quoted words", "last paragraph")
    for word, color in zip(words, COLORS, strict=True):
        start = text.index(word)
        archive.add_highlight(article_id, start, start + len(word), color=color, note=f"{color}")
    archive.add_article_note(article_id, "An article note.")
    return article_id


@pytest.fixture
def reading_path(library_path: Path) -> tuple[Path, int]:
    with Archive(library_path) as archive:
        return library_path, _article(archive)


async def library_failures(path: Path, themes: list[str], ui) -> list[str]:
    failures: list[str] = []
    async with ReaderApp(path).run_test(size=(120, 36)) as pilot:
        await ui.settle(pilot)
        # The list focused, its cursor on the first row, the next one selected; the
        # search box's placeholder; the sidebar's blurred cursor; the footer.
        await pilot.press("j", "space", "k")
        failures += await sweep(pilot, themes, "library")
        await pilot.press("tab")  # the sidebar focused: its bar, the list's blurred one
        failures += await sweep(pilot, themes, "library, sidebar focused")
        await pilot.press("slash")
        await ui.type_text(pilot, "borrow")
        await ui.settle(pilot)  # snippets with their matches marked
        failures += await sweep(pilot, themes, "library, searched")
        await pilot.press("escape")
        await pilot.press("question_mark")
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "help")
        await pilot.press("escape")
        await pilot.press("A")
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "annotations")
        await pilot.press("escape")
        await ui.settle(pilot)
        # The dialogs: each names what it acts on, with its hints, inputs and buttons.
        for key, scene in (("E", "export"), ("i", "import"), ("d", "delete")):
            await pilot.press(key)
            await ui.settle(pilot)
            failures += await sweep(pilot, themes, f"{scene} dialog")
            await pilot.press("escape")
            await ui.settle(pilot)
        # Last (its escape applies): the tag editor over two articles, a tag on one of
        # them ("1 of 2"), one marked for removing, the list focused.
        await pilot.press("space", "j", "space", "t")
        await ui.settle(pilot)
        await pilot.press("tab", "x", "down")
        failures += await sweep(pilot, themes, "tag editor")
    return failures


async def reading_failures(path: Path, article_id: int, themes: list[str], ui) -> list[str]:
    failures: list[str] = []
    async with ReaderApp(path).run_test(size=(110, 72)) as pilot:
        await ui.settle(pilot)
        pilot.app.screen.post_message(OpenArticle(article_id))
        await ui.settle(pilot)
        # Found: every match marked, the current one apart, the count in the find bar.
        await pilot.press("slash")
        await ui.type_text(pilot, "para")
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "reading, finding")
        # Back in the text, the matches kept (n), a selection made in visual mode: the
        # cursor, its line, the status line.
        await pilot.press("escape", "n", "v", "w", "w")
        await ui.settle(pilot)
        assert pilot.app.screen.query_one(ArticleView).selection is not None
        failures += await sweep(pilot, themes, "reading, selecting")
        await pilot.press("p")  # the panel, focused: its rows, swatches, notes
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "reading, panel")
        await pilot.press("e")  # the note editor of the panel's row: its quote, its hint
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "reading, note editor")
    return failures


async def missing_failures(path: Path, themes: list[str], ui) -> list[str]:
    """The Missing pages view (its hint, its rows), a missing page's view (its details,
    notice and quotes), and its panel (quotes waiting for their page)."""
    with Archive(path) as archive:
        add_missing_pages(archive)
    failures: list[str] = []
    async with ReaderApp(path).run_test(size=(120, 36)) as pilot:
        await ui.settle(pilot)
        library = ui.library(pilot)
        library.sidebar.select_view(MISSING_VIEW)
        await ui.settle(pilot)
        library.articles.focus()
        await pilot.press("j")  # the cursor's bar over a missing row
        failures += await sweep(pilot, themes, "library, missing pages")
        await pilot.press("k", "enter")
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "missing page")
        await pilot.press("p")
        await ui.settle(pilot)
        failures += await sweep(pilot, themes, "missing page, panel")
    return failures


async def test_library_reads_at_aa(library_path: Path, ui) -> None:
    failures = await library_failures(library_path, QUICK, ui)
    assert not failures, report(failures)


async def test_reading_reads_at_aa(reading_path: tuple[Path, int], ui) -> None:
    failures = await reading_failures(*reading_path, QUICK, ui)
    assert not failures, report(failures)


async def test_missing_pages_read_at_aa(library_path: Path, ui) -> None:
    failures = await missing_failures(library_path, QUICK, ui)
    assert not failures, report(failures)


@pytest.mark.slow
async def test_missing_pages_read_at_aa_in_every_theme(library_path: Path, ui) -> None:
    failures = await missing_failures(library_path, SLOW, ui)
    assert not failures, report(failures)


@pytest.mark.slow
async def test_library_reads_at_aa_in_every_theme(library_path: Path, ui) -> None:
    failures = await library_failures(library_path, SLOW, ui)
    assert not failures, report(failures)


@pytest.mark.slow
async def test_reading_reads_at_aa_in_every_theme(reading_path: tuple[Path, int], ui) -> None:
    failures = await reading_failures(*reading_path, SLOW, ui)
    assert not failures, report(failures)


class _Grey(App[None]):
    CSS = """
    Screen { background: #e0e0e0; }
    #faint { color: #ffffff; }
    #plain { color: #1f1f1f; }
    #off { color: #ffffff; }
    """

    def compose(self) -> ComposeResult:
        yield Static("white on light grey", id="faint")
        yield Static("dark on light grey", id="plain")
        yield Static("─────", id="rule")  # decoration
        yield Button("Disabled", id="off", disabled=True)


async def test_the_sweep_finds_text_under_aa() -> None:
    """The measure itself: white on light grey is reported (1.3:1, the reading header's
    in textual-light before), with the widget and both colours; dark text, a rule and a
    disabled control are not."""
    async with _Grey().run_test(size=(40, 8)) as pilot:
        failures = list(low_contrast(pilot.app))
    assert [f.text for f in failures] == ["white on light grey"]
    assert str(failures[0]) == (
        "Static#faint at (0, 0): 'white on light grey' #FFFFFF on #E0E0E0 = 1.32:1"
    )
