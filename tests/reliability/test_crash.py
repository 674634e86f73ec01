"""SIGKILL at any moment loses at most the change being made, never half of one.

An import (`reader import DIR --jobs 1`, a subprocess) is killed at seeded random
moments: when the archive has reached a random number of articles, plus a random few
milliseconds, so kills land in start-up, schema creation, extraction and the writes of
big articles on a fast machine and a slow one alike. After every kill `reader check`
and the whole-article checks must pass; re-running the import completes the archive.

Once an archive is complete, every article gets a highlight and an `import --update`
of edited pages is killed part-way: each highlight stays on its words.

The TUI is killed right after it wrote an annotation (a highlight, a highlight with a
note, an article note): a driver script runs the real ReaderApp headless, makes the
annotation with keys, says so on stdout, and is SIGKILLed at once. The annotation must
be there on reopening, and the archive sound. No test here asserts a time.
"""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.archive import Archive

from .helpers import (
    FILLER,
    article_count,
    consistency_problems,
    kill_group,
    read_only,
    reader_command,
    run_reader,
    spawn,
    write_pages,
)

PAGES = 40
ROUNDS = 15
SEED = 20241125
WAIT = 180  # seconds any one subprocess may take before the test gives up on it


def assert_sound(db: Path) -> None:
    """`reader check` (a separate process, as a user would run it) and our own checks."""
    if not db.exists():
        return
    result = run_reader(db, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
    assert consistency_problems(db) == []


def kill_import_at(
    db: Path, pages: Path, target: int, delay: float, log: Path, *options: str
) -> bool:
    """Start an import, SIGKILL it once `db` holds `target` articles (+ `delay` s).
    True when it was still running when killed."""
    with log.open("ab") as out:
        command = reader_command(db, "import", str(pages), "--jobs", "1", *options)
        process = spawn(command, db.parent, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + WAIT
            while process.poll() is None and time.monotonic() < deadline:
                if target <= 0 or article_count(db) >= target:
                    break
                time.sleep(0.005)
            if delay:
                time.sleep(delay)
            alive = process.poll() is None
        finally:
            kill_group(process)
    return alive


@pytest.mark.slow
def test_import_killed_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    urls = write_pages(pages, PAGES, big_every=8)
    rng = random.Random(SEED)
    dbs = [tmp_path / "archive-0.db"]
    log = tmp_path / "import.log"
    # The same pages edited (a paragraph more at the top), for `import --update`.
    edited = tmp_path / "edited"
    edited.mkdir()
    for page in sorted(pages.iterdir()):
        (edited / page.name).write_bytes(
            page.read_bytes().replace(b"<article>", b"<article><p>" + FILLER.encode() + b"</p>")
        )
    updated: set[Path] = set()
    killed_running = 0
    for round_ in range(ROUNDS):
        db = dbs[-1]
        present = article_count(db)
        if present >= PAGES and db not in updated:
            # Complete: highlight every article, then kill an `--update` part-way (at a
            # random time: the article count does not move). Each highlight must stay,
            # on the words it was made on, in the old text or the new.
            updated.add(db)
            made = highlight_every_article(db)
            delay = rng.uniform(0, 4)
            killed_running += kill_import_at(db, edited, 0, delay, log, "--update")
            assert_sound(db)
            assert_highlights_kept(db, made)
            continue
        if present >= PAGES:  # complete and updated: start again on a new archive
            db = tmp_path / f"archive-{len(dbs)}.db"
            dbs.append(db)
            present = 0
        # Now and then at once (start-up, schema creation), else part-way through.
        target = 0 if rng.random() < 0.2 else rng.randint(present + 1, PAGES)
        delay = rng.choice([0, 0, rng.uniform(0, 0.05), rng.uniform(0, 0.5)])
        killed_running += kill_import_at(db, pages, target, delay, log)
        assert_sound(db)
        assert article_count(db) >= present, f"round {round_}: articles were lost"
    # Printed, not asserted: where the kills land depends on the machine's speed.
    print(
        f"\ncrash: {ROUNDS} kills ({len(updated)} of them of an --update), "
        f"{killed_running} while the import ran, {len(dbs)} archives"
    )
    for db in dbs:
        result = run_reader(db, "import", str(pages), "--jobs", "1", timeout=WAIT)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "locked" not in (result.stdout + result.stderr).lower()
        assert_sound(db)
        with Archive(db) as archive:
            found = sorted(h.article.url for h in archive.search("", limit=1000))
            assert found == sorted(urls), "every page exactly once"
            for hit in archive.search("", limit=1000):
                original = archive.original_of(hit.article.id)
                assert original is not None and original.data.startswith(b"<!DOCTYPE html>")


def highlight_every_article(db: Path) -> dict[int, str]:
    """A highlight on the first words of each article's second paragraph; {id: words}."""
    made = {}
    with Archive(db) as archive:
        for article_id in archive.iter_article_ids():
            text = archive.get_article(article_id).text
            start = text.index("Paragraph 1 of page")
            made[archive.add_highlight(article_id, start, start + 30)] = text[start : start + 30]
    return made


def assert_highlights_kept(db: Path, made: dict[int, str]) -> None:
    with Archive(db) as archive:
        for annotation_id, exact in made.items():
            annotation = archive.get_annotation(annotation_id)
            assert annotation is not None and annotation.exact == exact
            text = archive.get_article(annotation.article_id).text
            assert text[annotation.start : annotation.end] == exact, annotation


def kill_after(command: list[str], cwd: Path, ready, delay: float) -> bool:
    """Run `command`, SIGKILL it `delay` s after `ready()` is true (or it ended); True
    if it was still running when killed."""
    process = spawn(command, cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT
        while process.poll() is None and not ready() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        alive = process.poll() is None
    finally:
        kill_group(process)
    return alive


def reindexed(db: Path) -> int:
    """Articles whose updated_at moved past the mark `mark_stale` left."""
    conn = read_only(db)
    try:
        return conn.execute(
            "SELECT count(*) FROM articles WHERE updated_at > '2000-01-02'"
        ).fetchone()[0]
    finally:
        conn.close()


def mark_stale(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("UPDATE articles SET updated_at = '2000-01-01T00:00:00+00:00'")
    finally:
        conn.close()


@pytest.mark.slow
def test_backup_and_reindex_killed_at_random_moments(tmp_path: Path) -> None:
    """`reader backup` never leaves half a copy at its destination; `reader reindex`
    killed part-way (after a random number of articles) leaves a sound archive whose
    highlights are all on their words."""
    pages = tmp_path / "pages"
    write_pages(pages, 30, big_every=3)
    db = tmp_path / "archive.db"
    assert run_reader(db, "import", str(pages), "--jobs", "1").returncode == 0
    made = highlight_every_article(db)
    rng = random.Random(SEED + 1)
    killed = 0
    for round_ in range(4):
        dest = tmp_path / f"backup-{round_}.db"
        command = reader_command(db, "backup", str(dest))
        killed += kill_after(command, tmp_path, lambda: True, rng.uniform(0.2, 1.5))
        if dest.exists():  # all of it, or nothing
            assert consistency_problems(dest) == []
            assert article_count(dest) == 30
        mark_stale(db)
        target = rng.randint(1, 29)
        command = reader_command(db, "reindex")
        killed += kill_after(command, tmp_path, lambda n=target: reindexed(db) >= n, 0)
        assert_sound(db)
        assert_highlights_kept(db, made)
        assert article_count(db) == 30
    print(f"\ncrash: 8 kills of backup and reindex, {killed} while they ran")


# --- the TUI ------------------------------------------------------------------------

DRIVER = '''
"""Open the reader on an archive, make one annotation with keys, say so, then wait to
be killed."""

import asyncio
import json
import sys

from reader.tui.app import ReaderApp
from reader.tui.screens.reading import ReadingScreen


async def settle(pilot):
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def main(db, keys, note):
    app = ReaderApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen), app.screen
        screen = app.screen
        await pilot.press(*keys)
        if note:
            await pilot.press(*[{" ": "space"}.get(c, c) for c in note])
            await pilot.press("ctrl+s")
        await settle(pilot)
        made = [
            {"id": a.id, "start": a.start, "end": a.end, "note": a.note, "color": a.color}
            for a in screen.archive.annotations_for(screen.article_id)
        ]
        print("ANNOTATED " + json.dumps(made), flush=True)
        await asyncio.sleep(600)


asyncio.run(main(sys.argv[1], sys.argv[2].split(","), sys.argv[3]))
'''

# (keys, note typed after them): a highlight; a highlight with a note; an article note
# (e where no highlight is under the cursor); a colour change of the highlight under it.
ACTIONS = [
    ("j,j,v,w,w,w,h", ""),
    ("j,j,j,j,j,v,w,w,H", "a note typed in the TUI"),
    ("g,e", "an article note"),
    ("g,],c", ""),
]


def run_driver(driver: Path, db: Path, keys: str, note: str) -> list[dict]:
    """Run the driver until it has annotated, then SIGKILL it; what it said it made."""
    process = spawn(
        [sys.executable, str(driver), str(db), keys, note],
        db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the driver speaks or dies
    finally:
        kill_group(process)
    assert line.startswith("ANNOTATED "), f"the driver stopped early: {line!r}"
    return json.loads(line.removeprefix("ANNOTATED "))


@pytest.mark.slow
def test_tui_killed_right_after_annotating_keeps_the_annotation(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, 1)
    db = tmp_path / "archive.db"
    result = run_reader(db, "import", str(pages), "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
        (article_id,) = [h.article.id for h in archive.search("Generated")]
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    expected_count = 0
    for keys, note in ACTIONS:
        made = run_driver(driver, db, keys, note)
        assert_sound(db)
        with Archive(db) as archive:
            kept = [
                {"id": a.id, "start": a.start, "end": a.end, "note": a.note, "color": a.color}
                for a in archive.annotations_for(article_id)
            ]
        assert kept == made, "what the TUI showed as made is what the archive holds"
        if not keys.endswith(",c"):
            expected_count += 1
        assert len(kept) == expected_count
        if note:
            assert any(a["note"] == note for a in kept), kept
    assert any(a["color"] != "yellow" for a in kept), "the colour change was kept"


def tmux(socket: str, *args: str) -> str:
    result = subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def annotation_count(db: Path) -> int:
    conn = read_only(db)
    try:
        return conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_reader_in_a_terminal_killed_after_a_highlight(tmp_path: Path) -> None:
    """The real `reader` command in a tmux terminal: open the article, select, h; the
    moment the highlight is in the file, SIGKILL the process."""
    pages = tmp_path / "pages"
    write_pages(pages, 2)
    db = tmp_path / "archive.db"
    assert run_reader(db, "import", str(pages), "--jobs", "1").returncode == 0
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
    socket = f"reader-crash-{os.getpid()}"
    command = " ".join(shlex.quote(part) for part in reader_command(db))

    def screen() -> str:
        return tmux(socket, "capture-pane", "-p", "-t", "crash")

    def keys(*names: str) -> None:
        tmux(socket, "send-keys", "-t", "crash", *names)

    try:
        tmux(
            socket,
            *("new-session", "-d", "-s", "crash", "-x", "120", "-y", "36", "-c", str(tmp_path)),
            f"env TERM=xterm-256color {command}",
        )
        pid = int(tmux(socket, "display-message", "-p", "-t", "crash", "#{pane_pid}").strip())
        wait_for(lambda: "2 articles" in screen(), "the list")
        keys("Enter")
        wait_for(lambda: "min read" in screen(), "the article")
        keys("j", "j", "v", "w", "w", "w")
        wait_for(lambda: "VISUAL" in screen(), "a selection")
        keys("h")
        wait_for(lambda: annotation_count(db) > 0, "the highlight in the file")
        os.kill(pid, signal.SIGKILL)
    finally:
        tmux(socket, "kill-server")
    assert_sound(db)
    with Archive(db) as archive:
        (annotation,) = [a for i in archive.iter_article_ids() for a in archive.annotations_for(i)]
        text = archive.get_article(annotation.article_id).text
        assert annotation.exact == text[annotation.start : annotation.end]
        assert annotation.exact.strip()


# --- pool workers -------------------------------------------------------------------

# Seconds the workers of a killed import may take to notice: far more than they need (the
# kernel signals them at once), short enough that a failure does not stall the suite.
ORPHAN_WAIT = 60

THREADED_IMPORT = """
import sys
import threading

from reader.archive import Archive
from reader.importer import import_paths


def run():
    with Archive(sys.argv[1]) as archive:
        import_paths(archive, [sys.argv[2]], jobs=2)


if __name__ == "__main__":  # not in workers, which import this module too
    # From a thread, as the TUI imports: the pool starts its workers through a forkserver.
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
"""


def process_table() -> dict[int, tuple[int, str, int]]:
    """Every process: pid -> (parent pid, state letter, start time in clock ticks)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
        table[int(entry.name)] = (int(fields[1]), fields[0], int(fields[19]))
    return table


def descendants(root: int) -> dict[tuple[int, int], int]:
    """The live processes below `root`: (pid, start time) -> depth (1: a child)."""
    table = process_table()
    found: dict[tuple[int, int], int] = {}
    level, depth = {root}, 1
    while level:
        level = {pid for pid, (ppid, _, _) in table.items() if ppid in level}
        found.update({(pid, table[pid][2]): depth for pid in level})
        depth += 1
    return found


def still_running(processes: dict[tuple[int, int], int]) -> list[int]:
    """Those of `processes` that still run (a zombie waiting to be reaped has ended; a
    new process that got a recorded pid is another one: its start time differs)."""
    table = process_table()
    return [
        pid
        for pid, start in processes
        if pid in table and table[pid][2] == start and table[pid][1] != "Z"
    ]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("face", ["cli", "thread"])
def test_pool_workers_die_with_a_killed_import(tmp_path: Path, face: str) -> None:
    """SIGKILL of the importing process alone (not its group, as a crash or the OOM
    killer would): every process it started, workers and (from a thread) the
    forkserver, ends on its own, instead of living on holding the archive open."""
    pages = tmp_path / "pages"
    write_pages(pages, 600)
    db = tmp_path / "archive.db"
    if face == "cli":  # a single-threaded parent: workers are forked from it
        command = reader_command(db, "import", str(pages), "--jobs", "2")
        worker_depth = 1
    else:  # workers are children of the forkserver
        driver = tmp_path / "threaded_import.py"
        driver.write_text(THREADED_IMPORT, encoding="utf-8")
        command = [sys.executable, str(driver), str(db), str(pages)]
        worker_depth = 2
    process = spawn(command, tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT
        while True:
            assert process.poll() is None, "the import ended before its workers were seen"
            started = descendants(process.pid)
            workers = [pid for (pid, _), depth in started.items() if depth == worker_depth]
            if len(workers) >= 2:
                break
            assert time.monotonic() < deadline, f"no workers started: {started}"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=WAIT)
        deadline = time.monotonic() + ORPHAN_WAIT
        while still_running(started) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert still_running(started) == [], "processes outlived the killed import"
    finally:
        kill_group(process)
