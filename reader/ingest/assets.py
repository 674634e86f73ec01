"""The pictures of a "Webpage, Complete" save: `X.html` beside the folder `X_files/`.

The page names its images by paths relative to itself (`X_files/photo.png`); those its
figures show are read from that folder, and only from it: a path that leads outside
(`../`, an absolute path, a URL) or through a symbolic link is passed over, as is a
file over the cap is refused, and the page's whole take is capped in count and bytes.
Each image then goes through reader.ingest.images (decoded, re-encoded, or refused
with a reason): a refused image is not kept, and its figure keeps its caption, as a
page saved without its pictures does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reader.document import Document
from reader.ingest.images import MAX_IMAGE_BYTES, PageTake, figure_shows
from reader.ingest.page import RawPage

__all__ = ["asset_folder", "figure_shows", "page_images"]

_PAGE_SUFFIXES = (".html", ".htm")


def asset_folder(path: Path) -> Path | None:
    """The `X_files/` folder saved beside the page `X.html` (or `X.htm`), or None: no
    such folder, or one that is a symbolic link (it may lead anywhere)."""
    if path.suffix.lower() not in _PAGE_SUFFIXES:
        return None
    folder = path.with_name(path.stem + "_files")
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return None
    return folder if stat.S_ISDIR(mode) else None


def page_images(path: Path, raw: RawPage, document: Document, take: PageTake) -> None:
    """Add to `take` the images `document`'s figures show that the page's `X_files/`
    folder holds, re-encoded; nothing when there is no such folder (one stat: a page
    without one costs nothing more). A figure `take` already has is passed over."""
    folder = asset_folder(path)
    if folder is None:
        return
    figures = [block.src for block in document.blocks if block.kind == "figure"]
    if not any(figures):
        return
    from reader.ingest.parse import parse_page_html

    named = _srcs(parse_page_html(raw).iter("img"))
    have = {image.src for image in take.images}
    for number, figure in enumerate(figures, 1):
        src = next((s for s in named if figure and figure_shows(figure, s)), None)
        if src is None or src in have or figure in have:
            continue
        have.add(src)
        target = _asset_path(folder, src)
        if target is None:
            continue  # not in the folder: a link to the web, never fetched
        data = _read(target)
        take.add(number, src, data, _why_not(target) if data is None else "")


def _why_not(target: str) -> str:
    """Why a file in the folder was not read, when that is worth saying."""
    try:
        info = os.lstat(target)
    except OSError:
        return ""  # not saved with the page
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_IMAGE_BYTES:
        return f"over the size cap ({MAX_IMAGE_BYTES // 2**20} MB)"
    return "not a regular file"


def _srcs(imgs: Iterable[object]) -> list[str]:
    """Each `<img>`'s src and its srcset's first candidate, as written, each once."""
    found: dict[str, None] = {}
    for img in imgs:
        get = getattr(img, "get", None)
        if get is None:
            continue
        for value in _candidates(get("src"), get("srcset")):
            found.setdefault(value, None)
    return list(found)


def _candidates(src: str | None, srcset: str | None) -> Iterator[str]:
    if src and src.strip():
        yield src.strip()
    if srcset and srcset.strip():
        first = srcset.strip().split(",")[0].strip().split(" ")[0]
        if first:
            yield first


def read_asset(folder: Path, src: str) -> bytes | None:
    """The bytes of the file `src` (relative to the page, as the page wrote it) names in
    `folder`, or None: a path outside it, through a symbolic link, not a regular file,
    unreadable, or over MAX_IMAGE_BYTES."""
    target = _asset_path(folder, src)
    return None if target is None else _read(target)


def _asset_path(folder: Path, src: str) -> str | None:
    """The path in `folder` the page's `src` names, or None: outside it, or through a
    symbolic link."""
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    relative = unquote(parts.path)
    if parts.scheme or parts.netloc or not relative or relative.startswith("/"):
        return None
    if "\\" in relative or "\x00" in relative:
        return None
    page_dir = os.path.abspath(folder.parent)
    base = os.path.join(page_dir, folder.name)
    target = os.path.normpath(os.path.join(page_dir, relative))
    if not target.startswith(base + os.sep):
        return None
    # No link on the way: the real path is the path as written.
    if os.path.realpath(target) != os.path.join(os.path.realpath(base), target[len(base) + 1 :]):
        return None
    return target


def _read(target: str) -> bytes | None:
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_IMAGE_BYTES:
            return None
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_IMAGE_BYTES and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            total += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks) if total <= MAX_IMAGE_BYTES else None


# A FIFO planted in the folder must not block the import on open.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
