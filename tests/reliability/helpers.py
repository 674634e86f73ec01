"""What the reliability tests share: hostile pages, safety checks, subprocess helpers.

Hostile pages are written here, byte by byte: terminal escape sequences (colours, OSC 8
hyperlinks, OSC 52 clipboard writes), C0/C1 control characters, bidi overrides, Rich
markup and Textual actions, pathological sizes and nesting, a <base> pointing at another
site, and script links.
"""

from __future__ import annotations

import html
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.ingest.page import ExtractedPage

REPO = Path(__file__).resolve().parents[2]


# --- hostile text -----------------------------------------------------------------

ESCAPES = (
    "\x1b[31mred\x1b[0m"  # SGR colour
    " \x1b]8;;http://x.example/\x07link\x1b]8;;\x07"  # OSC 8 hyperlink
    " \x1b]52;c;cm0gLXJmIH4K\x07"  # OSC 52: write the clipboard
    " \x1b[2J\x1b[H"  # clear the screen, cursor home
    " \x9b31m\x9d0;title\x9c"  # C1 CSI, OSC, ST
)
CONTROLS = "bell\x07 back\x08space vt\x0b ff\x0c del\x7f nel\x85 csi\x9b"
BIDI = "\u202egnp.exe\u202c \u202ddrawrof\u202c \u2066iso\u2069 \u202aemb\u202c"
MARKUP = "[bold]b[/] [link=https://evil.example]x[/link] [@click=app.quit]q[/] [red on white]"
MARKUP_PIECES = (
    "[bold]b[/]",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]q[/]",
    "[red on white]",
)
EVERYTHING = f"Evil {ESCAPES} {CONTROLS} {BIDI} {MARKUP}"

PAGE_URL = "https://news.example/2024/hostile.html"
FILLER = (
    "This paragraph is ordinary prose about the subject at hand, written long enough for"
    " the extractor to take it for the body of an article rather than boilerplate. "
) * 3

# What no text coming out of ingest may hold: C0 controls (tabs and newlines are
# checked separately), DEL, C1 controls, bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def html_escape(text: str) -> str:
    return html.escape(text, quote=True)


def page_html(
    title: str,
    body: str,
    *,
    url: str | None = PAGE_URL,
    head: str = "",
    byline: str | None = None,
) -> bytes:
    """A saved page: <title>, optional canonical URL and author, an <article> of `body`
    (raw HTML) between two ordinary paragraphs so readability finds an article."""
    meta = f'<link rel="canonical" href="{url}">' if url else ""
    if byline is not None:
        meta += f'<meta name="author" content="{html_escape(byline)}">'
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{html_escape(title)}</title>{meta}{head}</head>\n"
        f"<body><article><h1>{html_escape(title)}</h1><p>{FILLER}</p>\n{body}\n"
        f"<p>{FILLER}</p></article></body></html>\n"
    ).encode()


def _as_references(text: str) -> str:
    """Every non-printable character as a numeric character reference (&#27; ...)."""
    return "".join(
        f"&#{ord(c)};" if UNSAFE.match(c) or c in "\t\n" else html_escape(c) for c in text
    )


