"""Saved pages for the import and CLI tests, written the way browsers save them."""

from __future__ import annotations

import html
from pathlib import Path

PARAGRAPHS = (
    "Saved pages are the raw material of an offline archive, and every browser writes"
    " them a little differently, which is why the import pipeline reads each container"
    " before it looks at the article inside.",
    "Readability finds the main text by scoring paragraphs: long runs of prose with"
    " commas score high, while navigation, comment forms and share buttons score low and"
    " are dropped from what the reader keeps.",
    "The archive keeps the original bytes of each page, compressed, so a later version"
    " of the extractor can do the work again without the network and without losing"
    " anything the reader added in the meantime.",
)


def article_html(
    title: str,
    paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    *,
    url: str | None = None,
    charset: str | None = "utf-8",
    lang: str = "en",
) -> str:
    """A small but real article page: header, nav, the article, a footer."""
    meta = f'<meta charset="{charset}">' if charset else ""
    canonical = f'<link rel="canonical" href="{html.escape(url)}">' if url else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{html.escape(title)}</title>{canonical}</head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>{html.escape(title)}</h1>
{body}
</article>
<footer>Copyright the example site</footer>
</body></html>
"""


def write_page(folder: Path, name: str, title: str, **kwargs: object) -> Path:
    """An article page saved as `folder/name` (UTF-8 unless `encoding` says otherwise)."""
    encoding = str(kwargs.pop("encoding", "utf-8"))
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(article_html(title, **kwargs).encode(encoding))  # type: ignore[arg-type]
    return path


CYRILLIC_TITLE = "Как читать статьи без сети"
CYRILLIC_PARAGRAPHS = (
    "Сохранённые страницы остаются с вами, даже когда сайт исчезает из сети, и их можно"
    " читать, искать и размечать в терминале без всякого подключения.",
    "Каждый браузер сохраняет страницы по-своему, поэтому программа сначала разбирает"
    " контейнер, потом определяет кодировку, а уже затем находит сам текст статьи.",
    "Старые русские сайты часто пишут в кодировке windows-1251 и не всегда объявляют её,"
    " так что кодировку приходится угадывать по самим байтам страницы.",
)


def mhtml(title: str, url: str = "https://example.com/mhtml-article") -> bytes:
    """A Chrome-style MHTML file: quoted-printable HTML part, Snapshot-Content-Location."""
    import quopri

    page = article_html(title, url=None).encode("utf-8")
    body = quopri.encodestring(page).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {url}\r\n"
        "Subject: " + title + "\r\n"
        "Date: Tue, 5 Mar 2024 10:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n'
        "\r\n"
        "------B\r\n"
        "Content-Type: text/html\r\n"
        "Content-ID: <frame-1@mhtml.blink>\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: {url}\r\n"
        "\r\n" + body.replace("\n", "\r\n") + "\r\n"
        "------B--\r\n"
    ).encode("ascii", "backslashreplace")
