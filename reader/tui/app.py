"""ReaderApp: one archive file, the library screen, and the archive access workers share.

The app holds three connections to the archive, so two threads never share a
transaction and a slow query never blocks a key press. `archive` belongs to the main
thread (the reading screen, quick single-row reads). Thread workers read through
`background()` (searches, counts, pages of rows) and write through `write()` (star,
tag, delete: renaming a tag on 20,000 articles takes seconds), each lending its
connection to one worker at a time. Imports open a connection of their own.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import Theme

from reader.archive import Archive
from reader.tui import READING_CSS
from reader.tui.commands import ScreenCommands
from reader.tui.screens.library import LibraryScreen

T = TypeVar("T")

THEME_SETTING = "theme"


class ReaderApp(App[None]):
    """The terminal reader over the archive at `db_path`."""

    TITLE = "reader"
    # The reading screen's stylesheet is loaded with the app's: loaded on the first push
    # of that screen it re-parsed every stylesheet, a third of the first article's open.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", READING_CSS]
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, db_path: str | Path) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.archive = Archive(self.db_path)
        self._was_new = self.archive.is_new
        self._background_archive: Archive | None = None
        self._background_lock = threading.Lock()
        self._write_archive: Archive | None = None
        self._write_lock = threading.Lock()

    # -- archive access -------------------------------------------------------------

    def background(self, work: Callable[[Archive], T]) -> T:
        """Run `work` with the workers' connection (call from a thread worker)."""
        with self._background_lock:
            if self._background_archive is None:
                self._background_archive = Archive(self.db_path)
            return work(self._background_archive)

    def write(self, work: Callable[[Archive], T]) -> T:
        """Run `work` with the writers' connection, one write at a time (call from a
        thread worker: renaming a tag on 20,000 articles takes seconds)."""
        with self._write_lock:
            if self._write_archive is None:
                self._write_archive = Archive(self.db_path)
            return work(self._write_archive)

    def prepare_process_pool(self) -> None:
        """Let the importer's process pool start while Textual holds sys.stderr.

        multiprocessing starts its resource tracker with sys.stderr's file descriptor,
        and Textual's stand-in for sys.stderr has none (-1: "bad value(s) in
        fds_to_keep"). Started here, on the main thread with the real stream lent for
        the moment, the tracker is running before an import worker needs it.
        """
        from multiprocessing import resource_tracker

        captured = sys.stderr
        sys.stderr = sys.__stderr__
        try:
            resource_tracker.ensure_running()
        except Exception as error:  # the importer then extracts in-process
            self.log.error(f"resource tracker: {error!r}")
        finally:
            sys.stderr = captured

    def open_archive(self) -> Archive:
        """A new connection of its own (for a long job such as an import); close it."""
        return Archive(self.db_path)

    # -- lifecycle ------------------------------------------------------------------

    def on_mount(self) -> None:
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._welcome()
        self.push_screen(LibraryScreen())
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        # What start-up built (widgets, styles, modules) lives as long as the app: moved
        # out of the garbage collector's reach, a full collection no longer walks it
        # (one every ~25 page-downs took 55-68 ms, a visibly slow frame).
        gc.freeze()
        self.run_worker(_preload_reading_screen, thread=True, group="preload")

    def on_unmount(self) -> None:
        with self._background_lock:
            if self._background_archive is not None:
                self._background_archive.close()
                self._background_archive = None
        with self._write_lock:
            if self._write_archive is not None:
                self._write_archive.close()
                self._write_archive = None
        self.archive.close()

    def _welcome(self) -> None:
        """The user guide in a new archive (reader.welcome decides whether it is due)."""
        try:
            from reader.welcome import ensure_welcome

            ensure_welcome(self.archive)
        except Exception as error:  # the guide is a courtesy; never block the app on it
            self.log.error(f"welcome article: {error!r}")

    def _restore_theme(self) -> None:
        name = self.archive.get_setting(THEME_SETTING)
        if name and name in self.available_themes:
            self.theme = name

    def _remember_theme(self, theme: Theme) -> None:
        if self.archive.get_setting(THEME_SETTING) != theme.name:
            self.archive.set_setting(THEME_SETTING, theme.name)


def _preload_reading_screen() -> None:
    """Import the reading screen while the library is idle, not on the first Enter."""
    import reader.tui.screens.reading  # noqa: F401
