"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_tui(db_path: Path) -> None:
    from reader.tui.app import ReaderApp

    ReaderApp(db_path).run()
