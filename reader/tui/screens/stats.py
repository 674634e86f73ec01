"""StatsScreen: your reading at a glance (issue #24), `%` or the palette's "Reading stats".

Charts of the last 26 weeks (saved and read, reading time, highlights) drawn by
textual-plotext, and beside them bars of the backlog by age and of the top tags and
sites. The numbers (Archive.reading_stats, SQL in the archive) load in a thread
worker; the charts' colours are the reader's own theme colours (reader.tui.palette),
read again when the theme changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from reader.textrules import display_line, plural, reading_time
from reader.tui.access import ArchiveAccess
from reader.tui.screens.help import HelpScreen, binding_rows
from reader.tui.stylesheets import STATS_CSS
from reader.tui.widgets.footer import AppFooter
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import ReadingStats

# Theme roles (reader.tui.palette's `$<role>-on-<ground>`) the series are drawn in:
# text colours, so each reads at AA on its ground as the screen's text does.
SAVED, READ, TIME, HIGHLIGHTS = "primary", "success", "accent", "secondary"
TICK_CELLS = 10  # cells at least from one x axis label ("22 Sep") to the next
MIN_PLOT = 9  # a chart's rows at least: frame and axes take four
BAR_WIDTH = 8  # cells of the side panel's longest bar
EIGHTHS = " ▏▎▍▌▋▊▉"  # a bar's last, partial cell
HOURS_FROM = 180  # minutes a week from which the reading-time chart counts hours
CHARTS = ("chart-articles", "chart-time", "chart-highlights")
EMPTY = "Nothing saved yet: the numbers start with your first article."

RGB = tuple[int, int, int]


class StatsScreen(Screen[None]):
    """Reading stats: charts per week, the backlog, top tags and sites."""

    CSS_PATH = STATS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("r", "refresh", "Refresh", tooltip="Count the reading stats again"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, access: ArchiveAccess) -> None:
        super().__init__()
        self.access = access
        self.stats: ReadingStats | None = None

    def compose(self) -> ComposeResult:
        yield Static("Your reading at a glance", id="stats-summary", markup=False)
        yield Static("Counting…", id="stats-status", markup=False)
        with Horizontal(id="stats-body"):
            with VerticalScroll(id="stats-charts"):
                for chart_id in CHARTS:
                    # The title above the plot, not plotext's: it says which colour
                    # is which series (plotext's legend would lie over the bars).
                    yield Static(id=f"{chart_id}-title", classes="chart-title", markup=False)
                    yield PlotextPlot(id=chart_id)
            yield Static(id="stats-lists")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#stats-body").display = False
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self._load()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _load(self) -> None:
        try:
            stats = self.access.background(lambda archive: archive.reading_stats())
        except Exception as error:  # one line on the screen, not a crash
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, stats)

    def _failed(self, error: Exception) -> None:
        status = self.query_one("#stats-status", Static)
        status.update(Text(f"Could not count the reading stats: {error_line(error)}"))
        status.display = True
        self.query_one("#stats-body").display = False

    def _show(self, stats: ReadingStats) -> None:
        self.stats = stats
        saved = sum(w.saved for w in stats.weeks)
        read = sum(w.read for w in stats.weeks)
        self.query_one("#stats-summary", Static).update(
            Text(
                f"Your reading at a glance · the {len(stats.weeks)} weeks to"
                f" {stats.today.isoformat()}: {plural(saved, 'article')} saved,"
                f" {read:,} read · reading time in all"
                f" {reading_time(stats.reading_minutes_total)}"
            )
        )
        empty = _is_empty(stats)
        status = self.query_one("#stats-status", Static)
        status.update(Text(EMPTY))
        status.display = empty
        self.query_one("#stats-body").display = not empty
        if not empty:
            self.call_after_refresh(self._draw)  # once the charts have their size

    def on_resize(self) -> None:
        # The x axis' labels are as many as the charts' width fits.
        self.call_after_refresh(self._draw)

    def _restyle(self, _: Theme) -> None:
        # After the app's CSS variables are made again for the new theme.
        self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        stats = self.stats
        if stats is None:
            return
        weeks = stats.weeks
        # A third of the column each, at least MIN_PLOT rows (the column scrolls):
        # fr heights in a scrolling column would each take the whole of it.
        column = self.query_one("#stats-charts")
        rows = max(MIN_PLOT, (column.size.height - len(CHARTS)) // len(CHARTS))
        for plot in self.query(PlotextPlot):
            plot.styles.height = rows
        self._chart(
            "chart-articles",
            "Articles {} and {} per week",
            [("saved", [w.saved for w in weeks], SAVED), ("read", [w.read for w in weeks], READ)],
        )
        minutes = [w.reading_minutes for w in weeks]
        if max(minutes, default=0) >= HOURS_FROM:
            title, times = "{} per week (hours)", [round(m / 60) for m in minutes]
        else:
            title, times = "{} per week (minutes)", [round(m) for m in minutes]
        self._chart("chart-time", title, [("Reading time", times, TIME)])
        self._chart(
            "chart-highlights",
            "{} per week",
            [("Highlights", [w.highlights for w in weeks], HIGHLIGHTS)],
        )
        self.query_one("#stats-lists", Static).update(_lists(stats, self._style))

    def _chart(self, chart_id: str, title: str, series: list[tuple[str, list[int], str]]) -> None:
        """Bars of one or two series a week (the second narrower, over the first), the
        weeks' Mondays below; `title` has a {} for each series' name, drawn in the
        series' colour."""
        stats = self.stats
        assert stats is not None
        parts = title.split("{}")
        heading = Text(parts[0], style="bold")
        for (name, _, role), after in zip(series, parts[1:], strict=True):
            heading.append(name, style=self._style(role))
            heading.append(after)
        self.query_one(f"#{chart_id}-title", Static).update(heading)
        plot = self.query_one(f"#{chart_id}", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        for i, (_, values, role) in enumerate(series):
            # A second series is a narrower bar over the first's, both centred on the
            # week: side by side, 26 weeks' pairs of bars come out a cell or two
            # wide at random (plotext rounds each to half cells).
            plt.bar(
                list(range(len(values))),
                values,
                width=0.8 / (1 + i),
                color=self._rgb(f"{role}-on-surface"),
                marker="hd",
            )
        # Every week a label would not fit: every `every` weeks, as many as fit.
        cells = max(1, plot.size.width - 6) / len(stats.weeks)  # 6: the y axis
        every = next((n for n in (1, 2, 4, 8, 13) if n * cells >= TICK_CELLS), 26)
        ticks = list(range(0, len(stats.weeks), every))
        plt.xticks(
            [float(t) for t in ticks], [stats.weeks[t].start.strftime("%d %b") for t in ticks]
        )
        plt.xlim(-0.6, len(stats.weeks) - 0.4)
        top = max((v for _, values, _ in series for v in values), default=0)
        y = _count_ticks(top)
        plt.yticks([float(n) for n in y], [f"{n:,}" for n in y])
        plt.ylim(0, y[-1])
        plot.refresh()

    def _colour(self, variable: str) -> Color | None:
        value = self.app.get_css_variables().get(variable, "")
        try:
            return Color.parse(value)
        except ColorParseError:
            return None

    def _rgb(self, variable: str) -> RGB | str:
        """The theme variable's colour as plotext takes it (an RGB triple)."""
        colour = self._colour(variable)
        return colour.rgb if colour is not None else "default"

    def _style(self, role: str) -> Style:
        """Text in the role's colour on the screen's ground (reader.tui.palette)."""
        colour = self._colour(f"{role}-on-surface")
        return Style(color=colour.rich_color) if colour is not None else Style()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self._load()

    def action_help(self) -> None:
        rows = binding_rows(StatsScreen)
        self.app.push_screen(HelpScreen([("Reading stats", rows)], title="Keys"))


def _is_empty(stats: ReadingStats) -> bool:
    """No article at all (every article has a site: its URL's host at least)."""
    return not stats.top_sites and not any(count for _, count in stats.backlog)


def _count_ticks(top: int) -> list[int]:
    """Whole numbers from 0 to `top` or just over, at most five (plotext's own ticks
    would split a count of 1 into sixths)."""
    step = max(1, -(-top // 4))
    return list(range(0, max(top, 1) + step, step))


def bar(count: int, most: int) -> str:
    """`count` as a bar of eighths of a cell, BAR_WIDTH cells for `most`; a count
    above nothing shows at least an eighth."""
    if count <= 0 or most <= 0:
        return ""
    eighths = max(1, round(count / most * BAR_WIDTH * 8))
    return "█" * (eighths // 8) + EIGHTHS[eighths % 8].strip()


def _lists(stats: ReadingStats, style: Callable[[str], Style]) -> Table:
    """The backlog by age, the oldest unread, the top tags and sites, each count with
    its bar; names are page and user text, drawn as Text, never markup."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(width=BAR_WIDTH, no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)

    def section(title: str, rows: Sequence[tuple[str, int]], role: str) -> None:
        grid.add_row(Text(title, style="bold"), "", "")
        most = max((count for _, count in rows), default=0)
        for name, count in rows:
            grid.add_row(
                Text(display_line(name)), Text(bar(count, most), style=style(role)), f"{count:,}"
            )
        if not rows:
            grid.add_row(Text("none", style="italic"), "", "")

    section("Unread, by age", stats.backlog, "warning")
    if stats.oldest_unread:
        grid.add_row(Text(f"oldest: {stats.oldest_unread[:10]}", style="italic"), "", "")
    grid.add_row("", "", "")
    section("Top tags", stats.top_tags, "accent")
    grid.add_row("", "", "")
    section("Top sites", stats.top_sites, "primary")
    return grid