def hostile_pages() -> dict[str, bytes]:
    """Name -> page bytes, one page per kind of hostility."""
    long_word = "A" * 10_000
    return {
        "escapes": page_html(
            f"Escapes {ESCAPES}", f"<p>Body {ESCAPES} end.</p>", byline=f"Mal {ESCAPES}"
        ),
        "escape-references": page_html(
            "References",
            f"<p>Body {_as_references(ESCAPES + ' ' + CONTROLS + ' ' + BIDI)} end.</p>",
        ),
        "controls": page_html(
            f"Controls {CONTROLS}", f"<p>Body {CONTROLS}</p><pre>{CONTROLS}\ncode</pre>"
        ),
        # A NUL near the top reads as binary data (refused in one line); deeper in, it
        # is a stray byte a browser shows as U+FFFD.
        "nul": page_html("Nul", f"<p>{FILLER}</p><p>{FILLER}</p><p>nul\x00 byte{CONTROLS}</p>"),
        "bidi": page_html(f"Bidi {BIDI}", f"<p>Body {BIDI}</p>", byline=f"Eve {BIDI}"),
        "markup": page_html(
            f"Markup {MARKUP}",
            f"<p>{html_escape(MARKUP)}</p><ul><li>{html_escape(MARKUP)}</li></ul>",
            byline=MARKUP,
        ),
        "everything": page_html(
            f"All {EVERYTHING}",
            f"<p>{html_escape(EVERYTHING)}</p><blockquote>{html_escape(EVERYTHING)}</blockquote>"
            f"<table><tr><td>{html_escape(EVERYTHING)}</td></tr></table>",
            byline=EVERYTHING,
        ),
        "long-words": page_html(
            "Ten thousand letters", f"<p>{long_word} {long_word.lower()} tail.</p>"
        ),
        "megabyte-paragraph": page_html(
            "One megabyte", "<p>" + "lorem ipsum dolor sit amet " * 40_000 + "</p>"
        ),
        "deep-divs": page_html(
            "Deep divs", "<div>" * 10_000 + f"<p>{FILLER}</p>deep" + "</div>" * 10_000
        ),
        "deep-inline": page_html("Deep inline", "<p>" + "<b><i>" * 5_000 + "deep text</p>"),
        "deep-unclosed": page_html("Deep unclosed", "<div><span>" * 10_000 + "deep text"),
        "base-elsewhere": page_html(
            "Base elsewhere",
            '<p>See <a href="/next.html">next</a> and <a href="rel/page">rel</a>'
            ' and <img src="pic.png" alt="a picture">.</p>',
            head='<base href="https://evil.example/trap/">',
        ),
        "script-links": page_html(
            "Script links",
            '<p><a href="javascript:alert(1)">js</a> <a href=" JaVaScRiPt:alert(2)">js2</a>'
            ' <a href="java&#x09;script:alert(3)">js3</a>'
            ' <a href="&#106;avascript:alert(4)">js4</a>'
            ' <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>'
            ' <a href="vbscript:msgbox(1)">vb</a> <a href="file:///etc/passwd">file</a>'
            ' <a href="https://fine.example/ok">fine</a>'
            ' <img src="javascript:alert(5)" alt="js image">'
            ' <img src="data:image/png;base64,iVBORw0KGgo=" alt="data image"></p>',
        ),
    }


# --- checks -----------------------------------------------------------------------


def unsafe_chars(text: str | None, *, allow: str = "") -> list[str]:
    """The characters of `text` no terminal should receive (besides those in `allow`)."""
    if not text:
        return []
    found = UNSAFE.findall(text)
    found += [c for c in text if c in "\t\n\r" and c not in allow]
    return found


WEB_SCHEMES = ("http", "https", "mailto", "ftp")


def link_problems(href: str | None, *, base: str | None = PAGE_URL) -> list[str]:
    """A link must lead to the web (or mail): never javascript:, data:, file: and the
    like; and when the page has a URL to resolve against, it must be absolute."""
    if href is None or href == "":
        return []
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", href)
    if scheme:
        name = scheme.group(1).lower()
        return [] if name in WEB_SCHEMES else [f"a link to {name}: {href!r}"]
    if base:
        return [f"not an absolute web link: {href!r}"]
    if re.match(r"(?i)\s*(javascript|data|vbscript|file)\s*:", href):
        return [f"a script link: {href!r}"]
    return []


def page_problems(page: ExtractedPage) -> list[str]:
    """Everything unsafe about an extracted page: control characters, bidi controls,
    script or relative links. Empty when the page is plain, safe text."""
    problems: list[str] = []
    for name in ("title", "byline", "site_name", "url", "published", "lang", "excerpt"):
        bad = unsafe_chars(getattr(page, name))
        if bad:
            problems.append(f"{name} holds {bad[:5]!r}")
    problems += link_problems(page.url)
    base = page.url if page.url and re.match(r"(?i)https?://", page.url) else None
    for index, block in enumerate(page.document.blocks):
        allow = "\t\n" if block.kind in ("code", "table") else "\n"
        for name in ("text", "alt", "lang"):
            bad = unsafe_chars(getattr(block, name), allow=allow if name == "text" else "")
            if bad:
                problems.append(f"block {index} ({block.kind}) {name} holds {bad[:5]!r}")
        for row in block.rows:
            for cell in row:
                if unsafe_chars(cell, allow="\n"):
                    problems.append(f"block {index} has an unsafe table cell")
        problems += [f"block {index} src: {p}" for p in link_problems(block.src, base=base)]
        for mark in block.marks:
            if mark.kind == "link":
                problems += [
                    f"block {index} link: {p}" for p in link_problems(mark.href, base=base)
                ]
    for bad in unsafe_chars(page.text, allow="\t\n"):
        problems.append(f"text holds {bad!r}")
    return problems


