"""Builders of saved pages as browsers write them, for the ingest tests.

MHTML is built with the stdlib `email` package the way Chrome writes it (`From: <Saved
by Blink>`, `Snapshot-Content-Location`, multipart/related, the page as quoted-printable
text/html with no charset); webarchives with plistlib, as Safari's binary plists.
"""

from __future__ import annotations

import plistlib
import quopri
from collections.abc import Callable
from email import policy
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart

import pytest

ARTICLE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Saving pages — a field guide</title></head><body><article>"
    "<h1>Saving pages — a field guide</h1>"
    + "<p>Browsers save pages in many shapes, and a reader must open them all. Café, naïve.</p>" * 5
    + "</article></body></html>"
)

MakeMhtml = Callable[..., bytes]
MakeWebarchive = Callable[..., bytes]


@pytest.fixture
def article_html() -> str:
    return ARTICLE


@pytest.fixture
def make_mhtml() -> MakeMhtml:
    """`make_mhtml(html=..., url=..., charset=None, ...)` -> the bytes of a Chrome MHTML."""

    def build(
        html: bytes | str = ARTICLE,
        *,
        url: str | None = "https://example.com/field-guide",
        date: str | None = "Wed, 25 Nov 2026 07:00:00 -0000",
        charset: str | None = None,
        encoding: str = "quoted-printable",
        html_first: bool = True,
        start: str | None = None,
    ) -> bytes:
        body = html.encode("utf-8") if isinstance(html, str) else html
        message = MIMEMultipart("related", type="text/html", boundary="----MultipartBoundary--x1--")
        message["From"] = "<Saved by Blink>"
        if url:
            message["Snapshot-Content-Location"] = url
        message["Subject"] = "Saving pages"
        if date:
            message["Date"] = date
        if start:
            message.set_param("start", start)

        page = MIMEBase("text", "html", **({"charset": charset} if charset else {}))
        page["Content-ID"] = "<frame-1@mhtml.blink>"
        if encoding == "quoted-printable":
            page.set_payload(quopri.encodestring(body))
        else:
            import base64

            page.set_payload(base64.encodebytes(body))
        page["Content-Transfer-Encoding"] = encoding
        if url:
            page["Content-Location"] = url

        style = MIMEBase("text", "css")
        style.set_payload(b"p { color: black }\n")
        style["Content-Transfer-Encoding"] = "quoted-printable"
        style["Content-Location"] = "https://example.com/style.css"

        frame = MIMEBase("text", "html")
        frame.set_payload(b"<html><body><p>an advert frame</p></body></html>\n")
        frame["Content-Transfer-Encoding"] = "quoted-printable"
        frame["Content-Location"] = "cid:frame-2@mhtml.blink"

        for part in [page, style, frame] if html_first else [style, frame, page]:
            message.attach(part)
        return message.as_bytes(policy=policy.SMTP)

    return build


@pytest.fixture
def make_webarchive() -> MakeWebarchive:
    """`make_webarchive(html=..., url=..., encoding="UTF-8")` -> a Safari .webarchive."""

    def build(
        html: bytes | str = ARTICLE,
        *,
        url: str | None = "https://example.com/field-guide",
        encoding: str | None = "UTF-8",
        mime: str = "text/html",
    ) -> bytes:
        body = html.encode("utf-8") if isinstance(html, str) else html
        main: dict[str, object] = {
            "WebResourceData": body,
            "WebResourceMIMEType": mime,
            "WebResourceFrameName": "",
        }
        if url:
            main["WebResourceURL"] = url
        if encoding:
            main["WebResourceTextEncodingName"] = encoding
        archive = {
            "WebMainResource": main,
            "WebSubresources": [
                {
                    "WebResourceData": b"\x89PNG\r\n\x1a\n",
                    "WebResourceMIMEType": "image/png",
                    "WebResourceURL": "https://example.com/logo.png",
                }
            ],
        }
        return plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)

    return build
