"""A folder export's cost since #22 (presets, merging into edited files), by hand.

    python bench/export_merge.py [--articles 200] [--highlights 10]

Times a first export of N articles x H highlights into a folder, an unchanged re-run,
and a re-run after a line was appended to every file (the merge path: each file's
notes read back, reader's blocks put in place). Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive
from reader.document import Block, Document
from reader.export import ExportError, export_markdown
from reader.ingest.page import ExtractedPage, RawPage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--highlights", type=int, default=10)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-export-merge-"))
    with Archive(root / "archive.db") as archive:
        for i in range(args.articles):
            paras = [f"Paragraph {j} of article {i}, with words." for j in range(args.highlights)]
            html = "".join(f"<p>{p}</p>" for p in paras).encode()
            raw = RawPage(
                data=html, html=html, filename="p.html", kind="html", url=f"https://e.com/{i}"
            )
            page = ExtractedPage(
                document=Document(tuple(Block("paragraph", p) for p in paras)),
                title=f"Article {i}",
                url=f"https://e.com/{i}",
            )
            article_id = archive.add_article(page, raw)
            text = archive.get_article(article_id).text
            for j, para in enumerate(paras):
                start = text.index(para)
                archive.add_highlight(article_id, start, start + 20, note=f"note {j}")
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
