"""Export file names on the corpus titles: reader.export.names against an older version.

    python bench/export_names.py                  # against git 1637db3 (before pathvalidate)
    python bench/export_names.py --old PATH|REV   # another names.py: a file or a git rev

A re-export finds an article's file by its name, so a change of naming would write a
second file beside each renamed one. This lists every title (the readability pages'
expected titles and the modern-pages ground truth, plus hostile ones) whose name
differs, and times both versions on them. Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from types import ModuleType

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.anchor import load_module, old_source

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OLD_REVISION = "1637db3"
HOSTILE = ["CON", "nul", "LPT1", "com¹", "CLOCK$", "conin$", "../../etc/passwd", "", "🎉"]


def titles() -> dict[str, list[str]]:
    readability = [
        json.loads(path.read_text()).get("title") or ""
        for path in sorted((CORPORA / "readability-pages").glob("*/expected-metadata.json"))
    ]
    truth = json.loads((CORPORA / "modern-pages" / "ground-truth.json").read_text())
    modern = [truth[key].get("title") or "" for key in sorted(truth)]
    return {"readability": readability, "modern": modern, "hostile": HOSTILE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", default=OLD_REVISION, help="old names.py: a file or a git rev")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    old = load_module("names_old", old_source(args.old, "reader/export/names.py"))
    from reader.export import names as new

    for corpus, found in titles().items():
        changed = [
            (t, old.article_filename(t, t), new.article_filename(t, t))
            for t in found
            if old.article_filename(t, t) != new.article_filename(t, t)
        ]
        print(f"{corpus}: {len(found)} titles, {len(changed)} names changed")
        for title, before, after in changed:
            print(f"  {title!r}: {before!r} -> {after!r}")

    every = [t for found in titles().values() for t in found]
    for name, module in (("old", old), ("new", new)):
        best = min(timed(module, every) for _ in range(args.runs))
        print(f"{name}: {best * 1e6 / len(every):.1f} us a name (best of {args.runs})")


def timed(module: ModuleType, every: list[str]) -> float:
    began = time.perf_counter()
    for title in every:
        module.article_filename(title, title)
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
