"""An archive with kept pictures for the Markdown export's tests: articles whose figures
show pictures the archive keeps (as a "Webpage, Complete" import leaves them)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reader.archive import Archive
from reader.document import Block
from reader.models import StoredImage

from .epub_helpers import add
from .epub_pages import jpeg, png

RED = png()
BLUE = jpeg()
# A caption with Markdown in it and a control character: the alt text escapes the one
# and drops the other.
RED_CAPTION = "A red *photo* [1]\x07"
LINK = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)]*)\)")


def picture(src: str, data: bytes, media_type: str = "image/png") -> StoredImage:
    return StoredImage(src, hashlib.sha256(data).hexdigest(), media_type, 40, 30, data)


def figure(caption: str, src: str) -> Block:
    return Block("figure", caption, alt="alt text", src=f"https://example.com/dir/{src}")


def article_with_pictures(archive: Archive, title: str) -> int:
    """Intro, a red picture, the paragraph after it (highlighted), two far paragraphs
    (the first highlighted), a blue picture (no highlight near it), the end."""
    blocks = [
        Block("paragraph", "Intro paragraph."),
        figure(RED_CAPTION, f"{title}_files/red.png"),
        Block("paragraph", "After the picture."),
        Block("paragraph", "Middle one."),
        Block("paragraph", "Middle two."),
        figure("Blue", f"{title}_files/blue.jpg"),
        Block("paragraph", "The end."),
    ]
    article_id = add(
        archive,
        blocks,
        title=title,
        url=f"https://example.com/{title}",
        images=(
            picture(f"{title}_files/red.png", RED),
            picture(f"{title}_files/blue.jpg", BLUE, "image/jpeg"),
        ),
    )
    mark(archive, article_id, "After the picture.", note="About the picture")
    mark(archive, article_id, "Middle one.")
    return article_id


def article_without_pictures(archive: Archive, title: str = "Plain") -> int:
    article_id = add(
        archive,
        [Block("paragraph", "Only words."), Block("paragraph", "More words.")],
        title=title,
        url=f"https://example.com/{title}",
    )
    mark(archive, article_id, "Only words.")
    return article_id


def mark(archive: Archive, article_id: int, words: str, note: str = "") -> int:
    article = archive.get_article(article_id)
    assert article is not None
    start = article.document.text.index(words)
    return archive.add_highlight(article_id, start, start + len(words), note=note)


def links(path: Path) -> list[tuple[str, str]]:
    """(alt text, target) of each Markdown image in the file."""
    return LINK.findall(path.read_text(encoding="utf-8"))


def resolves(note: Path, target: str) -> Path:
    """The file a relative link in `note` leads to, which must exist."""
    found = (note.parent / target).resolve()
    assert found.is_file(), f"{note}: {target} leads to nothing"
    return found


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root`: its bytes and its modification time in nanoseconds."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
