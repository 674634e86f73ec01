"""Generate a Pocket export for the import benchmark of issue 21:
`python bench/make_service_export.py PATH.zip [--items N] [--highlights M] [--pages DIR]`.

Deterministic: the same N, M and --seed give the same zip, byte for byte, and the same
pages. The zip is laid out as Pocket's export of 2025:
`part_000000.csv`... (`title,url,time_added,tags,status`, 10,000 rows a part) and
`annotations/part_000000.json`... (`[{url, title, highlights: [{quote, created_at}]}]`).
Each item has a page of text (Zipf-like words from `bench/make_archive.py`'s vocabulary,
with contractions such as "don't"), made from its own seeded generator, so a quote can
be taken from an item's text without holding the others: M highlights over about M/2
items, each a run of 6-24 words of its page.

With `--pages DIR`, every item's page is written too, as a saved HTML page
(`{index:06d}.html`) with a `<link rel=canonical>` to the item's URL. The pages and the
export disagree the way real ones do, for the round trip (export -> missing entries ->
pages arrive -> highlights anchored): a fifth of the export's URLs carry `utm_`
parameters the canonical URL has not, and a quote with an apostrophe has it curly (’)
in the export where the page has it straight, half the time.

The zip is written as it is generated (a member at a time, streamed), so memory stays
flat at any N. Prints one line of JSON: counts, seconds, bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import time
import zipfile
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.make_archive import TAGS, cumulative_weights, vocabulary

CSV_PART_ROWS = 10_000
ANNOTATED_PER_PART = 1_000
CONTRACTIONS = ("don't", "it's", "can't", "isn't", "we're", "they're", "that's", "won't")
CONTRACTION_RATE = 0.03
UTM_SHARE = 0.2
ARCHIVED_SHARE = 0.3
START = 1_546_300_800  # 2019-01-01, Unix seconds
SPAN = 6 * 365 * 24 * 3600
SITES = 400


@dataclass(frozen=True)
class Item:
    index: int
    title: str
    url: str  # the page's canonical URL
    exported_url: str  # as the export has it (maybe with utm_ parameters)
    time_added: int
    tags: tuple[str, ...]
    archived: bool
    paragraphs: tuple[str, ...]  # empty unless asked for


class Generator:
    """Items made from a per-item seed: item i is the same whoever asks, in any order."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.words = vocabulary(seed, size=30_000)
        self.cum = cumulative_weights(len(self.words))
        rng = random.Random(f"{seed}:sites")
        self.sites = [
            "".join(rng.choice("abcdefghijklmnoprstuvwyz") for _ in range(rng.randint(5, 12)))
            + rng.choice((".com", ".org", ".net", ".io", ".blog"))
            for _ in range(SITES)
        ]

    def _word(self, rng: random.Random) -> str:
        if rng.random() < CONTRACTION_RATE:
            return rng.choice(CONTRACTIONS)
        return self.words[bisect(self.cum, rng.random() * self.cum[-1])]

    def _sentence(self, rng: random.Random) -> str:
        words = [self._word(rng) for _ in range(rng.randint(8, 24))]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + rng.choice(".....?!")

    def item(self, index: int, *, text: bool = True) -> Item:
        """Item `index`; its paragraphs (drawn last, from the same generator) only when
        `text`: a CSV row needs none, and they are most of the cost."""
        rng = random.Random(f"{self.seed}:item:{index}")
        title_words = [self.words[rng.randrange(150, 20_000)] for _ in range(rng.randint(3, 8))]
        title = " ".join(title_words).capitalize()
        slug = "-".join(title_words[:5])
        url = f"https://{rng.choice(self.sites)}/{2019 + rng.randrange(7)}/{slug}-{index}"
        exported = url
        if rng.random() < UTM_SHARE:
            exported = f"{url}?utm_source=pocket_saves&utm_medium=social&utm_campaign=c{index % 97}"
        time_added = START + rng.randrange(SPAN)
        tags = tuple(sorted(set(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))))))
        archived = rng.random() < ARCHIVED_SHARE
        paragraphs = ()
        if text:
            paragraphs = tuple(
                " ".join(self._sentence(rng) for _ in range(rng.randint(2, 6)))
                for _ in range(rng.randint(4, 12))
            )
        return Item(index, title, url, exported, time_added, tags, archived, paragraphs)


