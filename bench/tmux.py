"""Cold start in a real terminal: `python -m bench.tmux PATH... [--runs N]` prints JSON.

`reader --db PATH` is launched in a detached tmux session (120x40, its own tmux
server socket so nobody else's sessions are touched), and `tmux capture-pane -p` is
polled until the library's first row title is on the screen. The time runs from just
before the launch to the capture that shows it, so it includes tmux starting the
shell command, Python start-up, imports, opening the archive, the first query and
Textual writing the frame to a real terminal. Polling costs a little CPU and gives a
resolution of about POLL seconds; the number is an upper bound by that much.

The first row is the newest article (the library's default sort); its title is read
from the archive before the runs. One untimed launch first warms the OS page cache,
as a user's second start would be; the in-process numbers (bench/tui.py) isolate the
app's own part.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import Measurement, failed
from bench.import_rate import reader_command

_SERVERS = itertools.count()
SIZE = (120, 40)
POLL = 0.01
TIMEOUT = 60.0


def _tmux(socket: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-u", "-L", socket, *args], capture_output=True, text=True, check=False
    )


def first_title(path: Path) -> str:
    """What the first row starts with: the newest article's title (or the empty message)."""
    from reader.archive import Archive

    with Archive(path) as archive:
        hits = archive.search("", limit=1)
    if not hits:
        return "No articles yet"
    return " ".join((hits[0].article.title or "(untitled)").split())[:14]


def launch_once(socket: str, path: Path, needle: str, name: str) -> float:
    """Seconds from launching reader in tmux until `needle` is on the pane."""
    command = " ".join(f"'{part}'" for part in [*reader_command(), "--db", str(path)])
    began = time.perf_counter()
    started = _tmux(
        socket, "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), command
    )
    if started.returncode != 0:
        raise RuntimeError(f"tmux new-session: {started.stderr.strip()}")
    try:
        deadline = began + TIMEOUT
        while time.perf_counter() < deadline:
            pane = _tmux(socket, "capture-pane", "-p", "-t", name).stdout
            if needle in pane:
                return time.perf_counter() - began
            time.sleep(POLL)
        raise TimeoutError(f"{needle!r} not on screen after {TIMEOUT:.0f} s: {pane[-200:]!r}")
    finally:
        _tmux(socket, "kill-session", "-t", name)


def run(paths: list[Path], runs: int) -> dict[str, list[float]]:
    """`runs` timed launches on each archive, interleaved (a noisy moment then hits all
    alike), after one untimed warm-up each; the tmux server is ours alone."""
    if shutil.which("tmux") is None:
        raise RuntimeError("tmux is not installed")
    needles = {path: first_title(path) for path in paths}
    os.environ.setdefault("LANG", "C.UTF-8")
    # A server of our own per call (a fresh socket name: a server just told to exit
    # may still hold the old one), held up between launches by a session of its own:
    # otherwise it exits with each run's session, and the next launch would pay for
    # a server start-up that is not reader's.
    socket = f"reader-bench-{os.getpid()}-{next(_SERVERS)}"
    held = _tmux(socket, "new-session", "-d", "-s", "hold", "sleep 3600")
    if held.returncode != 0:
        raise RuntimeError(f"tmux new-session: {held.stderr.strip()}")
    times: dict[str, list[float]] = {str(path): [] for path in paths}
    try:
        for path in paths:
            launch_once(socket, path, needles[path], "warmup")
        for i in range(runs):
            for path in paths:
                times[str(path)].append(launch_once(socket, path, needles[path], f"run{i}"))
    finally:
        _tmux(socket, "kill-server")
    return times


def measure(path: Path, small: Path, runs: int) -> list[Measurement]:
    """Launch-to-first-title on the big and the 10-article archive, and their ratio."""
    what = "cold start to first painted library (tmux, real terminal)"
    budget = "< 1.0 s"
    how = (
        f"tmux {SIZE[0]}x{SIZE[1]} `reader --db PATH`, capture-pane every {POLL * 1000:.0f} ms"
        " until row 1's title shows; launch to capture, Python start-up included"
    )
    try:
        times = run([path, small], runs)
    except Exception as error:
        return [failed(what, budget, how, error)]
    big, little = times[str(path)], times[str(small)]
    ratio = statistics.median(big) / statistics.median(little)
    return [
        Measurement(what, budget, big, "s", statistics.median(big) < 1.0, how),
        Measurement("  same, 10-article archive", "", little, "s", None, "as above"),
        Measurement(
            "  ratio big / 10-article (medians)",
            "<= 1.3x",
            [ratio],
            "x",
            ratio <= 1.3,
            "ratio of the medians",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+", help="archives (runs interleave)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    for path in args.paths:
        if not path.is_file():
            parser.error(f"{path}: no such archive")
    print(json.dumps(run(args.paths, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