def links_of(page: ExtractedPage) -> list[str]:
    hrefs = [m.href for b in page.document.blocks for m in b.marks if m.kind == "link"]
    return [h for h in hrefs if h] + [b.src for b in page.document.blocks if b.src]


# --- archives and subprocesses ----------------------------------------------------


def reader_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reader", "--db", str(db), *args]


def child_env() -> dict[str, str]:
    """A plain, wide, colourless environment for `reader` subprocesses."""
    env = dict(os.environ)
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUNBUFFERED": "1"})
    env.pop("READER_DB", None)
    return env


def run_reader(db: Path, *args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """`reader --db DB ARGS...` to completion (generous timeout), output captured."""
    return subprocess.run(
        reader_command(db, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=db.parent,
        check=False,
        **kwargs,
    )


def spawn(command: list[str], cwd: Path, **kwargs) -> subprocess.Popen:
    """A subprocess in its own process group (so a kill reaches its pool workers too)."""
    return subprocess.Popen(command, cwd=cwd, env=child_env(), start_new_session=True, **kwargs)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process started by `spawn` and everything it started; reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def small_page(index: int, *, size: int = 1) -> bytes:
    """Page `index` of a generated batch: its own URL and title, `size` x ordinary text."""
    words = " ".join(f"w{index}x{n}" for n in range(40))
    body = "".join(
        f"<p>Paragraph {n} of page {index}: {words}. {FILLER}</p>" for n in range(3 * size)
    )
    return page_html(f"Generated page {index:03d}", body, url=f"https://gen.example/p/{index}")


def write_pages(folder: Path, count: int, *, big_every: int = 0) -> list[str]:
    """`count` generated pages in `folder` (every `big_every`th one ~150 KB of text, so
    its write transaction takes a while); returns their URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = []
    for index in range(count):
        size = 75 if big_every and index % big_every == big_every - 1 else 1
        (folder / f"page-{index:03d}.html").write_bytes(small_page(index, size=size))
        urls.append(f"https://gen.example/p/{index}")
    return urls


def read_only(db: Path) -> sqlite3.Connection:
    """A read-only connection for looking at what another process wrote."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def article_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = read_only(db)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not made yet (the schema is still being written)
        return 0
    finally:
        conn.close()


def consistency_problems(db: Path) -> list[str]:
    """Archive.check() plus whole-article checks: every article has its original and its
    full-text row, every original its article, the counts agree, URLs are unique."""
    from reader.archive import Archive

    with Archive(db) as archive:
        problems = list(archive.check())
        ids = archive.iter_article_ids()
    conn = read_only(db)
    try:
        q = conn.execute
        orphans = q(
            "SELECT count(*) FROM sources s LEFT JOIN articles a ON a.id = s.article_id"
            " WHERE a.id IS NULL"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} originals without an article")
        bare = q(
            "SELECT a.id FROM articles a LEFT JOIN sources s ON s.article_id = a.id"
            " WHERE s.id IS NULL"
        ).fetchall()
        if bare:
            problems.append(f"articles without their original: {[r[0] for r in bare]}")
        # Each article is found by its title through the index itself (an external
        # content table reads its rows from `articles`, so only MATCH proves the entry).
        for article_id, title in q("SELECT id, title FROM articles WHERE title != ''"):
            words = re.findall(r"\w+", title)[:6]
            if not words:
                continue
            phrase = '"' + " ".join(words) + '"'
            found = {
                r[0]
                for r in q(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                    (f"title:{phrase}",),
                )
            }
            if article_id not in found:
                problems.append(f"article {article_id} is missing from the search index")
        if len(ids) != q("SELECT count(*) FROM sources").fetchone()[0]:
            problems.append("the number of originals differs from the number of articles")
        dupes = q(
            "SELECT url, count(*) FROM articles WHERE url IS NOT NULL GROUP BY url"
            " HAVING count(*) > 1"
        ).fetchall()
        if dupes:
            problems.append(f"duplicate URLs: {dupes[:5]}")
    finally:
        conn.close()
    return problems
