"""Saved pages with images for the EPUB tests: MHTML parts, SingleFile data: URIs, and
hostile images (truncated, huge dimensions, not an image at all)."""

from __future__ import annotations

import base64
import html
import io
import plistlib
import struct
import zlib

from PIL import Image

from tests.importer.pages import PARAGRAPHS


def png(width: int = 40, height: int = 30, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def huge_png(side: int = 60_000) -> bytes:
    """A PNG whose header claims side x side pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def truncated_png() -> bytes:
    data = png(400, 300, (1, 2, 3))
    return data[: len(data) // 2]


NOT_AN_IMAGE = b"<html><script>alert(1)</script></html>"

# (name, bytes, caption): the good ones first, then the hostile ones.
IMAGES = [
    ("photo.png", png(), "A red photo"),
    ("shot.jpg", jpeg(), "A blue shot"),
    ("truncated.png", truncated_png(), "A truncated image"),
    ("huge.png", huge_png(), "A huge image"),
    ("fake.png", NOT_AN_IMAGE, "A fake image"),
]
GOOD = {"A red photo", "A blue shot"}


def article_with_figures(title: str, srcs: list[tuple[str, str, str]]) -> str:
    """An article page whose figures are `(src, alt, caption)`."""
    figures = "\n".join(
        f'<figure><img src="{html.escape(src)}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>\n"
        f"<p>{html.escape(PARAGRAPHS[n % len(PARAGRAPHS)])}</p>"
        for n, (src, alt, caption) in enumerate(srcs)
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><article><h1>{html.escape(title)}</h1>
{body}
{figures}
</article></body></html>
"""


def mhtml_with_images(title: str = "Pictures in MHTML") -> bytes:
    base = "https://example.com/pics/"
    page = article_with_figures(
        title, [(base + name, f"alt of {caption}", caption) for name, _, caption in IMAGES]
    )
    parts = [
        "Content-Type: text/html\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Location: https://example.com/article\r\n\r\n"
        + base64.encodebytes(page.encode()).decode().replace("\n", "\r\n")
    ]
    for name, data, _ in IMAGES:
        kind = "image/jpeg" if name.endswith(".jpg") else "image/png"
        parts.append(
            f"Content-Type: {kind}\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            f"Content-Location: {base}{name}\r\n\r\n"
            + base64.encodebytes(data).decode().replace("\n", "\r\n")
        )
    body = "".join(f"------B\r\n{part}\r\n" for part in parts)
    return (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: https://example.com/article\r\n"
        f"Subject: {title}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n\r\n'
        + body
        + "------B--\r\n"
    ).encode()


def singlefile_with_images(title: str = "Pictures in SingleFile") -> bytes:
    srcs = []
    for name, data, caption in IMAGES:
        kind = "image/jpeg" if name.endswith(".jpg") else "image/png"
        uri = f"data:{kind};base64,{base64.b64encode(data).decode()}"
        srcs.append((uri, f"alt of {caption}", caption))
    page = article_with_figures(title, srcs)
    comment = (
        "<!--\n Page saved with SingleFile \n url: https://example.com/sf-article \n"
        " saved date: Tue Mar 05 2024 10:00:00 GMT+0000 (Coordinated Universal Time)\n-->"
    )
    return page.replace("<html", comment + "\n<html", 1).encode()


def webarchive_with_images(
    title: str = "Pictures in a webarchive", url: str = "https://example.com/wa-article"
) -> bytes:
    """A Safari webarchive of a page whose figures show IMAGES, held as subresources."""
    base = "https://example.com/pics/"
    page = article_with_figures(title, [(base + n, f"alt of {c}", c) for n, _, c in IMAGES])
    plist = {
        "WebMainResource": {
            "WebResourceData": page.encode(),
            "WebResourceMIMEType": "text/html",
            "WebResourceURL": url,
            "WebResourceTextEncodingName": "UTF-8",
            "WebResourceFrameName": "",
        },
        "WebSubresources": [
            {"WebResourceURL": base + name, "WebResourceData": data, "WebResourceMIMEType": "x"}
            for name, data, _ in IMAGES
        ],
    }
    return plistlib.dumps(plist, fmt=plistlib.FMT_BINARY)
