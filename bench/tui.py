"""TUI timings, in-process: `python -m bench.tui {startup,scroll,reading,rss} PATH`.

Each probe runs ReaderApp under Textual's `App.run_test()` (headless, 120x40) in a
fresh Python process, so one probe's caches and imports never flatter the next.

"Painted" means: Textual's compositor rendered a frame and handed it to the driver
(`App._display`, which every frame goes through; the headless driver then drops it).
We wrap `_display` on the app instance and stamp each frame with time.perf_counter()
before anything else, and decide whether the frame shows what we wait for from the
frame's own text (e.g. the first row's title) or from the widget state that frame was
rendered from (rendering and `_display` run back to back, with no await between).
Writing the frame's escape codes to a real terminal is not included here; bench/tmux.py
measures that end to end.

The probes print JSON; the `measure_*` functions run them as subprocesses and turn the
numbers into `Measurement`s for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if __package__ in (None, ""):  # run as a script: make `bench` and `reader` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ROOT, Measurement, failed

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from reader.ingest.page import ExtractedPage, RawPage
    from reader.tui.app import ReaderApp

SIZE = (120, 40)
LONG_WORDS = 20_000
LONG_URL = "https://bench.invalid/long-read-20000-words"
LONG_TITLE = "The long read: twenty thousand words for the reading benchmark"
SEARCH_WORD = "cafe"  # finds café: a generated word in a few hundred+ articles at any size
TIMEOUT = 60.0  # seconds to wait for anything before calling it a failure


# -- frames ---------------------------------------------------------------------------


def frame_text(update: object) -> str:
    """The characters a compositor update puts on screen (full or partial), line by line."""
    from textual._compositor import ChopsUpdate, LayoutUpdate

    if isinstance(update, LayoutUpdate):
        return "\n".join("".join(strip.text for strip in line) for line in update.strips)
    if isinstance(update, ChopsUpdate):
        lines = []
        for y, _x1, _x2 in update.spans:
            lines.append("".join(s.text for s in update.chops[y].values() if s is not None))
        return "\n".join(lines)
    return ""


class Frames:
    """Every frame the app paints: when, and whether it showed what `want` looks for.

    `want(text)` is called with the frame's text right after the timestamp is taken,
    so its cost is never part of a measured time.
    """

    def __init__(self, app: ReaderApp) -> None:
        self.times: list[float] = []
        self.matched: list[float] = []
        self.want: Callable[[str], bool] | None = None
        self.cpu: dict[float, float] = {}
        self.since_cpu = 0.0
        self.last_cpu = 0.0  # frame stamp -> this process's CPU seconds then
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            stamp = time.perf_counter()
            self.cpu[stamp] = time.process_time()
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            self.times.append(stamp)
            if self.want is not None and self.want(frame_text(renderable)):
                self.matched.append(stamp)

        app._display = display  # type: ignore[method-assign]

    def start(self) -> float:
        """Now, as the start of a timing (wall clock; the CPU clock is noted too)."""
        self.since_cpu = time.process_time()
        return time.perf_counter()

    def first_after(self, since: float, matched: bool = True) -> float | None:
        for stamp in self.matched if matched else self.times:
            if stamp >= since:
                return stamp
        return None

    async def wait(self, since: float, matched: bool = True, timeout: float = TIMEOUT) -> float:
        """Seconds from `since` to the first (matching) frame after it; raises on timeout.

        `self.last_cpu` is then the CPU seconds this process used in that time, when
        `since_cpu` was set to time.process_time() together with `since`: on a busy
        machine the wall time includes waiting for a core, the CPU time does not.
        """
        deadline = time.perf_counter() + timeout
        while True:
            stamp = self.first_after(since, matched)
            if stamp is not None:
                self.last_cpu = self.cpu[stamp] - self.since_cpu
                return stamp - since
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no {'matching ' if matched else ''}frame in {timeout:.0f} s")
            await asyncio.sleep(0.001)


def shows(text: str) -> Callable[[str], bool]:
    """A frame predicate: the frame contains the start of `text` (rows truncate titles)."""
    needle = " ".join(text.split())[:14]
    return lambda frame: needle in frame


async def first_rows(app: ReaderApp, frames: Frames, since: float) -> float:
    """Seconds from `since` until a frame shows the library list's first row (its title).

    The first row's title is only known once the list has loaded, so frames are
    checked against the list's state: a frame counts when the list had its first page
    when it was rendered and the frame's text holds that row's title.
    """
    from reader.tui.widgets.article_list import ArticleList

    def want(frame: str) -> bool:
        try:
            articles = app.screen.query_one(ArticleList)
        except Exception:
            return False
        if not articles.loaded:
            return False
        if articles.total == 0:
            return True  # an empty archive: the empty message is the first row
        hit = articles._pages.get(0, [None])[0] if articles._pages else None
        return hit is not None and shows(hit.article.title or "(untitled)")(frame)

    frames.want = want
    return await frames.wait(since)


# -- probes (each in its own process) -------------------------------------------------


async def startup_probe(path: Path) -> dict[str, float]:
    """App construction to the first frame that shows the list's first row."""
    began = time.perf_counter()
    from reader.tui.app import ReaderApp

    imported, cpu = time.perf_counter(), time.process_time()
    app = ReaderApp(path)
    frames = Frames(app)
    frames.since_cpu = cpu
    async with app.run_test(size=SIZE):
        seconds = await first_rows(app, frames, imported)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "first_paint": seconds,
        "cpu": frames.last_cpu,
        "import": imported - began,
        "rss_mb": rss,
    }