def quote_of(item: Item, rng: random.Random) -> tuple[str, bool]:
    """A run of 6-24 words of the item's text, and whether its apostrophes were curled."""
    words = rng.choice(item.paragraphs).split()
    length = min(len(words), rng.randint(6, 24))
    start = rng.randrange(len(words) - length + 1)
    quote = " ".join(words[start : start + length])
    if "'" in quote and rng.random() < 0.5:
        return quote.replace("'", "\u2019"), True
    return quote, False


def page_html(item: Item) -> str:
    body = "".join(f"<p>{escape(paragraph)}</p>\n" for paragraph in item.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{escape(item.title)}</title>\n"
        f'<link rel="canonical" href="{escape(item.url)}">\n'
        f"</head><body><article><h1>{escape(item.title)}</h1>\n{body}</article></body></html>\n"
    )


def _member(name: str) -> zipfile.ZipInfo:
    """A member with a fixed time, so that the same arguments give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2025, 7, 8, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def generate(
    path: Path, items: int, highlights: int, *, seed: int = 1, pages: Path | None = None
) -> dict[str, int]:
    maker = Generator(seed)
    rng = random.Random(f"{seed}:highlights")
    per_item = Counter(rng.randrange(items) for _ in range(highlights))
    stats = Counter(items=items, highlights=highlights, annotated_items=len(per_item))
    if pages is not None:
        pages.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, first in enumerate(range(0, items, CSV_PART_ROWS)):
            with (
                archive.open(_member(f"part_{part:06d}.csv"), "w") as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow(("title", "url", "time_added", "tags", "status"))
                for index in range(first, min(items, first + CSV_PART_ROWS)):
                    item = maker.item(index, text=pages is not None)
                    stats["utm_urls"] += item.exported_url != item.url
                    writer.writerow(
                        (
                            item.title,
                            item.exported_url,
                            item.time_added,
                            "|".join(item.tags),
                            "archive" if item.archived else "unread",
                        )
                    )
                    if pages is not None:
                        (pages / f"{index:06d}.html").write_text(page_html(item), "utf-8")
        annotated = sorted(per_item)
        for part, first in enumerate(range(0, len(annotated), ANNOTATED_PER_PART)):
            entries = []
            for index in annotated[first : first + ANNOTATED_PER_PART]:
                item = maker.item(index)
                quote_rng = random.Random(f"{seed}:quotes:{index}")
                quotes = []
                for n in range(per_item[index]):
                    quote, curled = quote_of(item, quote_rng)
                    stats["curly_quotes"] += curled
                    quotes.append({"quote": quote, "created_at": item.time_added + 60 * (n + 1)})
                entries.append(
                    {"url": item.exported_url, "title": item.title, "highlights": quotes}
                )
            archive.writestr(
                _member(f"annotations/part_{part:06d}.json"),
                json.dumps(entries, ensure_ascii=False),
            )
    return dict(stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the zip to write")
    parser.add_argument("--items", type=int, default=50_000, help="items (default 50,000)")
    parser.add_argument(
        "--highlights", type=int, default=20_000, help="highlights (default 20,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=Path, help="also write each item's saved page here")
    args = parser.parse_args(argv)
    if args.items < 1 or args.highlights < 0:
        parser.error("--items must be at least 1 and --highlights at least 0")
    began = time.perf_counter()
    stats = generate(args.path, args.items, args.highlights, seed=args.seed, pages=args.pages)
    stats_line = {
        **stats,
        "seconds": round(time.perf_counter() - began, 1),
        "bytes": args.path.stat().st_size,
    }
    print(json.dumps(stats_line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
