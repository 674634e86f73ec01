"""A crash of the TUI: status 1, one line on the terminal naming the log, the traceback
in that log and never on the screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.tui import run_app
from reader.tui.app import ReaderApp

CRASHING_APP = """
import sys
from reader.tui import run_app
from reader.tui.app import ReaderApp

class CrashingApp(ReaderApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.action_boom)

    def action_boom(self) -> None:
        raise RuntimeError("boom from an action")

run_app(CrashingApp(sys.argv[1]), headless=True)
"""


class CrashingApp(ReaderApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.action_boom)

    def action_boom(self) -> None:
        raise RuntimeError("boom from an action")


def test_a_crash_exits_with_one_line_naming_its_log(
    library_path: Path, crash_logs_in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_app(CrashingApp(library_path), headless=True)
    message = exit_info.value.code
    assert isinstance(message, str)  # SystemExit with a message: status 1
    prefix = "reader: stopped on an internal error; the details are in "
    assert message.startswith(prefix)
    log = Path(message.removeprefix(prefix))
    assert log.parent == crash_logs_in_tmp
    text = log.read_text()
    assert "Traceback" in text and "RuntimeError: boom from an action" in text
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_a_crash_in_a_real_process_exits_1_and_prints_one_line(
    library_path: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_APP, str(library_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    log = Path(lines[0].rsplit(" ", 1)[1])
    assert log.is_relative_to(tmp_path / "state")  # the platform's log folder for reader
    assert "RuntimeError: boom from an action" in log.read_text()
    assert "Traceback" not in done.stdout