def _rows_ready(app: ReaderApp) -> bool:
    """Every row the list shows has its page loaded (no "…" placeholders on screen)."""
    from reader.tui.widgets.article_list import PAGE_SIZE, ArticleList

    articles = app.screen.query_one(ArticleList)
    if not articles.total:
        return True
    height = articles.row_height
    first = int(articles.scroll_offset.y) // height
    last = min(articles.total - 1, first + articles.visible_rows)
    return all(page in articles._pages for page in {first // PAGE_SIZE, last // PAGE_SIZE})


def send_key(app: ReaderApp, key: str) -> None:
    """A key press as the terminal driver delivers it (what Pilot.press sends, without
    its waits for idle, which would stretch a 6,000-key run by minutes)."""
    from textual import events

    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]


class GCPauses:
    """CPU milliseconds of each full (generation 2) garbage collection from now on.

    A full collection walks every tracked object, Textual's included, and the frame it
    lands in waits for it: the usual cause of a periodic slow frame.
    """

    def __init__(self) -> None:
        self.times: list[float] = []
        self._began = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.process_time()
        else:
            self.times.append((time.process_time() - self._began) * 1000)


async def scroll_probe(path: Path, max_presses: int | None = None) -> dict[str, Any]:
    """Page-down from the top of the library to its last row, timing every key.

    Each key is sent only after the previous one's frames arrived. For each press:
    key to the next painted frame ("frame"), and key to the first
    frame whose rows were all loaded ("rows": a row whose page is still being fetched
    shows a "…" placeholder, which is a frame, but not yet the rows).
    """
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.article_list import ArticleList

    app = ReaderApp(path)
    frames = Frames(app)
    frame_ms: list[float] = []
    rows_ms: list[float] = []
    cpu_ms: list[float] = []
    placeholder = 0
    async with app.run_test(size=SIZE) as pilot:
        await first_rows(app, frames, time.perf_counter())
        # Let start-up finish (sidebar counts, footer) first: a key pressed during it
        # waits for that work, which is start-up's cost, not scrolling's.
        await pilot.pause()
        await asyncio.sleep(0.2)
        articles = app.screen.query_one(ArticleList)
        total, per_page = articles.total, articles.visible_rows
        presses = math.ceil(total / per_page) + 1
        if max_presses is not None:
            presses = min(presses, max_presses)
        frames.want = lambda _text: _rows_ready(app)
        pauses = GCPauses()
        began = time.perf_counter()
        for _ in range(presses):
            if articles.cursor >= total - 1:
                break
            since = frames.start()
            send_key(app, "pagedown")
            frame_ms.append(await frames.wait(since, matched=False) * 1000)
            cpu_ms.append(frames.last_cpu * 1000)
            rows = await frames.wait(since) * 1000
            rows_ms.append(rows)
            if rows > frame_ms[-1]:
                placeholder += 1
        seconds = time.perf_counter() - began
        gc.callbacks.remove(pauses.callback)
        reached = articles.cursor
    return {
        "frame_ms": frame_ms,
        "rows_ms": rows_ms,
        "cpu_ms": cpu_ms,
        "presses": len(frame_ms),
        "rows": total,
        "rows_per_page": per_page,
        "reached": reached,
        "placeholder_presses": placeholder,
        "seconds": seconds,
        "gc2_ms": pauses.times,
    }


def long_page(words: int = LONG_WORDS, seed: int = 20_000) -> tuple[ExtractedPage, RawPage]:
    """A generated article of `words` words (paragraphs, a heading every few), as the
    ingest pipeline would hand it to Archive.add_article."""
    from html import escape

    from bench import make_archive
    from reader.document import Block, Document
    from reader.ingest.page import ExtractedPage, RawPage

    make_archive._init(seed)
    rng = random.Random(seed)
    blocks: list[Block] = []
    count = 0
    while count < words:
        if blocks and len(blocks) % 9 == 0:
            heading = make_archive._title(rng)
            blocks.append(Block("heading", heading, level=2))
            count += len(heading.split())
        paragraph = " ".join(make_archive._sentence(rng) for _ in range(rng.randint(3, 7)))
        blocks.append(Block("paragraph", paragraph))
        count += len(paragraph.split())
    document = Document(tuple(blocks))
    html = (
        f"<html><head><title>{escape(LONG_TITLE)}</title></head><body><article>"
        + "".join(
            f"<h2>{escape(b.text)}</h2>" if b.kind == "heading" else f"<p>{escape(b.text)}</p>"
            for b in blocks
        )
        + "</article></body></html>"
    ).encode()
    raw = RawPage(data=html, html=html, filename="long-read.html", kind="html", url=LONG_URL)
    page = ExtractedPage(
        document=document,
        title=LONG_TITLE,
        byline="Bench Mark",
        site_name="Bench",
        url=LONG_URL,
        published="2026-01-01",
    )
    return page, raw


def remove_long_article(path: Path) -> None:
    """Delete the long article a reading run added (also one an interrupted run left)."""
    from reader.archive import Archive

    with Archive(path) as archive:
        article_id = archive.find_duplicate(LONG_URL, hashlib.sha256(b"").hexdigest())
        if article_id is not None:
            archive.delete_article(article_id)


def add_long_article(path: Path) -> int:
    """Add the 20,000-word article to the archive at `path` (the newest, so row 0)."""
    from reader.archive import Archive

    remove_long_article(path)
    page, raw = long_page()
    with Archive(path) as archive:
        return archive.add_article(page, raw)


async def _open(pilot: Pilot, app: ReaderApp, frames: Frames, article_id: int) -> float:
    """Enter on the library's first row (the article) to the first painted reading view."""
    from reader.tui.widgets.article_list import ArticleList

    articles = app.screen.query_one(ArticleList)
    frames.want = lambda text: (
        type(app.screen).__name__ == "ReadingScreen" and shows(LONG_TITLE)(text)
    )
    since = frames.start()
    current = articles.current
    if current is not None and current.article.id == article_id:
        await pilot.press("enter")
    else:  # not row 0 (say, an article dated in the future): open it as enter would
        articles.post_message(ArticleList.Opened(article_id))
    return await frames.wait(since)


async def reading_probe(path: Path, runs: int) -> dict[str, Any]:
    """Open the long article from the library `runs` times (escape back in between)."""
    from reader.archive import Archive
    from reader.tui.app import ReaderApp

    with Archive(path) as archive:
        article_id = archive.find_duplicate(LONG_URL, "")
        if article_id is None:
            raise SystemExit("no long article: run add_long_article first")
        words = archive.get_summary(article_id).word_count  # type: ignore[union-attr]
    app = ReaderApp(path)
    frames = Frames(app)
    times: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await first_rows(app, frames, time.perf_counter())
        for _ in range(runs):
            times.append(await _open(pilot, app, frames, article_id) * 1000)
            cpu.append(frames.last_cpu * 1000)
            await pilot.press("escape")
            frames.want = None
            while type(app.screen).__name__ == "ReadingScreen":
                await asyncio.sleep(0.005)
            await pilot.press("g")  # back to row 0 (the back trip restores the list)
    return {"open_ms": times, "cpu_ms": cpu, "words": words}


async def rss_probe(path: Path) -> dict[str, Any]:
    """Open the library, search, read an article and page through it: peak RSS."""
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.article_list import ArticleList

    app = ReaderApp(path)
    frames = Frames(app)
    marks: dict[str, float] = {}

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    async with app.run_test(size=SIZE) as pilot:
        await first_rows(app, frames, time.perf_counter())
        marks["opened"] = peak()
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash", *SEARCH_WORD)
        deadline = time.perf_counter() + TIMEOUT
        while not (articles.query_.has_text and articles.loaded):
            if time.perf_counter() > deadline:
                raise TimeoutError("the search never finished")
            await asyncio.sleep(0.01)
        await first_rows(app, frames, time.perf_counter() - 1)
        marks["searched"] = peak()
        marks["hits"] = articles.total
        await pilot.press("enter")  # from the search bar back to the list
        await pilot.press("enter")  # open the first hit
        while type(app.screen).__name__ != "ReadingScreen":
            if time.perf_counter() > deadline:
                raise TimeoutError("the article never opened")
            await asyncio.sleep(0.01)
        for _ in range(30):
            await pilot.press("space")
        await pilot.press("G")
        await pilot.pause()
        marks["read"] = peak()
        await pilot.press("escape")
        await pilot.pause()
    marks["peak"] = peak()
    return marks


# -- the parent side ------------------------------------------------------------------


def _probe(*args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run `python -m bench.tui ARGS` from the repo root; its JSON output."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.tui", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(" | ".join(tail) or f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_startup(path: Path, small: Path, runs: int) -> list[Measurement]:
    """First paint on `path` and on the small archive, alternating runs, and their ratio."""
    what = "cold start to first painted library (in-process)"
    budget = "< 1.0 s"
    how = (
        f"run_test {SIZE[0]}x{SIZE[1]}, fresh process per run; perf_counter from before"
        " ReaderApp() to the first frame showing row 1's title (imports excluded)"
    )
    try:
        big, little, imports, cpu = [], [], [], []
        for _ in range(runs):
            result = _probe("startup", str(path))
            big.append(result["first_paint"])
            imports.append(result["import"])
            cpu.append(result["cpu"])
            little.append(_probe("startup", str(small))["first_paint"])
    except Exception as error:
        return [failed(what, budget, how, error)]
    ratio = statistics.median(big) / statistics.median(little)
    return [
        Measurement(
            what,
            budget,
            big,
            "s",
            statistics.median(big) < 1.0,
            f"{how}; median CPU {statistics.median(cpu) * 1000:.0f} ms,"
            f" imports before it {statistics.median(imports) * 1000:.0f} ms",
            extra={"import_s": imports, "cpu_s": cpu},
        ),
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


def measure_reading(path: Path, runs: int) -> list[Measurement]:
    """Open a 20,000-word article added to the archive, then remove it again."""
    what = f"open a {LONG_WORDS:,}-word article to first painted reading view"
    budget = "< 0.2 s"
    how = (
        "run_test; article added via Archive.add_article (removed after); enter on its"
        " row to the first frame of ReadingScreen showing its title"
    )
    try:
        add_long_article(path)
        try:
            result = _probe("reading", str(path), "--runs", str(runs))
        finally:
            remove_long_article(path)
    except Exception as error:
        return [failed(what, budget, how, error)]
    values = [ms / 1000 for ms in result["open_ms"]]
    cpu = statistics.median(result["cpu_ms"])
    return [
        Measurement(
            what,
            budget,
            values,
            "s",
            statistics.median(values) < 0.2 and max(values) < 0.2,
            how + f" ({result['words']:,} words); first open {values[0] * 1000:.0f} ms;"
            f" median CPU {cpu:.0f} ms",
            extra=result,
        )
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_scroll(path: Path, max_presses: int | None = None) -> list[Measurement]:
    """Page-down through the whole list; the slowest frame is what the budget judges."""
    what = "scroll the library top to bottom by page-down, key to next frame"
    budget = "every frame < 50 ms"
    args = ["scroll", str(path)] + ([] if max_presses is None else ["--runs", str(max_presses)])
    how = "run_test; a pagedown key from the driver to the next painted frame"
    try:
        result = _probe(*args)
    except Exception as error:
        return [failed(what, budget, how, error)]
    frame = [ms / 1000 for ms in result["frame_ms"]]
    cpu = result["cpu_ms"]
    slowest = sorted(range(len(frame)), key=frame.__getitem__)[-3:]
    rows = [ms / 1000 for ms in result["rows_ms"]]
    note = (
        f"{result['presses']:,} presses over {result['rows']:,} rows"
        f" ({result['rows_per_page']} a page, reached row {result['reached'] + 1:,});"
        f" p95 {percentile(frame, 0.95) * 1000:.0f} ms; CPU per key median"
        f" {statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms; slowest presses"
        f" {', '.join(f'#{i + 1}' for i in reversed(slowest))}; {len(result['gc2_ms'])} full"
        f" GC pauses, max {max(result['gc2_ms'], default=0):.0f} ms CPU"
    )
    return [
        Measurement(
            what, budget, frame, "s", max(frame, default=1) < 0.05, f"{how}; {note}", extra=result
        ),
        Measurement(
            "  same, key to a frame with every visible row loaded",
            "every frame < 50 ms",
            rows,
            "s",
            max(rows, default=1) < 0.05,
            f"rows not yet fetched show '…'; {result['placeholder_presses']} presses showed"
            " placeholders first",
        ),
    ]


def measure_rss(path: Path) -> list[Measurement]:
    """Peak RSS of one process that opens the library, searches and reads."""
    what = "peak RSS of the TUI after opening, searching, reading"
    budget = "< 250 MB"
    how = (
        f"getrusage(RUSAGE_SELF).ru_maxrss of a run_test process: first paint, search"
        f" '{SEARCH_WORD}', open the first hit, 30 pages + end, back"
    )
    try:
        result = _probe("rss", str(path))
    except Exception as error:
        return [failed(what, budget, how, error)]
    return [
        Measurement(
            what,
            budget,
            [result["peak"]],
            "MB",
            result["peak"] < 250,
            how + f" (after first paint {result['opened']:.0f} MB, after search"
            f" {result['searched']:.0f} MB, {result['hits']:,} hits)",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe", choices=("startup", "scroll", "reading", "rss"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="reading: opens; scroll: presses")
    parser.add_argument(
        "--profile", type=Path, help="write a pyinstrument profile of the probe here (text)"
    )
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path}: no such archive")
    profiler = None
    if args.profile:
        from pyinstrument import Profiler  # a developer tool, not a dependency

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    if args.probe == "startup":
        result: dict[str, Any] = asyncio.run(startup_probe(args.path))
    elif args.probe == "scroll":
        max_presses = args.runs if "--runs" in (argv or sys.argv) else None
        result = asyncio.run(scroll_probe(args.path, max_presses))
    elif args.probe == "reading":
        result = asyncio.run(reading_probe(args.path, args.runs))
    else:
        result = asyncio.run(rss_probe(args.path))
    if profiler is not None:
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=True, show_all=False))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
