"""ExportDialog: write the highlights and notes of some articles as Markdown.

The app pushes it when the library asks for the selection or the current filter, or the
reading screen for its article (reader.tui.messages.ExportNotes):
`ExportDialog(access, article_ids, description)` (None: every article). The user
picks a destination (a folder, one file per article; or a FILE.md, all in one) and two
options; `reader.export.export_markdown` does the work, the same call as `reader
export`, in a thread worker on a connection of its own (as imports do), so the library
keeps loading rows meanwhile. A success closes the dialog with the ExportReport and a
notification; an ExportError's line shows in the dialog, which stays open to fix it.
The folder is remembered in the archive's settings (`export_dir`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from reader.export import ExportError, ExportReport, export_markdown, output_kind
from reader.textrules import display_line, plural
from reader.tui.access import ArchiveAccess
from reader.tui.screens.dialogs import CompletingInput, PathSuggester
from reader.tui.stylesheets import EXPORT_CSS
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import Archive

EXPORT_DIR_SETTING = "export_dir"
DEFAULT_EXPORT_DIR = "~/reader-notes"
PROGRESS_STEPS = 50  # progress bar updates per export, at most


@dataclass(frozen=True)
class ExportCounts:
    """What the articles to export hold: how many, how many annotated, and what."""

    articles: int
    annotated: int
    highlights: int
    notes: int


def count_annotations(archive: Archive, article_ids: list[int] | None) -> ExportCounts:
    """The counts the dialog shows before exporting (`None`: every article)."""
    total = len(set(article_ids)) if article_ids is not None else archive.article_count()
    annotated: set[int] = set()
    highlights = notes = 0
    for annotation in archive.iter_annotations(article_ids):
        annotated.add(annotation.article_id)
        if annotation.is_article_note:
            notes += 1
        else:
            highlights += 1
    return ExportCounts(total, len(annotated), highlights, notes)


def describe_counts(counts: ExportCounts) -> str:
    """One line on what an export of these articles will hold."""
    what = f"{plural(counts.highlights, 'highlight')}, {plural(counts.notes, 'note')}"
    if counts.articles == 1:
        if not counts.annotated:
            return "It has no highlights or notes yet."
        return f"It has {what}."
    if not counts.annotated:
        return f"None of the {plural(counts.articles, 'article')} has highlights or notes yet."
    return f"{counts.annotated:,} of {plural(counts.articles, 'article')} annotated ({what})."


def export_summary(report: ExportReport) -> str:
    """The notification after an export: the CLI's line, with `~` for the home folder."""
    return report.summary(None if report.output is None else display_path(report.output))


def display_path(path: Path) -> str:
    """`path` with the home folder written as `~`."""
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home)) if path != home else "~"
    except ValueError:
        return str(path)


def resolve_destination(text: str, base: Path | None = None) -> Path:
    """The typed destination as an absolute path (`~` expanded, relative to `base`).

    Raises ExportError with a one-line reason for what the TUI cannot write to.
    """
    value = text.strip()
    if not value:
        raise ExportError("Choose a folder (one file per article) or a FILE.md (all in one)")
    if value == "-":
        raise ExportError("Standard output is for `reader export`; choose a folder or a FILE.md")
    path = Path(os.path.expanduser(value))
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return Path(os.path.normpath(path))


def destination_hint(text: str, base: Path | None = None) -> str:
    """What the typed destination means, for the line under the input."""
    try:
        path = resolve_destination(text, base)
    except ExportError as error:
        return str(error)
    if output_kind(path) == "file":
        return "All in one file (updated in place if reader wrote it)"
    return "One file per article in this folder (re-exports update them)"


