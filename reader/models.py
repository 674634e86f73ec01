"""Records the archive hands to its callers (CLI, TUI, export). Plain data, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.document import Document

# Markers around matched words in search snippets. Control characters are stripped
# from page text at import, so these can never come from a page.
MATCH_START = "\x02"
MATCH_END = "\x03"

COLORS = ("yellow", "green", "blue", "pink")


def split_snippet(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet without its MATCH_START/MATCH_END markers, and the marked ranges."""
    plain: list[str] = []
    ranges: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for char in snippet:
        if char == MATCH_START:
            start = length
        elif char == MATCH_END:
            if start is not None and length > start:
                ranges.append((start, length))
            start = None
        else:
            plain.append(char)
            length += 1
    return "".join(plain), ranges


@dataclass(frozen=True)
class ArticleSummary:
    """An article without its body: what a list row needs."""

    id: int
    title: str
    url: str | None = None
    byline: str | None = None
    site_name: str | None = None
    published: str | None = None
    lang: str | None = None
    excerpt: str | None = None
    word_count: int = 0
    added_at: str = ""
    updated_at: str = ""
    read_at: str | None = None
    archived_at: str | None = None
    starred: bool = False
    progress: float = 0.0
    position: int = 0
    extractor: str | None = None
    tags: tuple[str, ...] = ()
    annotation_count: int = 0
    # Known from an export, its page not yet imported: no text, highlights as quotes.
    missing: bool = False

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute."""
        return max(1, round(self.word_count / 230))


@dataclass(frozen=True)
class Article(ArticleSummary):
    """A whole article: its summary fields and its document."""

    document: Document = field(default_factory=Document)

    @property
    def text(self) -> str:
        return self.document.text


@dataclass(frozen=True)
class Annotation:
    """A highlight (with a range and a W3C TextQuoteSelector) or an article note (no range)."""

    id: int
    article_id: int
    start: int | None
    end: int | None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    color: str = "yellow"
    orphaned: bool = False
    created_at: str = ""
    updated_at: str = ""
    # The highlight's own tags (reader.hashtags), apart from its article's tags.
    tags: tuple[str, ...] = ()

    @property
    def is_article_note(self) -> bool:
        return self.start is None


def is_waiting(annotation: Annotation, *, missing: bool) -> bool:
    """Whether a highlight is a quote waiting for its page: its article is a missing
    page (known from an export), so it is not placed yet, and not lost either."""
    return missing and annotation.orphaned and not annotation.is_article_note


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    """One search result. `snippet` marks matched words with MATCH_START/MATCH_END."""

    article: ArticleSummary
    snippet: str = ""
    rank: float = 0.0
    annotation: Annotation | None = None


@dataclass(frozen=True)
class Original:
    """A saved page as it was imported: the bytes `reader reindex` re-extracts from."""

    article_id: int
    filename: str | None
    kind: str
    sha256: str
    size: int
    saved_at: str | None
    url: str | None
    data: bytes


@dataclass(frozen=True)
class StoredImage:
    """A picture of an article's figure, as an import takes it and the archive keeps it:
    `src` the path the page wrote (a `X_files/` folder's) or the figure's key
    (reader.ingest.images.figure_keys), `sha256` the digest of `data`, bytes reader
    encoded itself (reader.ingest.images), never the page's own (empty when the archive
    was asked for names and sizes only)."""

    src: str
    sha256: str
    media_type: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class ReanchorReport:
    """What re-extracting an article did to its highlights."""

    kept: int = 0  # found at the same offsets
    moved: int = 0  # found elsewhere (the text changed around them)
    orphaned: int = 0  # no longer found; kept, flagged, still exported
