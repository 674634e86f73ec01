"""The two values that flow through ingest: a saved page as found, and what we made of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from reader.document import Document
from reader.models import StoredImage


class IngestError(Exception):
    """A page that cannot be imported; `str(error)` is a one-line reason for the user."""


@dataclass(frozen=True)
class RawPage:
    """A saved page as read from disk or stdin, before any parsing of its HTML.

    `data` is the file's bytes exactly as saved (kept, compressed, for re-extraction);
    `html` is the page's HTML bytes inside it (the same bytes for a plain .html file,
    the main part of an MHTML or webarchive; for a plain-text or Markdown article, the
    file's bytes again). `url` and `saved_at` come from the container (MHTML headers,
    the browser's "saved from" comment, SingleFile's comment, a Markdown file's front
    matter) when it says; `charset` is a charset the container declared for `html`.
    """

    data: bytes
    html: bytes
    filename: str
    kind: str  # "html" | "singlefile" | "mhtml" | "webarchive" | "text" | "markdown"
    url: str | None = None
    saved_at: str | None = None
    charset: str | None = None
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())


#: The file name suffix an original of each kind is written out with (to open it in a
#: browser or an editor): a text article must never be shown as HTML, whatever it holds.
ORIGINAL_SUFFIXES = {
    "html": ".html",
    "singlefile": ".html",
    "mhtml": ".mhtml",
    "webarchive": ".webarchive",
    "text": ".txt",
    "markdown": ".md",
}


@dataclass(frozen=True)
class ExtractedPage:
    """What the pipeline made of a page: metadata and the cleaned document.

    A Markdown article can carry more: `tags` its front matter gives, and `highlights`,
    the ranges of `text` it marks (Obsidian's `==marked==` spans), which the importer
    adds as highlights with the article. A page that holds its pictures (or was saved
    with its `X_files/` folder) brings the `images` its figures show, and in
    `image_notes` why any other was not kept ("picture 3 not kept: truncated or
    damaged"). `saved_at` is when the file says it was saved.
    """

    document: Document
    title: str = ""
    byline: str | None = None
    site_name: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601
    lang: str | None = None
    excerpt: str | None = None
    extractor: str = "readability"  # which path produced the body
    tags: tuple[str, ...] = ()
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) offsets into `text`
    saved_at: str | None = None  # ISO 8601
    images: tuple[StoredImage, ...] = ()  # reader.ingest.original_images, .assets
    image_notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def word_count(self) -> int:
        return self.document.word_count

    def metadata(self) -> dict[str, object]:
        """The metadata fields as a plain dict (for JSON output)."""
        return {
            "title": self.title,
            "byline": self.byline,
            "site_name": self.site_name,
            "url": self.url,
            "published": self.published,
            "lang": self.lang,
            "excerpt": self.excerpt,
            "word_count": self.word_count,
            "extractor": self.extractor,
        }
