"""Search speed on an archive: `python bench/search.py PATH [--queries N] [--seed S]`.

Measures every form of the search language (issue 20), alone and combined, the way the
library and the CLI run them:
- first page: `Archive.search(q, limit=50)` (ids, summaries, snippets, annotation hits);
- count: `Archive.count_estimate(q)` (what the TUI shows at once: exact, or "about N";
  timed as the TUI asks it, after the first page) and `Archive.count(q)` (exact: what
  the TUI works out in the background);
- beside each form with text, the bare FTS5 query doing the same work: its 50 best by
  bm25 (`ORDER BY bm25 LIMIT 50` over articles_fts) and its count(*);
- ranking quality of the bounded plan (a common query ranks its newest matches and the
  older ones with a ranked term in their title, byline, site or tags): overlap@10 with
  full bm25 on the queries where that plan ran, and how often both put the same first;
- page 1 and page 1,000 of listings (keyset paging), sidebar and tag counts.

Words come from random article titles (content words, as people type) and phrases from
random article texts; their document frequencies are reported. Timings are in-process
wall clock (time.perf_counter), with the CPU time of the same calls (time.process_time)
beside them: on a shared machine wall time includes waiting for a core. Warm cache: each
form runs once before it is timed. Prints a table; --json prints the rows; --markdown
writes one row a form; --forms 'one word,phrase' runs only those (the same queries);
--repeat N times each call N times and keeps the lowest.
--baseline-root CHECKOUT [--baseline-python PY] [--baseline-archive OLD.db] then runs
the same queries on another checkout of reader (bench/search_replay.py, in its
interpreter) and puts its p95 beside these.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

from bench.search_replay import first_asking
from reader.archive import Archive
from reader.archive.fts import RANK_WEIGHTS, match_expression
from reader.query import parse_query

WEIGHTS = ", ".join(str(w) for w in RANK_WEIGHTS)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


REPEAT = 1  # --repeat: calls timed back to back, the lowest kept


def timed(
    fn: Callable[[], object], before: Callable[[], object] | None = None
) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call; the lowest of REPEAT calls, each after `before`
    (not timed)."""
    best = (float("inf"), float("inf"))
    for _ in range(REPEAT):
        if before is not None:
            before()
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        took = ((time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000)
        best = (min(best[0], took[0]), min(best[1], took[1]))
    return best


def count_shown(archive: Archive, query: str) -> tuple[float, float]:
    """The count shown, as the TUI asks it: after the query's first page, itself a first
    asking (see first_asking), whose walk of the newest matches the estimate may read
    (estimates.EstimatedSql._note_sample_count)."""
    return timed(lambda: archive.count_estimate(query), before=lambda: first_asking(archive, query))


def sample_titles(archive: Archive, rng: random.Random, n: int) -> list[list[str]]:
    """Words of `n` random article titles (ids are dense in a generated archive)."""
    (high,) = archive.conn.execute("SELECT max(id) FROM articles").fetchone()
    titles: list[list[str]] = []
    while len(titles) < n:
        row = archive.conn.execute(
            "SELECT title FROM articles WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, high or 1),),
        ).fetchone()
        words = [w for w in (row[0] if row else "").lower().split() if w.isalpha()]
        if len(words) >= 2:
            titles.append(words)
    return titles


def sample_phrases(archive: Archive, rng: random.Random, n: int) -> list[str]:
    """Two consecutive content words (5+ letters) from random article texts, quoted."""
    (high,) = archive.conn.execute("SELECT max(id) FROM articles").fetchone()
    phrases: list[str] = []
    while len(phrases) < n:
        (text,) = archive.conn.execute(
            "SELECT substr(text, 1, 3000) FROM articles WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, high or 1),),
        ).fetchone()
        words = [w.strip(".?!,").lower() for w in text.split()]
        starts = [i for i in range(len(words) - 1) if len(words[i]) > 4 and words[i].isalpha()]
        if starts:
            i = rng.choice(starts)
            if words[i + 1].isalpha():
                phrases.append(f'"{words[i]} {words[i + 1]}"')
    return phrases


def doc_frequency(archive: Archive, word: str) -> int:
    archive.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab"
        " USING fts5vocab(main, articles_fts, row)"
    )
    row = archive.conn.execute("SELECT doc FROM temp.bench_vocab WHERE term = ?", (word,))
    found = row.fetchone()
    return int(found[0]) if found else 0


