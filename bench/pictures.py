"""Pictures (issue 24): what keeping them costs. `python -m bench.pictures [--articles N]`.

Run by hand; prints JSON and a table, each figure beside its baseline from the same run:

- archive growth: `--pages` generated MHTML pages (a ~1,500-word article with
  `--per-page` photo-like JPEG parts, 1200x800, each page's own) imported by
  `reader --db FRESH import DIR --jobs 1` as a subprocess; the archive's bytes on disk
  (file + -wal) per page and what the `images` table holds, against the same pages
  saved without their image parts. The import's wall time and peak RSS
  (RUSAGE_CHILDREN of a wrapper process: that import alone) beside them.
- opening a 20,000-word article with 50 pictures (bench/tui.py's long read, a figure
  every few paragraphs, 50 kept pictures as an import keeps them) against the same
  article without pictures (its figures then show captions only), in an archive of
  `--articles` generated articles (bench/make_archive.py, cached in bench/output/);
  enter on its row to the first painted reading view, as bench/tui.py's reading probe
  (the issue's budget: 43 ms at 100,000 articles). Variants alternate, each in a fresh
  process, `--rounds` times.
- peak RSS of that process, after the opens and after paging to the article's end
  (every picture on the way decoded and drawn).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import OUTPUT, ROOT
from bench.import_rate import reader_command

PHOTO = (1200, 800)


def photo(seed: int, size: tuple[int, int] = PHOTO) -> bytes:
    """A photo-like JPEG (smooth gradients, some noise): compresses as photos do."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.new("RGB", (24, 16))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(24 * 16)])
    image = small.resize(size, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# -- archive growth ---------------------------------------------------------------------


def mhtml_page(n: int, pictures: int, with_parts: bool) -> bytes:
    """Page `n`: an article with `pictures` figures; their JPEG parts when `with_parts`."""
    import base64
    from html import escape

    from bench import make_archive

    make_archive._init(1)
    rng = random.Random(n)
    base = f"https://bench.invalid/{n}/"
    blocks = []
    for k in range(12):
        paragraph = " ".join(make_archive._sentence(rng) for _ in range(rng.randint(5, 9)))
        blocks.append(f"<p>{escape(paragraph)}</p>")
        if k % 2 == 1 and k // 2 < pictures:
            blocks.append(
                f'<figure><img src="{base}p{k}.jpg" alt="Picture {k}">'
                f"<figcaption>Picture {k} of page {n}</figcaption></figure>"
            )
    title = escape(make_archive._title(rng))
    html = (
        f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{''.join(blocks)}</article></body></html>"
    )
    parts = [
        "Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Location: {base}\r\n\r\n" + base64.encodebytes(html.encode()).decode()
    ]
    if with_parts:
        for k in range(1, 2 * pictures, 2):
            parts.append(
                "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
                f"Content-Location: {base}p{k}.jpg\r\n\r\n"
                + base64.encodebytes(photo(n * 100 + k)).decode()
            )
    body = "".join(f"------B\r\n{part}\r\n" for part in parts)
    return (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {base}\r\nSubject: {title}\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html";'
        ' boundary="----B"\r\n\r\n' + body + "------B--\r\n"
    ).encode()


WRAPPER = """
import resource, subprocess, sys, time
began = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - began
if done.returncode:
    sys.exit(done.stderr.decode()[-500:])
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


KEPT = "SELECT count(*), coalesce(sum(length(data)), 0) FROM images"


def growth(pages: int, per_page: int) -> dict[str, Any]:
    """Bytes per page on disk with and without the pictures, and the imports' costs."""
    import sqlite3

    result: dict[str, Any] = {"pages": pages, "pictures_per_page": per_page}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in ("without", "with"):
            folder = Path(tmp) / variant
            folder.mkdir()
            for n in range(pages):
                data = mhtml_page(n, per_page, variant == "with")
                (folder / f"page-{n}.mhtml").write_bytes(data)
            saved = sum(p.stat().st_size for p in folder.iterdir())
            db = Path(tmp) / f"{variant}.db"
            command = [*reader_command(), "--db", str(db), "import", str(folder), "--jobs", "1"]
            out = subprocess.run(
                [sys.executable, "-c", WRAPPER, *command],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            files = [Path(f"{db}{suffix}") for suffix in ("", "-wal")]
            size = sum(f.stat().st_size for f in files if f.exists())
            with sqlite3.connect(db) as conn:
                kept = conn.execute(KEPT).fetchone()
            result[variant] = {
                "saved_bytes_per_page": saved / pages,
                "archive_bytes_per_page": size / pages,
                "pictures_kept": kept[0],
                "picture_bytes_per_page": kept[1] / pages,
                "import_seconds": float(out[0]),
                "import_peak_rss_mb": int(out[1]) / 1024,
            }
    return result


# -- opening a long article with 50 pictures ----------------------------------------------


LONG_PICTURES = 50


def add_long(path: Path, pictures: bool) -> int:
    """bench/tui.py's 20,000-word article with LONG_PICTURES figures, their pictures kept
    (`pictures`) or not; the newest article, so row 0."""
    import dataclasses

    from bench.tui import long_page, remove_long_article
    from reader.archive import Archive
    from reader.document import Block, Document
    from reader.ingest.images import encode_image
    from reader.models import StoredImage

    remove_long_article(path)
    page, raw = long_page()
    blocks = list(page.document.blocks)
    step = len(blocks) // (LONG_PICTURES + 1)
    images = []
    for k in range(LONG_PICTURES, 0, -1):
        src = f"https://bench.invalid/long/{k}.jpg"
        blocks.insert(k * step, Block("figure", f"Picture {k}", alt=f"Picture {k}", src=src))
        if pictures:
            encoded = encode_image(photo(10_000 + k))
            images.append(
                StoredImage(
                    src,
                    hashlib.sha256(encoded.data).hexdigest(),
                    encoded.media_type,
                    encoded.width,
                    encoded.height,
                    encoded.data,
                )
            )
    page = dataclasses.replace(page, document=Document(tuple(blocks)), images=tuple(images))
    with Archive(path) as archive:
        return archive.add_article(page, raw)


async def open_probe(path: Path, runs: int) -> dict[str, Any]:
    """Open the long article `runs` times from the library; then page to its end."""
    from bench.tui import LONG_URL, SIZE, Frames, _open, first_rows
    from reader.archive import Archive
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.article_view import ArticleView

    with Archive(path) as archive:
        article_id = archive.find_duplicate(LONG_URL, "")
        assert article_id is not None, "no long article"
        pictures = len(archive.images_of(article_id, data=False))

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    app = ReaderApp(path)
    frames = Frames(app)
    times: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await first_rows(app, frames, time.perf_counter())
        rss_library = peak()
        for n in range(runs):
            times.append(await _open(pilot, app, frames, article_id) * 1000)
            cpu.append(frames.last_cpu * 1000)
            if n == runs - 1:
                break
            await pilot.press("escape")
            frames.want = None
            while type(app.screen).__name__ == "ReadingScreen":
                await asyncio.sleep(0.005)
            await pilot.press("g")
        rss_opened = peak()
        view = app.screen.query_one(ArticleView)
        began = time.perf_counter()
        while view.scroll_y < view.max_scroll_y:
            await pilot.press("space")
            await pilot.pause()
            if view._pictures is not None:
                view._pictures.wait()
            await pilot.pause()
        paged = time.perf_counter() - began
    return {
        "open_ms": times,
        "cpu_ms": cpu,
        "pictures": pictures,
        "rss_library_mb": rss_library,
        "rss_opened_mb": rss_opened,
        "rss_paged_mb": peak(),
        "paged_seconds": paged,
    }


def opening(archive: Path, rounds: int, runs: int) -> dict[str, Any]:
    from bench.tui import remove_long_article

    found: dict[str, list[dict[str, Any]]] = {"without": [], "with": []}
    try:
        for _ in range(rounds):
            for variant in ("without", "with"):
                add_long(archive, variant == "with")
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.pictures",
                        "probe",
                        str(archive),
                        "--runs",
                        str(runs),
                    ],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found[variant].append(json.loads(done.stdout))
    finally:
        remove_long_article(archive)
    summary: dict[str, Any] = {}
    for variant, results in found.items():
        opens = [ms for r in results for ms in r["open_ms"]]
        summary[variant] = {
            "pictures": results[0]["pictures"],
            "open_ms_median": statistics.median(opens),
            "open_ms_max": max(opens),
            "open_ms_first": [r["open_ms"][0] for r in results],
            "cpu_ms_median": statistics.median(ms for r in results for ms in r["cpu_ms"]),
            "rss_opened_mb": max(r["rss_opened_mb"] for r in results),
            "rss_paged_mb": max(r["rss_paged_mb"] for r in results),
            "paged_seconds": statistics.median(r["paged_seconds"] for r in results),
        }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    probe = sub.add_parser("probe", help="(internal) one process's opens")
    probe.add_argument("path", type=Path)
    probe.add_argument("--runs", type=int, default=5)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--archive", type=Path, help="this archive (else generated, cached)")
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--per-page", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="opens per process")
    args = parser.parse_args(argv)
    if args.command == "probe":
        print(json.dumps(asyncio.run(open_probe(args.path, args.runs))))
        return 0
    from bench.run import ensure_archive

    archive = (
        args.archive or ensure_archive(args.articles, OUTPUT / f"archive-{args.articles}.db")[0]
    )
    from reader.archive import Archive

    with Archive(archive) as opened:
        count = opened.article_count()
    result = {
        "growth": growth(args.pages, args.per_page),
        "opening": opening(archive, args.rounds, args.runs),
        "articles": count,
    }
    print(json.dumps(result, indent=2))
    g, o = result["growth"], result["opening"]
    print(f"\nper page ({args.per_page} pictures of {PHOTO[0]}x{PHOTO[1]}), {args.pages} pages:")
    for variant in ("without", "with"):
        v = g[variant]
        print(
            f"  {variant:8} saved {v['saved_bytes_per_page'] / 1024:7.0f} KB"
            f"  archive {v['archive_bytes_per_page'] / 1024:7.0f} KB"
            f" (pictures {v['picture_bytes_per_page'] / 1024:5.0f} KB)"
            f"  import {v['import_seconds']:5.1f} s  peak RSS {v['import_peak_rss_mb']:5.0f} MB"
        )
    print(f"20,000-word article, {count:,} articles in the archive:")
    for variant in ("without", "with"):
        v = o[variant]
        print(
            f"  {variant:8} {v['pictures']:2} pictures: open median {v['open_ms_median']:5.1f} ms"
            f" (max {v['open_ms_max']:5.1f}; CPU {v['cpu_ms_median']:5.1f})"
            f"  peak RSS opened {v['rss_opened_mb']:4.0f} MB,"
            f" paged to the end {v['rss_paged_mb']:4.0f} MB ({v['paged_seconds']:.1f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
