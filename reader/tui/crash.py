"""Where a crash of the TUI goes: its traceback to a log file, never onto the screen.

The terminal gets one line saying where the file is (reader.tui.run_app prints it and
exits with status 1). The file is in the platform's log folder for reader
(`platformdirs.user_log_path("reader")`: ~/.local/state/reader/log on Linux), else the
temporary folder when that one cannot be written; one file a crash, named by its time.
"""

from __future__ import annotations

import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs


def log_folders() -> list[Path]:
    """Where a crash log may go, best first."""
    return [platformdirs.user_log_path("reader"), Path(tempfile.gettempdir()) / "reader"]


def write_crash_log(error: BaseException) -> Path | None:
    """Write `error`'s traceback to a new log file and return its path (None when no
    folder could take it)."""
    text = "".join(traceback.format_exception(error))
    name = f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
    for folder in log_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def crash_line(log: Path | None) -> str:
    """The one line left on the terminal after a crash."""
    if log is None:
        return "reader: stopped on an internal error (no log could be written)"
    return f"reader: stopped on an internal error; the details are in {log}"
