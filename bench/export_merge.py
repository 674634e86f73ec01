"""A folder export's cost since #22 (presets, merging into edited files), by hand.

    python bench/export_merge.py [--articles 200] [--highlights 10] [--pictures 0]

Times a first export of N articles x H highlights into a folder, an unchanged re-run,
and a re-run after a line was appended to every file (the merge path: each file's
notes read back, reader's blocks put in place). `--pictures P` gives every article P
kept pictures (distinct 200x150 PNGs of noise, ~90 KB each) and times the first export
and the unchanged re-run with and without `pictures=True` side by side, each into a
folder of its own. Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive
from reader.document import Block, Document
from reader.export import ExportError, export_markdown
from reader.ingest.page import ExtractedPage, RawPage
from reader.models import StoredImage


def noise_png(width: int = 200, height: int = 150) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


def timed(label: str, run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    took = time.perf_counter() - began
    print(f"{label}: {took:.3f} s")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--highlights", type=int, default=10)
    parser.add_argument("--pictures", type=int, default=0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-export-merge-"))
    with Archive(root / "archive.db") as archive:
        for i in range(args.articles):
            paras = [f"Paragraph {j} of article {i}, with words." for j in range(args.highlights)]
            html = "".join(f"<p>{p}</p>" for p in paras).encode()
            raw = RawPage(
                data=html, html=html, filename="p.html", kind="html", url=f"https://e.com/{i}"
            )
            blocks = [Block("paragraph", p) for p in paras]
            images: list[StoredImage] = []
            for k in range(args.pictures):  # a figure after every few paragraphs
                src = f"a{i}_files/p{k}.png"
                data = noise_png()
                sha = hashlib.sha256(data).hexdigest()
                images.append(StoredImage(src, sha, "image/png", 200, 150, data))
                at = min(len(blocks), (k + 1) * (len(blocks) // (args.pictures + 1)) + k)
                figure = Block("figure", f"Picture {k}", src=f"https://e.com/{src}")
                blocks.insert(at, figure)
            page = ExtractedPage(
                document=Document(tuple(blocks)),
                title=f"Article {i}",
                url=f"https://e.com/{i}",
                images=tuple(images),
            )
            article_id = archive.add_article(page, raw)
            text = archive.get_article(article_id).text
            for j, para in enumerate(paras):
                start = text.index(para)
                archive.add_highlight(article_id, start, start + 20, note=f"note {j}")
        if args.pictures:
            plain, with_pictures = root / "plain", root / "with-pictures"
            for label in ("first export", "unchanged re-run"):
                timed(f"{label}, no pictures", lambda: export_markdown(archive, None, plain))
                timed(
                    f"{label}, --pictures",
                    lambda: export_markdown(archive, None, with_pictures, pictures=True),
                )
            files = list((with_pictures / "assets").iterdir())
            size = sum(f.stat().st_size for f in files)
            print(f"assets: {len(files)} pictures, {size / 1e6:.1f} MB")
            return
        out = root / "notes"
        for label in ("first export", "unchanged re-run"):
            began = time.perf_counter()
            export_markdown(archive, None, out)
            print(f"{label}: {time.perf_counter() - began:.3f} s")
        for path in out.glob("*.md"):
            path.write_text(path.read_text() + "\nA line of mine.\n")
        began = time.perf_counter()
        try:
            export_markdown(archive, None, out)
            print(f"re-run, every file edited: {time.perf_counter() - began:.3f} s")
        except ExportError:
            print(f"re-run, every file edited: refused in {time.perf_counter() - began:.3f} s")


if __name__ == "__main__":
    main()
