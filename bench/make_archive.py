"""Generate a big, realistic archive for benchmarks: `python bench/make_archive.py N PATH`.

Deterministic: the same N and --seed give the same articles (byte for byte, apart from
SQLite's own page layout). Each article has about 1,500 words drawn from a Zipf-like
vocabulary (common function words, then ~60,000 generated words, a few with accents),
so full-text search meets the document frequencies a real archive has. Articles get
tags, sites, authors, published/added dates over several years, some are read, starred
or archived, some have highlights and notes, and each keeps a compressed original in
`sources`, as an import would.

Fast (1,000,000 articles in minutes, not hours): words are drawn once, into a pool of
sentences (one for every article, at least 50,000), and an article is sentences drawn
from that pool: each sentence recurs in about a hundred articles of any size of
archive, so the words' frequencies are the vocabulary's, and so are their document
frequencies on average (a rare word recurs in clumps, as a quote does). Worker
processes make each article's rows with the archive's own `prepare_article` (the
original compressed there, as an import compresses it) and the parent writes them
with `Archive.add_prepared`, the archive's bulk path, in big transactions: the rows,
indexes and full-text index are the archive's own (add_prepared indexes a
transaction's articles in one statement; see `_indexed_together`). Annotations go in
with plain INSERTs (their own FTS trigger indexes them). The writer is the limit: the
workers keep two transactions' worth of articles made ahead of it.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import multiprocessing
import multiprocessing.pool
import os
import random
import resource
import signal
import sqlite3
import sys
import time
from bisect import bisect
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive
from reader.archive.articles import PreparedArticle, prepare_article
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage

CHUNK = 500  # articles per generated chunk (and per worker task)
TXN_ARTICLES = 5000  # articles per write transaction


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    "the of and to a in is that for it as was with be by on not he this are or his from at"
    " which but have an they you were her she there one all we their can has been if more"
    " when will would who so no what up out about into than them its only other new some"
    " could time these two may then do first any my now such like our over man me even most"
    " made after also did many before must through back years where much your way well down"
    " should because each just those people how too little state good very make world still"
    " own see men work long get here between both life being under never day same another"
    " know while last might us great old year off come since against go came right used take"
    " three"
)
# Real words with accents, spread through the ranks, so that `cafe` finding `café`
# is exercised at scale.
ACCENTED = (
    "café",
    "naïve",
    "résumé",
    "façade",
    "jalapeño",
    "crème",
    "déjà",
    "über",
    "señor",
    "coöperate",
    "fiancée",
    "piñata",
    "smörgåsbord",
    "Zürich",
    "São",
    "Málaga",
)
SYLLABLES = _words(
    "ka ri to mu sel ven dor ith ul na pe lo qua zen bri tor gal fen mir os an el ix "
    "cor dal vi ne ro sa ter lin mon pra sto gri vel har tun bes oc ly mar qui dra fo"
)
TAGS = _words(
    "python rust go javascript databases sqlite postgres linux security privacy design "
    "typography history science physics biology climate economics politics cooking travel "
    "music film books philosophy psychology health running cycling photography math "
    "machine-learning ai distributed-systems networking web css html accessibility "
    "productivity writing career startups finance housing cities transport energy space "
    "astronomy chemistry education parenting gardening architecture art games to-read "
    "longform favorites reference tutorial opinion interview review"
)
TLDS = ("com", "org", "net", "io", "dev", "co.uk", "de", "fr", "blog")
FIRST_NAMES = _words(
    "Ada Alan Grace Linus Guido Barbara Donald Edsger Frances Ken Dennis Margaret Radia "
    "Sophie Tim John Jean Hélène José Zoë Chloé Björn Søren Noël Renée Ana Mei Arjun Yuki"
)
LAST_NAMES = _words(
    "Lovelace Turing Hopper Torvalds Rossum Liskov Knuth Dijkstra Allen Thompson Ritchie "
    "Hamilton Perlman Wilson Berners-Lee McCarthy Sammet Müller García Núñez Åberg Dubois "
    "Kowalski Nakamura Okafor Silva Rossi Novák Fernández Ødegaard"
)
LANGS = ("en",) * 16 + ("en-GB", "en-US", "fr", "de", "es", "pt-BR")
TAG_CUM = list(itertools.accumulate(1.0 / (rank**0.8) for rank in range(1, len(TAGS) + 1)))
COLORS = ("yellow", "green", "blue", "pink")
START = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 7 * 365 * 24 * 3600


def vocabulary(seed: int, size: int = 60_000) -> list[str]:
    rng = random.Random(seed)
    words = list(FUNCTION_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Accented words at ranks a search would plausibly use (a few hundred to a few
    # thousand articles each at 100,000).
    for i, word in enumerate(ACCENTED):
        words.insert(400 + i * 300, word)
    return words


def cumulative_weights(n: int, exponent: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))


_WORDS: list[str] = []
_CUM: list[float] = []
_SENTENCES: list[str] = []
_SEED = 0
_TOTAL = 1
MIN_POOL = 50_000


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, cum_weights=_CUM, k=rng.randint(8, 24))
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice(".....?!")


def _init(seed: int, total: int = 1) -> None:
    """The vocabulary and the pool of sentences (the same in every process)."""
    global _WORDS, _CUM, _SENTENCES, _SEED, _TOTAL
    _SEED, _TOTAL = seed, total
    _WORDS = vocabulary(seed)
    _CUM = cumulative_weights(len(_WORDS))
    rng = random.Random(f"{seed}:sentences")
    _SENTENCES = [_sentence(rng) for _ in range(max(MIN_POOL, total))]


def _title(rng: random.Random) -> str:
    # Titles lean to content words (ranks 150+), as real titles do.
    total = _CUM[-1]
    low = _CUM[150]
    words = [
        _WORDS[bisect(_CUM, low + rng.random() * (total - low))] for _ in range(rng.randint(3, 8))
    ]
    return " ".join(words).capitalize()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _paragraph(rng: random.Random) -> str:
    pool, size = _SENTENCES, len(_SENTENCES)
    return " ".join([pool[int(rng.random() * size)] for _ in range(rng.randint(3, 7))])


def make_article(rng: random.Random, index: int) -> dict:
    """One article: its prepared rows (`prepared`) and its annotations (`annotations`)."""
    title = _title(rng)
    blocks: list[Block] = []
    words = 0
    target = rng.randint(1200, 1800)
    while words < target:
        if blocks and rng.random() < 0.15:
            heading = _title(rng)
            blocks.append(Block("heading", heading, level=2))
            words += heading.count(" ") + 1
        paragraph = _paragraph(rng)
        blocks.append(Block("paragraph", paragraph))
        words += paragraph.count(" ") + 1
    document = Document(tuple(blocks))
    text = document.text
    site_word = _WORDS[200 + (index * 7919) % 300]
    host = f"{site_word}.{TLDS[index % len(TLDS)]}"
    site_name = site_word.capitalize() + rng.choice(("", " Weekly", " Journal", " Blog"))
    slug = "-".join(title.lower().split()[:6])
    url = f"https://{'www.' if index % 3 == 0 else ''}{host}/{2019 + index % 7}/{slug}-{index}"
    byline = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    added = START + timedelta(seconds=SPAN_SECONDS * index // max(1, _TOTAL) + rng.randint(0, 999))
    published = (
        None if rng.random() < 0.2 else _iso(added - timedelta(days=rng.randint(0, 900)))[:10]
    )
    tags = sorted(set(rng.choices(TAGS, cum_weights=TAG_CUM, k=rng.randint(0, 4))))
    read = rng.random() < 0.4
    html = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><link rel='canonical' href='{escape(url)}'></head><body><article>"
        f"<h1>{escape(title)}</h1><p class='byline'>{escape(byline)}</p>"
        + "".join(
            f"<h2>{escape(b.text)}</h2>" if b.kind == "heading" else f"<p>{escape(b.text)}</p>"
            for b in blocks
        )
        + "</article></body></html>"
    ).encode()
    annotations = []
    if rng.random() < 0.05:
        for _ in range(rng.randint(1, 5)):
            start = rng.randrange(0, max(1, len(text) - 200))
            end = start + rng.randint(20, 180)
            note = _sentence(rng) if rng.random() < 0.4 else ""
            annotations.append(
                {
                    "start": start,
                    "end": end,
                    "exact": text[start:end],
                    "prefix": text[max(0, start - 32) : start],
                    "suffix": text[end : end + 32],
                    "note": note,
                    "color": rng.choice(COLORS),
                }
            )
        if rng.random() < 0.3:
            note = {"start": None, "end": None, "exact": "", "prefix": "", "suffix": ""}
            annotations.append({**note, "note": _sentence(rng), "color": "yellow"})
    page = ExtractedPage(
        document,
        title=title,
        byline=byline,
        site_name=site_name,
        url=url,
        published=published,
        lang=rng.choice(LANGS),
        excerpt=text[:200],
        extractor="bench",
    )
    raw = RawPage(html, html, f"{slug[:60]}.html", "html", url=url, saved_at=_iso(added))
    state = {
        "read_at": _iso(added + timedelta(days=rng.randint(0, 30))) if read else None,
        "archived_at": _iso(added + timedelta(days=40)) if read and rng.random() < 0.5 else None,
        "starred": int(rng.random() < 0.05),
        "progress": 1.0 if read else round(rng.random() * 0.3, 2),
    }
    prepared = prepare_article(page, raw, added_at=_iso(added), tags=tags, state=state)
    return {
        "prepared": prepared,
        "annotations": [
            {**annotation, "created_at": _iso(added), "updated_at": _iso(added)}
            for annotation in annotations
        ],
    }


def make_chunk(args: tuple[int, int, int]) -> list[dict]:
    chunk, start, stop = args
    rng = random.Random(f"{_SEED}:{chunk}")
    return [make_article(rng, i) for i in range(start, stop)]


def _insert_annotations(archive: Archive, rows: list[dict]) -> None:
    """One INSERT a row, as the annotation store writes them (its FTS trigger indexes)."""
    if rows:
        columns = ", ".join(f'"{name}"' for name in rows[0])
        values = ", ".join(f":{name}" for name in rows[0])
        with archive.write() as conn:
            conn.executemany(f"INSERT INTO annotations({columns}) VALUES ({values})", rows)


def generate(n: int, path: Path, *, seed: int = 1, jobs: int | None = None) -> None:
    """Make (or, for an archive a stopped run left, go on making) N articles at `path`.

    SIGTERM or Ctrl-C stops it between two transactions: the archive then holds the
    first articles of the N, whole, and a second run with the same N and seed adds the
    rest (the articles are the same either way)."""
    archive = Archive(path)  # creates the schema, exactly as reader does
    plan = json.dumps({"n": n, "seed": seed})
    made = archive.get_setting("bench.generated")
    if made is not None and made != plan:
        raise SystemExit(f"{path} was generated with {made}, not {plan}: use --force")
    archive.set_setting("bench.generated", plan)
    start = archive.count("")
    # Durability is not wanted here (a failed run is made again): no journal file, no
    # sync. The rows, the indexes and their layout are the archive's own.
    archive.conn.execute("PRAGMA journal_mode = MEMORY")
    archive.conn.execute("PRAGMA synchronous = OFF")
    archive.conn.execute("PRAGMA cache_size = -262144")
    tasks = [(c, s, min(n, s + CHUNK)) for c, s in enumerate(range(0, n, CHUNK)) if s >= start]
    if jobs is None:
        jobs = max(1, (multiprocessing.cpu_count() or 2) - 1)
    began = time.perf_counter()
    done = start
    with contextlib.ExitStack() as stack:
        stop = stack.enter_context(_stop_on_signal())
        if jobs == 0:  # in this process (tests, debugging)
            _init(seed, n)
            chunks = map(make_chunk, tasks)
        else:
            pool = stack.enter_context(
                multiprocessing.Pool(jobs, initializer=_init, initargs=(seed, n))
            )
            chunks = _bounded_imap(pool, tasks, ahead=2 * TXN_ARTICLES // CHUNK + jobs)
        batch: list[dict] = []
        for articles in chunks:
            batch += articles
            done += len(articles)
            if len(batch) >= TXN_ARTICLES or done == n:
                _write(archive, batch)
                batch = []
                rate = (done - start) / (time.perf_counter() - began)
                print(f"\r{done:,}/{n:,} articles ({rate:,.0f}/s)", end="", file=sys.stderr)
                if stop:
                    print(f"\nstopped at {done:,}: run again to go on", file=sys.stderr)
                    break
    # No ANALYZE: a real archive has no statistics either, so the planner is measured
    # as users meet it.
    archive.conn.execute("PRAGMA journal_mode = WAL")
    archive.close()
    print(file=sys.stderr)


@contextlib.contextmanager
def _stop_on_signal() -> Iterator[list[int]]:
    """A list that SIGTERM or SIGINT makes non-empty (checked between transactions);
    the handlers before are back on leaving."""
    stop: list[int] = []
    before = {
        signum: signal.signal(signum, lambda number, _frame: stop.append(number))
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield stop
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _bounded_imap(
    pool: multiprocessing.pool.Pool, tasks: list[tuple[int, int, int]], ahead: int
) -> Iterator[list[dict]]:
    """pool.imap(make_chunk, tasks), with at most `ahead` chunks made and not yet
    written: imap would let the workers run ahead of the writer and hold every chunk
    (15 KB an article: 15 GB at a million)."""
    pending: deque[multiprocessing.pool.AsyncResult[list[dict]]] = deque()
    for task in tasks:
        pending.append(pool.apply_async(make_chunk, (task,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _write(archive: Archive, batch: list[dict]) -> None:
    with archive.write():
        prepared: list[PreparedArticle] = [a["prepared"] for a in batch]
        ids = archive.add_prepared(prepared)
        _insert_annotations(
            archive,
            [
                {"article_id": article_id, **row}
                for article_id, a in zip(ids, batch, strict=True)
                for row in a["annotations"]
            ],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("path", type=Path, help="archive file to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs", type=int, default=None, help="generator processes (0: in this process)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file (else a run stopped by SIGTERM or Ctrl-C goes on)",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.path.exists() and args.force:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.path}{suffix}").unlink(missing_ok=True)
    began = time.perf_counter()
    generate(args.n, args.path, seed=args.seed, jobs=args.jobs)
    seconds = time.perf_counter() - began
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    size = args.path.stat().st_size
    with contextlib.closing(sqlite3.connect(args.path)) as conn:
        (free,) = conn.execute("PRAGMA freelist_count").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    print(
        json.dumps(
            {
                "articles": args.n,
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "load_average": os.getloadavg(),
                "bytes": size,
                "bytes_per_article": size // args.n,
                # Pages the last full-text merges let go, which the next writes reuse.
                "free_bytes": free * page_size,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
