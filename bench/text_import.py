"""Import rate of plain-text and Markdown articles beside the same articles as HTML.

    python bench/text_import.py                 # 200 articles a format, 3 runs, --jobs 1
    python bench/text_import.py --count 50 --runs 1 --jobs 2

Generates N articles (about 1,200 words each, from bench/make_archive.py's vocabulary,
seeded: the same files every time) and writes each three ways: a "Save as Text" file
(title, date, byline, hard-wrapped paragraphs at 72 columns, a promo line, an
"Original url:" footer), an Obsidian Web Clipper style Markdown clip (front matter,
headings, a list, a quote, ==marks==) and a plain HTML page with the same blocks. Each
format is imported by `reader --db FRESH import DIR --jobs J` as a subprocess, a fresh
archive a run, timed launch to exit (start-up and imports included, as a user pays
them). The formats are interleaved run by run, so a noisy moment hits all three.
Prints JSON: pages/s a run and format, and the articles saved.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import textwrap
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import make_archive
from bench.import_rate import reader_import

FORMATS = ("html", "text", "markdown")


def _article(rng: random.Random, index: int) -> dict[str, object]:
    paragraphs = [
        " ".join(make_archive._sentence(rng) for _ in range(rng.randint(3, 6)))
        for _ in range(rng.randint(10, 16))
    ]
    return {
        "title": make_archive._title(rng),
        "date": f"2023-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "author": f"Author {index % 37}",
        "url": f"https://site{index % 9}.example.com/articles/{index}",
        "heading": make_archive._title(rng),
        "paragraphs": paragraphs,
        "items": [make_archive._sentence(rng) for _ in range(4)],
    }


def _as_text(a: dict) -> str:
    body = [textwrap.fill(p, 72) for p in a["paragraphs"]]
    body.insert(len(body) // 2, "Related article: " + a["heading"])
    return "\n\n".join(
        [a["title"], a["date"], "By " + a["author"], *body, "Original url:", a["url"]]
    )


def _as_markdown(a: dict) -> str:
    paragraphs = list(a["paragraphs"])
    first = paragraphs[0].split(". ")
    first[0] = f"=={first[0]}=="  # a highlight the reader made while clipping
    paragraphs[0] = ". ".join(first)
    half = len(paragraphs) // 2
    front = (
        f'---\ntitle: "{a["title"]}"\nsource: "{a["url"]}"\nauthor:\n  - "[[{a["author"]}]]"\n'
        f"published: {a['date']}\ntags:\n  - clippings\n---\n"
    )
    return "\n\n".join(
        [
            front + f"# {a['title']}",
            *(textwrap.fill(p, 80) for p in paragraphs[:half]),
            f"## {a['heading']}",
            "\n".join(f"- {item}" for item in a["items"]),
            "> " + paragraphs[half],
            *paragraphs[half + 1 :],
        ]
    )


def _as_html(a: dict) -> str:
    half = len(a["paragraphs"]) // 2
    paragraphs = [f"<p>{escape(p)}</p>" for p in a["paragraphs"]]
    items = "".join(f"<li>{escape(item)}</li>" for item in a["items"])
    body = [
        *paragraphs[:half],
        f"<h2>{escape(a['heading'])}</h2>",
        f"<ul>{items}</ul>",
        f"<blockquote>{paragraphs[half]}</blockquote>",
        *paragraphs[half + 1 :],
    ]
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(a["title"])}</title>'
        f'<link rel="canonical" href="{a["url"]}">'
        f'<meta name="author" content="{a["author"]}"></head><body><nav><a href="/">Home</a>'
        f'</nav><article><h1>{escape(a["title"])}</h1><time datetime="{a["date"]}">'
        f"{a['date']}</time>{''.join(body)}</article><footer>(c) site</footer></body></html>"
    )


WRITERS = {
    "html": (".html", _as_html),
    "text": (".txt", _as_text),
    "markdown": (".md", _as_markdown),
}


def write_articles(folder: Path, count: int, seed: int = 18) -> dict[str, Path]:
    """`count` articles in each format, one folder a format."""
    make_archive._init(seed)
    rng = random.Random(seed)
    articles = [_article(rng, index) for index in range(count)]
    folders = {}
    for name, (suffix, write) in WRITERS.items():
        folders[name] = folder / name
        folders[name].mkdir(parents=True)
        for index, article in enumerate(articles):
            (folders[name] / f"article-{index:04d}{suffix}").write_text(write(article), "utf-8")
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-text-") as tmp:
        folders = write_articles(Path(tmp), args.count)
        rates: dict[str, list[float]] = {name: [] for name in FORMATS}
        saved: dict[str, set[int]] = {name: set() for name in FORMATS}
        for _ in range(args.runs):
            for name in FORMATS:
                seconds, _cpu, count = reader_import([folders[name]], args.jobs)
                rates[name].append(round(args.count / seconds, 1))
                saved[name].add(count)
    result = {
        "articles": args.count,
        "jobs": args.jobs,
        **{f"{name} pages/s": rates[name] for name in FORMATS},
        **{f"{name} median": statistics.median(rates[name]) for name in FORMATS},
        "saved": {name: sorted(saved[name]) for name in FORMATS},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