def stats(name: str, times: list[tuple[float, float]], note: str = "") -> dict:
    wall = [t[0] for t in times]
    cpu = [t[1] for t in times]
    return {
        "what": name,
        "n": len(times),
        "p50": statistics.median(wall),
        "p95": percentile(wall, 0.95),
        "min": min(wall),
        "max": max(wall),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": percentile(cpu, 0.95),
        "note": note,
    }


def bare_top(archive: Archive, query: str) -> None:
    match = match_expression(parse_query(query))
    archive.conn.execute(
        f"SELECT rowid, bm25(articles_fts, {WEIGHTS}) AS r FROM articles_fts"
        " WHERE articles_fts MATCH ? ORDER BY r LIMIT 50",
        (match,),
    ).fetchall()


def bare_count(archive: Archive, query: str) -> None:
    match = match_expression(parse_query(query))
    archive.conn.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
    ).fetchone()


def full_bm25_top(archive: Archive, query: str, k: int = 10) -> list[int]:
    """The top `k` by bm25 over every match (the plan before issue 20)."""
    sql, params = archive._id_sql(parse_query(query), top=k)
    return [row[0] for row in archive.conn.execute(f"{sql} LIMIT ?", [*params, k])]


def forms(archive: Archive, rng: random.Random, queries: int) -> dict[str, list[str]]:
    titles = sample_titles(archive, rng, queries)
    one = [rng.choice(words) for words in titles]
    two = [" ".join(rng.sample(words, 2)) for words in titles]
    longer = [w for w in one if len(w) >= 6] or one
    tag = archive.conn.execute(
        "SELECT t.name FROM tags t JOIN article_tags x ON x.tag_id = t.id"
        " WHERE x.article_id = (SELECT max(id) FROM articles) LIMIT 1"
    ).fetchone()
    tag_name = tag[0] if tag else "python"
    site = archive.conn.execute(
        "SELECT url FROM articles WHERE id = (SELECT max(id) FROM articles)"
    ).fetchone()[0]
    host = site.split("/")[2].removeprefix("www.") if site else "example.com"
    k = max(10, queries // 4)
    phrases = sample_phrases(archive, rng, k)
    # Drawn last, so that the forms above keep their queries: words as an article's text
    # has them (a title's words are often in other titles too, which a bounded ranking
    # finds; these test its newest matches).
    text_words = [p.strip('"').split()[0] for p in sample_phrases(archive, rng, queries)]
    return {
        "one word": one,
        "two words": two,
        "phrase": phrases,
        **{f"prefix, {n} letters": [w[:n] + "*" for w in longer[:k]] for n in (2, 3, 4, 5, 6)},
        "very common word": ["the", "of", "and", "that", "the of"],
        "word -word": [f"{a} -{b}" for a, b in zip(one[:k], one[k : 2 * k], strict=False)],
        "-word alone": [f"-{w}" for w in one[:5]],
        "the -word": [f"the -{w}" for w in one[:5]],
        "tag: alone": [f"tag:{tag_name}"],
        "tag: + word": [f"{w} tag:{tag_name}" for w in one[:k]],
        "tag: + common word": [f"the tag:{tag_name}"],
        "site: alone": [f"site:{host}"],
        "site: + word": [f"{w} site:{host}" for w in one[:k]],
        "is:unread alone": ["is:unread"],
        "is:unread + word": [f"{w} is:unread" for w in one[:k]],
        "is:starred + common word": ["the is:starred"],
        "sort:published alone": ["sort:published"],
        "sort:title alone": ["sort:title"],
        "word sort:added": [f"{w} sort:added" for w in one[:k]],
        "4-letter prefix sort:added": [f"{w[:4]}* sort:added" for w in longer[:k]],
        "common word sort:published": ["the sort:published", "of sort:title"],
        "before: + lang: + word": [f"{w} before:2023 lang:en" for w in one[:k]],
        "everything": [f"{w}* -the tag:{tag_name} is:unread sort:added" for w in longer[:5]],
        "word from a text": text_words,
    }


def chosen(all_forms: dict[str, list[str]], only: list[str] | None) -> dict[str, list[str]]:
    """The forms named in `only` (all when None), each query the same as in a full run.
    `only` is --forms split at its commas; a name with a comma in it ("prefix, 3
    letters") is put together again."""
    if only is None:
        return all_forms
    names: list[str] = []
    piece = ""
    for part in only:
        piece = f"{piece}, {part}" if piece else part
        if piece in all_forms:
            names.append(piece)
            piece = ""
    if piece:
        raise SystemExit(f"no such form: {piece}")
    return {name: items for name, items in all_forms.items() if name in names}


def run(path: Path, queries: int, seed: int, only: list[str] | None = None) -> list[dict]:
    rng = random.Random(seed)
    archive = Archive(path, readonly=True)
    total = archive.count("")
    rows: list[dict] = []
    all_forms = chosen(forms(archive, rng, queries), only)
    for name, items in all_forms.items():
        if not items:  # too few queries asked for this form (`word -word` pairs need 20)
            continue
        archive.search(items[0], limit=50)  # warm-up
        first = [timed(lambda q=q: first_asking(archive, q)) for q in items]
        estimate = [count_shown(archive, q) for q in items]
        note = ""
        if name in ("one word", "very common word"):
            word = items[0].split()[0]
            note = f"'{word}' in {doc_frequency(archive, word):,} of {total:,}"
        if name == "one word":
            dfs = [doc_frequency(archive, w) for w in items]
            note = f"median word in {statistics.median(dfs):,.0f} of {total:,} articles"
        rows.append(stats(f"{name}: first page", first, f"{items[0]!r}; {note}".rstrip("; ")))
        rows.append(stats(f"{name}: count shown (exact or about N)", estimate))
        exact_items = items[: max(3, len(items) // 4)]
        rows.append(
            stats(
                f"{name}: exact count (background)",
                [timed(lambda q=q: archive.count(q)) for q in exact_items],
            )
        )
        if parse_query(items[0]).has_text and match_expression(parse_query(items[0])):
            bare_items = items if name != "very common word" else items[:3]
            bare_items = bare_items[: max(5, len(bare_items) // 2)]
            rows.append(
                stats(
                    f"{name}: bare FTS5, 50 best by bm25",
                    [timed(lambda q=q: bare_top(archive, q)) for q in bare_items],
                )
            )
            rows.append(
                stats(
                    f"{name}: bare FTS5 count(*)",
                    [timed(lambda q=q: bare_count(archive, q)) for q in bare_items],
                )
            )
    if only is None:
        rows += paging(archive, total)
        rows.append(stats("sidebar counts", [timed(archive.sidebar_counts) for _ in range(20)]))
        rows.append(stats("tag counts", [timed(archive.tag_counts) for _ in range(20)]))
    rows += quality(archive, all_forms)
    archive.close()
    return rows


def paging(archive: Archive, total: int) -> list[dict]:
    """Page 1 and page 1,000 (50 a page) of listings, read as the CLI reads them."""
    rows = []
    for query in ("", "sort:published", "sort:title", "is:unread"):
        deep = min(1000, max(1, total // 50 - 1))
        page_one = [timed(lambda q=query: archive.search(q, limit=50)) for _ in range(10)]

        for page in range(deep):  # notes every page's end, as reading them in turn does
            archive.search(query, offset=page * 50, limit=50)
        page_deep = [
            timed(lambda q=query, d=deep: archive.search(q, offset=d * 50, limit=50))
            for _ in range(10)
        ]
        name = f"list {query or 'all'}"
        rows.append(stats(f"{name}: page 1", page_one))
        rows.append(stats(f"{name}: page {deep + 1:,} (after reading the pages before)", page_deep))
        archive._page_ends.ends.clear()
        rows.append(
            stats(
                f"{name}: page {deep + 1:,} alone (OFFSET from the start)",
                [timed(lambda q=query, d=deep: archive.search(q, offset=d * 50, limit=50))],
            )
        )
    return rows


def quality(archive: Archive, all_forms: dict[str, list[str]]) -> list[dict]:
    """overlap@10 with full bm25, on the queries the bounded plan ranks (common ones,
    and phrases with a common word): as a search ranks (highlights and notes included, whose
    matches often lead), and on the articles alone (both plans without the annotation
    branch), which shows what bounding the work costs in ranking the articles."""
    rows = []
    for alone in (False, True):
        if alone:  # on this connection only: the bench's, read-only
            archive._annotation_branch = lambda *_args, **_kwargs: None  # type: ignore[method-assign]
        names = ("one word", "two words", "word from a text", "prefix, 3 letters")
        for name in (*names, "prefix, 4 letters", "phrase"):
            if name not in all_forms:
                continue
            overlaps = []
            same_first = 0
            for query in all_forms[name]:
                if not archive._bounded(parse_query(query)):
                    continue  # ranked whole: the same as full bm25
                ours = [hit.article.id for hit in archive.search(query, limit=10)]
                full = full_bm25_top(archive, query)
                overlaps.append(len(set(ours) & set(full)) / max(1, len(full)))
                same_first += ours[:1] == full[:1]
            if overlaps:
                what = "articles alone" if alone else "as searched"
                rows.append(
                    {
                        "what": f"{name}: overlap@10 with full bm25, {what} (bounded plan only)",
                        "n": len(overlaps),
                        "p50": statistics.median(overlaps),
                        "mean": statistics.mean(overlaps),
                        "note": f"{len(overlaps)} of {len(all_forms[name])} queries bounded;"
                        f" the same first result in {same_first}",
                    }
                )
    del archive._annotation_branch
    return rows


def replay(
    root: Path,
    python: str,
    archive_path: Path,
    path: Path,
    queries: int,
    seed: int,
    only: list[str] | None = None,
) -> list[dict]:
    """The same queries (`forms` with the same seed) on the checkout at `root`."""
    archive = Archive(path, readonly=True)
    try:
        queries_by_form = chosen(forms(archive, random.Random(seed), queries), only)
    finally:
        archive.close()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(queries_by_form, out)
    try:
        done = subprocess.run(
            [
                python,
                str(Path(__file__).with_name("search_replay.py")),
                str(archive_path),
                out.name,
                str(REPEAT),
            ],
            env={**os.environ, "PYTHONPATH": str(root)},
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        Path(out.name).unlink()
    return list(json.loads(done.stdout))


def markdown(
    rows: list[dict],
    before: tuple[float, ...],
    after: tuple[float, ...],
    baseline: list[dict] | None = None,
) -> str:
    """One line a form: first page, count shown, exact count, bare FTS5, and the
    baseline's first page and count when it ran (p95 ms, wall with CPU in brackets)."""
    by_name = {row["what"]: row for row in rows}
    base = {row["what"]: row for row in baseline or []}

    def cell(name: str, source: dict[str, dict] = by_name) -> str:
        row = source.get(name)
        if row is None:
            return "-"
        return f"{row['p95']:.1f} ({row['cpu_p95']:.1f})"

    lines = [
        f"load average {before[0]:.1f} before, {after[0]:.1f} after; p95 ms, wall (CPU)",
        "",
        "| form | n | first page | count shown | exact count | bare FTS5 top 50"
        " | bare FTS5 count | baseline first page | baseline count |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        if not row["what"].endswith(": first page"):
            continue
        form = row["what"].removesuffix(": first page")
        lines.append(
            f"| {form} | {row['n']} | {cell(form + ': first page')}"
            f" | {cell(form + ': count shown (exact or about N)')}"
            f" | {cell(form + ': exact count (background)')}"
            f" | {cell(form + ': bare FTS5, 50 best by bm25')}"
            f" | {cell(form + ': bare FTS5 count(*)')}"
            f" | {cell(form + ': first page', base)}"
            f" | {cell(form + ': count shown (exact or about N)', base)} |"
        )
    lines += [
        "",
        "| other | n | p50 | p95 | CPU p95 | baseline p95 (CPU) | note |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        if ": " in row["what"] and not row["what"].startswith("list "):
            if "overlap" in row["what"]:
                lines.append(
                    f"| {row['what']} | {row['n']} | {row['p50']:.2f} | mean {row['mean']:.2f}"
                    f" | | | {row['note']} |"
                )
            continue
        lines.append(
            f"| {row['what']} | {row['n']} | {row['p50']:.1f} | {row['p95']:.1f}"
            f" | {row['cpu_p95']:.1f} | {cell(row['what'], base)} | {row['note']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--queries", type=int, default=100, help="queries of the main kinds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each call this many times back to back and keep the lowest (its cost"
        " with its pages cached: on a machine shared with other work, the steadier figure)",
    )
    parser.add_argument(
        "--forms",
        help="only these forms, comma-separated names as in the table ('one word,phrase'):"
        " the same queries as a full run, without the listings and counts after them",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write a Markdown summary (one row a form) here"
    )
    parser.add_argument(
        "--baseline-root",
        type=Path,
        help="another checkout of reader: the same queries run on it after this one's"
        " (bench/search_replay.py), its first page and count beside this one's",
    )
    parser.add_argument(
        "--baseline-python", default=sys.executable, help="the interpreter of that checkout"
    )
    parser.add_argument(
        "--baseline-archive",
        type=Path,
        help="the archive the baseline reads (default PATH; an older schema's copy of the"
        " same articles, since opening PATH read-write would migrate it)",
    )
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path}: no such archive")
    only = [name.strip() for name in args.forms.split(",")] if args.forms else None
    global REPEAT
    REPEAT = max(1, args.repeat)
    load = os.getloadavg()
    rows = run(args.path, args.queries, args.seed, only)
    baseline = None
    if args.baseline_root:
        baseline = replay(
            args.baseline_root,
            args.baseline_python,
            args.baseline_archive or args.path,
            args.path,
            args.queries,
            args.seed,
            only,
        )
    if args.markdown:
        args.markdown.write_text(markdown(rows, load, os.getloadavg(), baseline))
    if args.json:
        print(
            json.dumps(
                {
                    "load_before": load,
                    "load_after": os.getloadavg(),
                    "rows": rows,
                    "baseline": baseline,
                }
            )
        )
        return 0
    table = Table(title=f"search on {args.path} (in-process, warm cache, ms; load {load[0]:.1f})")
    numeric = ("n", "p50", "p95", "max", "cpu p50", "cpu p95")
    for column in ("what", *numeric, "note"):
        table.add_column(column, justify="right" if column in numeric else "left")
    for r in rows:
        if "cpu_p50" not in r:
            table.add_row(r["what"], str(r["n"]), f"{r['p50']:.2f}", "", "", "", "", r["note"])
            continue
        table.add_row(
            r["what"],
            str(r["n"]),
            f"{r['p50']:.1f}",
            f"{r['p95']:.1f}",
            f"{r['max']:.1f}",
            f"{r['cpu_p50']:.1f}",
            f"{r['cpu_p95']:.1f}",
            r["note"],
        )
    Console(width=max(160, Console().width)).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
