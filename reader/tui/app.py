"""ReaderApp: one archive file, the library screen, and the navigation screens ask for.

The app owns the archive's connections (`ArchiveConnections`, reader.tui.access) and hands
them to each screen it pushes; screens ask it for another screen by posting a message
(reader.tui.messages). It is the one module that imports the screens, and the one
nothing else in the TUI imports.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from reader.archive import Archive
from reader.config import AppDefaults
from reader.tui.access import ArchiveConnections
from reader.tui.commands import ScreenCommands
from reader.tui.crash import write_crash_log
from reader.tui.messages import Closed, ExportNotes, OpenArticle, ShowAnnotations, ShowStats
from reader.tui.palette import with_reader_colours
from reader.tui.screens.library import LibraryScreen
from reader.tui.stylesheets import APP_CSS, READING_CSS
from reader.welcome import ensure_welcome

THEME_SETTING = "theme"
READ_ONLY_NOTICE = "The archive is read-only: read and search as usual; changes are not saved."


class ReaderApp(App[None]):
    """The terminal reader over the archive at `db_path`.

    `defaults` (the config file's theme and export folder) apply where the archive has
    no setting of its own: a theme or folder chosen in the reader is remembered there.
    """

    TITLE = "reader"
    # The reading screen's stylesheet is loaded with the app's: loaded on the first push
    # of that screen it re-parsed every stylesheet, a third of the first article's open.
    CSS_PATH: ClassVar[list[str | PurePath]] = [APP_CSS, READING_CSS]
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, db_path: str | Path, *, defaults: AppDefaults | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.defaults = defaults or AppDefaults()
        self.access = ArchiveConnections(self.db_path)
        self.crashed = False
        self.crash_log: Path | None = None  # where the first crash's traceback went

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing caught: Textual stops the app; its traceback goes to a log
        file (reader.tui.crash), not onto the screen (run_app says where it is)."""
        if not self.crashed:
            self.crashed = True
            self.crash_log = write_crash_log(error)
        super()._handle_exception(error)
        self._exit_renderables.clear()

    @property
    def archive(self) -> Archive:
        """The main thread's connection to the archive."""
        return self.access.archive

    def get_css_variables(self) -> dict[str, str]:
        """Textual's theme variables, and the reader's colours derived from them for the
        current theme (reader.tui.palette: every text at WCAG AA, the highlights); a
        theme's own variable of the same name wins."""
        return with_reader_colours(self, super().get_css_variables())

    # -- lifecycle ------------------------------------------------------------------

    def on_mount(self) -> None:
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.archive.readonly:
            self.notify(READ_ONLY_NOTICE, title="Read-only", timeout=10)
        else:
            self._welcome()
        self.push_screen(LibraryScreen(self.access))
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        # What start-up built (widgets, styles, modules) lives as long as the app: moved
        # out of the garbage collector's reach, a full collection no longer walks it
        # (one every ~25 page-downs took 55-68 ms, a visibly slow frame).
        gc.freeze()
        self.run_worker(_preload_reading_screen, thread=True, group="preload")

    def on_unmount(self) -> None:
        self.access.close()  # after every queued write has landed

    def _welcome(self) -> None:
        """The user guide in a new archive (reader.welcome decides whether it is due)."""
        try:
            ensure_welcome(self.archive)
        except Exception as error:  # the guide is a courtesy; never block the app on it
            self.log.error(f"welcome article: {error!r}")

    def _restore_theme(self) -> None:
        name = self.archive.get_setting(THEME_SETTING) or self.defaults.theme
        if name and name in self.available_themes:
            self.theme = name

    def _remember_theme(self, theme: Theme) -> None:
        if self.archive.readonly:
            return
        if self.archive.get_setting(THEME_SETTING) != theme.name:
            self.access.write(lambda archive: archive.set_setting(THEME_SETTING, theme.name))

    # -- navigation: what screens ask for -------------------------------------------

    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        # lazy: the reading screen loads after the first paint (_preload_reading_screen)
        from reader.tui.screens.reading import ReadingScreen

        article_id, annotation_id = message.article_id, message.annotation_id
        if self.archive.is_missing(article_id):  # no page yet: its details, its quotes
            from reader.tui.screens.missing_page import MissingPageScreen

            screen: Screen[None] = MissingPageScreen(
                self.access, article_id, annotation_id=annotation_id
            )
        else:
            screen = ReadingScreen(self.access, article_id, annotation_id=annotation_id)
        self.push_screen(screen, _calling(message.closed))

    @on(ShowAnnotations)
    def _show_annotations(self, message: ShowAnnotations) -> None:
        from reader.tui.screens.annotations import AnnotationsScreen  # lazy: not at start-up

        self.push_screen(AnnotationsScreen(self.access), _calling(message.closed))

    @on(ShowStats)
    def _show_stats(self, _: ShowStats) -> None:
        from reader.tui.screens.stats import StatsScreen  # lazy: plotext is not for start-up

        self.push_screen(StatsScreen(self.access))

    @on(ExportNotes)
    def _export_notes(self, message: ExportNotes) -> None:
        # lazy: reader.export (Jinja2 templates) is not needed until the first export
        from reader.tui.screens.export import ExportDialog

        self.push_screen(
            ExportDialog(
                self.access,
                message.article_ids,
                message.description,
                default_folder=self.defaults.export_folder,
            )
        )


def _calling(closed: Closed | None) -> Callable[[None], None] | None:
    """A screen's dismiss callback that calls `closed` (its result is None)."""
    if closed is None:
        return None

    def call(_: None) -> None:
        closed()

    return call


def _preload_reading_screen() -> None:
    """Import the reading screen while the library is idle, not on the first Enter."""
    import reader.tui.screens.reading  # noqa: F401