class TickBox(Checkbox):
    """A checkbox that is empty when off and ticked when on (Textual's shows an X either
    way, told apart by colour alone)."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = "✓" if self.value else " "


class ExportDialog(ModalScreen[ExportReport | None]):
    """Export the highlights and notes of `article_ids` (None: every article) as Markdown.

    `description` names them for the user ("the 3 selected articles", "this article").
    Dismisses with the ExportReport, or None when cancelled.
    """

    CSS_PATH = EXPORT_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export", show=False),
    ]

    def __init__(
        self,
        access: ArchiveAccess,
        article_ids: list[int] | None,
        description: str,
        *,
        base: Path | None = None,
        default_folder: Path | None = None,
    ) -> None:
        """`access`: the archive the ids are in; `base`: the folder relative destinations
        start from (default: the working directory); `default_folder`: the folder offered
        when the archive remembers none (the config file's `export_folder`)."""
        super().__init__(classes="dialog")
        self.access = access
        self.article_ids = list(article_ids) if article_ids is not None else None
        self.description = description
        self.base = base
        self.default_folder = display_path(default_folder) if default_folder else DEFAULT_EXPORT_DIR
        self.counts: ExportCounts | None = None
        self.running = False
        self.error_message = ""  # the line shown under the options, if any

    # --- building -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = Text("Export the highlights and notes of ")
        title.append(display_line(self.description), style="bold")
        title.append(" as Markdown")
        with Vertical(classes="dialog-box export-box"):
            yield Static(title, classes="dialog-question", markup=False)
            yield Static(
                "Counting highlights and notes…",
                id="export-counts",
                classes="export-counts",
                markup=False,
            )
            yield Label(
                "Destination: a folder, or a FILE.md for all in one",
                classes="export-label",
                markup=False,
            )
            value = self.access.archive.get_setting(EXPORT_DIR_SETTING) or self.default_folder
            yield CompletingInput(
                value=value,
                placeholder=self.default_folder,
                suggester=PathSuggester(self.base),
                id="export-dest",
            )
            yield Static(destination_hint(value, self.base), id="export-dest-hint", markup=False)
            yield TickBox("Include articles without highlights or notes", id="export-all")
            yield TickBox(
                "Overwrite files reader did not write (or that were edited)", id="export-force"
            )
            yield Static("", id="export-error", classes="-empty", markup=False)
            yield ProgressBar(id="export-progress", show_eta=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")
            yield Label(
                "tab completes · enter exports · escape cancels",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        dest = self.destination_input
        dest.focus()
        dest.cursor_position = len(dest.value)
        self.run_worker(self._count, thread=True, group="export-count", exit_on_error=False)

    @property
    def destination_input(self) -> Input:
        return self.query_one("#export-dest", Input)

    # --- counting -------------------------------------------------------------------

    def _count(self) -> None:
        try:
            with self._open_archive() as archive:
                counts = count_annotations(archive, self.article_ids)
        except Exception as error:  # the counts are a courtesy; the export says more
            self.app.call_from_thread(self._show_counts, None, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_counts, counts, None)

    def _show_counts(self, counts: ExportCounts | None, error: str | None) -> None:
        if not self.is_mounted:  # dismissed while counting
            return
        self.counts = counts
        text = describe_counts(counts) if counts is not None else f"Cannot count: {error}"
        self.query_one("#export-counts", Static).update(Text(display_line(text)))

    def _open_archive(self) -> Archive:
        """A connection of the worker's own (closed by its caller): an export of a large
        archive must not hold the connection the library reads its rows through."""
        return self.access.open_archive()

    # --- the destination ------------------------------------------------------------

    @on(Input.Changed, "#export-dest")
    def _destination_changed(self, event: Input.Changed) -> None:
        hint = destination_hint(event.value, self.base) if event.value.strip() else ""
        self.query_one("#export-dest-hint", Static).update(Text(display_line(hint)))
        self.show_error("")

    @on(Input.Submitted, "#export-dest")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.action_export()
        else:
            self.action_cancel()

    def show_error(self, message: str) -> None:
        """One line under the options (empty hides it)."""
        self.error_message = message
        error = self.query_one("#export-error", Static)
        error.update(Text(display_line(message)))
        error.set_class(not message, "-empty")

    # --- exporting ------------------------------------------------------------------

    def action_export(self) -> None:
        if self.running:
            return
        typed = self.destination_input.value
        try:
            destination = resolve_destination(typed, self.base)
        except ExportError as error:
            self.show_error(str(error))
            return
        include_all = self.query_one("#export-all", Checkbox).value
        force = self.query_one("#export-force", Checkbox).value
        self.show_error("")
        self._set_running(True)
        self.query_one("#export-progress", ProgressBar).update(total=None, progress=0)
        self.run_worker(
            lambda: self._export(destination, include_all, force),
            thread=True,
            group="export",
            exclusive=True,
            exit_on_error=False,
        )

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.set_class(running, "-running")
        for widget in self.query("Input, Checkbox, #export"):
            widget.disabled = running
        if not running:
            self.destination_input.focus()

    def _export(self, destination: Path, include_all: bool, force: bool) -> None:
        """The worker: export, remember the folder, report back on the main thread."""

        def progress(done: int, total: int) -> None:
            # A call back to the main thread per article would slow a long export down.
            if done == total or done % max(1, total // PROGRESS_STEPS) == 0:
                self.app.call_from_thread(self._progress, done, total)

        try:
            with self._open_archive() as archive:
                if not include_all and not any(
                    True for _ in archive.iter_annotations(self.article_ids)
                ):
                    raise ExportError(
                        "Nothing to export: no highlights or notes here"
                        " (tick “Include articles without highlights or notes”)"
                    )
                report = export_markdown(
                    archive,
                    self.article_ids,
                    destination,
                    include_all=include_all,
                    force=force,
                    progress=progress,
                )
                self._remember(archive, destination)
        except ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # an unreadable archive, a full disk: one line
            self.app.call_from_thread(self._failed, f"Export failed: {error_line(error)}")
            return
        self.app.call_from_thread(self._done, report)

    def _remember(self, archive: Archive, destination: Path) -> None:
        """Keep the folder for the next export (a FILE.md's folder for a file)."""
        folder = destination.parent if output_kind(destination) == "file" else destination
        try:
            if archive.get_setting(EXPORT_DIR_SETTING) != display_path(folder):
                archive.set_setting(EXPORT_DIR_SETTING, display_path(folder))
        except Exception:  # a read-only archive exports fine; it just cannot remember
            pass

    def _progress(self, done: int, total: int) -> None:
        if not self.is_mounted:
            return
        self.query_one("#export-progress", ProgressBar).update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        # The CLI's advice names its flag; here it is the checkbox.
        message = " ".join(message.replace("use --force", "tick “Overwrite files…”").split())
        if not self.is_mounted:
            self.app.notify(message, title="Export", severity="error", markup=False)
            return
        self._set_running(False)
        self.show_error(message)

    def _done(self, report: ExportReport) -> None:
        self.running = False
        self.app.notify(export_summary(report), title="Export", markup=False)
        if self.is_mounted:
            self.dismiss(report)

    def action_cancel(self) -> None:
        if self.running:
            self.notify("The export is still running; it takes a moment.", markup=False)
            return
        self.dismiss(None)


__all__ = [
    "DEFAULT_EXPORT_DIR",
    "EXPORT_DIR_SETTING",
    "ExportCounts",
    "ExportDialog",
    "count_annotations",
    "describe_counts",
    "export_summary",
    "resolve_destination",
]
