"""Articles as an EPUB 3 book (with an EPUB 2 NCX for older readers), made with ebooklib.

- `epub_bytes(archive, ids, title=...)`: the whole book in memory (the OPDS server);
- `write_epub(archive, ids, dest, title=...)`: the book written atomically to `dest`;
- `export_epub(archive, ids, out, ...)`: `reader export --format epub`: one book into a
  FILE.epub, or a book per article into a folder, under the Markdown export's rules
  (names from titles, a manifest, never over a file reader did not write);
- `chapter_xhtml(article, annotations, images)` (reader.export.epub_xhtml): one chapter.

What a device's highlights need to find their way back (issue #23): chapter `i` of the
spine is `article-<id>.xhtml` (the navigation document is not in the spine, so
KOReader's `DocFragment[i + 1]` is chapter `i`); the OPF carries
`<meta property="reader:articles">` with the article ids in spine order and the
identifier `urn:reader:book:<sha1 of the ids joined by commas>`; blocks carry ids
`r<article id>-<offset>` (see reader.export.epub_xhtml).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.export.epub_images import BookImage, stored_images_for
from reader.export.epub_inline import xml_text
from reader.export.epub_xhtml import CSS, STYLE_FILE, chapter_file, chapter_xhtml, language_of
from reader.export.files import (
    ExportError,
    Manifest,
    PlannedFile,
    atomic_write,
    prepare_folder,
    write_files,
)
from reader.export.names import article_filename, fold
from reader.models import Annotation, Article

if TYPE_CHECKING:
    from reader.archive import Archive

__all__ = [
    "EPUB_SUFFIX",
    "ArticleChapter",
    "EpubReport",
    "book_identifier",
    "chapter_xhtml",
    "epub_bytes",
    "export_epub",
    "write_epub",
]

EPUB_SUFFIX = ".epub"
ARTICLES_PROPERTY = "reader:articles"
# The vocabulary of reader's own OPF metadata (a prefix must name an IRI).
READER_PREFIX_IRI = "urn:reader:epub:vocab#"


@dataclass(frozen=True)
class ArticleChapter:
    """One chapter's makings: the article, its annotations, its images."""

    article: Article
    annotations: Sequence[Annotation] = ()
    images: Sequence[BookImage] = ()

    @property
    def xhtml(self) -> str:
        paths = {image.block: image.path for image in self.images}
        return chapter_xhtml(self.article, self.annotations, paths)


def book_identifier(article_ids: Sequence[int]) -> str:
    """`urn:reader:book:<sha1>` of the ids joined by commas: the same articles, in the
    same order, are the same book."""
    joined = ",".join(str(article_id) for article_id in article_ids)
    return f"urn:reader:book:{hashlib.sha1(joined.encode()).hexdigest()}"


def load_chapters(archive: Archive, article_ids: Sequence[int]) -> list[ArticleChapter]:
    """The chapters of the articles that have a text (a missing page has none), in order,
    each id once."""
    chapters: list[ArticleChapter] = []
    for article_id in dict.fromkeys(article_ids):
        article = archive.get_article(article_id)
        if article is None or article.missing:
            continue
        annotations = archive.annotations_for(article_id)
        images = stored_images_for(article.document, archive.images_of(article_id))
        chapters.append(ArticleChapter(article, annotations, images))
    return chapters


def epub_bytes(archive: Archive, article_ids: list[int], *, title: str) -> bytes:
    """The book of `article_ids` (in this order), in memory. Raises ExportError when none
    of them has a text to put in it."""
    return build_book(load_chapters(archive, article_ids), title=title)


def write_epub(archive: Archive, article_ids: Sequence[int], dest: Path, *, title: str) -> Path:
    """The book written to `dest` (a temporary file renamed into place); `dest`."""
    data = epub_bytes(archive, list(article_ids), title=title)
    try:
        atomic_write(dest, data)
    except OSError as error:
        raise ExportError(f"{dest}: cannot write the book: {error.strerror or error}") from error
    return dest


def build_book(
    chapters: Sequence[ArticleChapter], *, title: str, now: datetime | None = None
) -> bytes:
    """The EPUB file of `chapters`."""
    from ebooklib import epub

    if not chapters:
        raise ExportError("no article with a text to put in the book")
    ids = [chapter.article.id for chapter in chapters]
    moment = now or _last_change(chapters)
    book = epub.EpubBook()
    book.set_identifier(book_identifier(ids))
    book.set_title(xml_text(title.strip()) or "reader")
    book.set_language(_book_language(chapters))
    book.add_metadata("DC", "date", moment.strftime("%Y-%m-%d"))
    book.add_metadata("DC", "creator", "reader")
    book.add_prefix("reader", READER_PREFIX_IRI)
    book.add_metadata(None, "meta", " ".join(map(str, ids)), {"property": ARTICLES_PROPERTY})

    style = epub.EpubItem(
        uid="style", file_name=STYLE_FILE, media_type="text/css", content=CSS.encode()
    )
    book.add_item(style)
    links = []
    spine = []
    added: set[str] = set()
    for chapter in chapters:
        article = chapter.article
        item = epub.EpubItem(
            uid=f"article-{article.id}",
            file_name=chapter_file(article.id),
            media_type="application/xhtml+xml",
            content=chapter.xhtml.encode("utf-8"),
        )
        book.add_item(item)
        spine.append(item)
        label = xml_text(article.title) or "Untitled"
        links.append(epub.Link(chapter_file(article.id), label, item.id))
        for image in chapter.images:
            if image.path in added:
                continue
            added.add(image.path)
            book.add_item(
                epub.EpubItem(
                    uid=image.uid,
                    file_name=image.path,
                    media_type=image.media_type,
                    content=image.data,
                )
            )
    book.toc = links
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    # The navigation document stays out of the spine: chapter i is DocFragment[i + 1].
    book.spine = spine
    buffer = io.BytesIO()
    epub.write_epub(
        buffer,
        book,
        {"mtime": moment, "raise_exceptions": True, "epub3_pages": False},
    )
    return _without_clock(buffer.getvalue())


def _last_change(chapters: Sequence[ArticleChapter]) -> datetime:
    """When the newest of the articles and annotations changed: the book's modified
    date, so the same articles and annotations make the same book."""
    stamps = [chapter.article.updated_at for chapter in chapters]
    stamps += [a.updated_at for chapter in chapters for a in chapter.annotations]
    moments = []
    for stamp in stamps:
        try:
            moment = datetime.fromisoformat(stamp)
        except (TypeError, ValueError):
            continue
        moments.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return max(moments).astimezone(UTC) if moments else datetime.now(UTC)


# Zip entries carry a time; ebooklib writes the clock's. A fixed one makes the same book
# the same bytes (an export folder stays "unchanged"; a server can tag its responses).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _without_clock(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()


def _book_language(chapters: Sequence[ArticleChapter]) -> str:
    """The language most chapters are in (the first one's on a tie)."""
    counts: dict[str, int] = {}
    for chapter in chapters:
        lang = language_of(chapter.article)
        counts[lang] = counts.get(lang, 0) + 1
    return max(counts, key=lambda lang: counts[lang])


# --- `reader export --format epub` --------------------------------------------------


@dataclass
class EpubReport:
    """What an EPUB export wrote."""

    books: int = 0
    articles: int = 0
    skipped: int = 0  # missing pages: known from an export, no text to put in a book
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    output: Path | None = None

    def summary(self) -> str:
        line = (
            f"Exported {_plural(self.articles, 'article')} as {_plural(self.books, 'book')}"
            f" to {self.output}: {len(self.written)} written, {len(self.unchanged)} unchanged"
        )
        if self.skipped:
            line += f"; {_plural(self.skipped, 'missing page')} left out (no text yet)"
        return line


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def is_book_file(out: Path | str) -> bool:
    """Whether `out` names one book (FILE.epub) rather than a folder of books."""
    path = Path(out)
    return not path.is_dir() and path.suffix.lower() == EPUB_SUFFIX and not str(out).endswith("/")


def export_epub(
    archive: Archive,
    article_ids: Sequence[int] | None,
    out: Path | str,
    *,
    title: str,
    force: bool = False,
) -> EpubReport:
    """The articles of `article_ids` (None: every article) as one book in FILE.epub
    (titled `title`), or as a book per article in a folder (each titled as its article,
    named as the Markdown export names files). Raises ExportError with one line."""
    from reader.export.gather import gather
    from reader.export.markdown import write_single

    items = gather(archive, article_ids, include_all=True)
    report = EpubReport()
    kept = [item for item in items if not item.article.missing]
    report.skipped = len(items) - len(kept)
    if not kept:
        raise ExportError("no article with a text to export as a book")
    if is_book_file(out):
        path = Path(out)
        chapters = load_chapters(archive, [item.article.id for item in kept])
        data = build_book(chapters, title=title)
        result = write_single(
            path,
            data,
            force=force,
            key="book:" + book_identifier([chapter.article.id for chapter in chapters]),
        )
        report.books, report.articles, report.output = 1, len(chapters), path
    else:
        folder = Path(out)
        prepare_folder(folder)
        manifest = Manifest.load(folder)
        # A folder may hold the Markdown export too: only books are found again by key.
        by_key = {
            entry.get("article"): name
            for name, entry in manifest.files.items()
            if name.lower().endswith(EPUB_SUFFIX)
        }
        # Names are made as `<stem>.md` and checked as such: an article's note and its
        # book share a stem.
        taken = {
            fold(name.removesuffix(EPUB_SUFFIX) + ".md")
            for name in manifest.files
            if name.lower().endswith(EPUB_SUFFIX)
        }
        planned: list[PlannedFile] = []
        for item in kept:
            chapters = load_chapters(archive, [item.article.id])
            if not chapters:  # deleted while we were exporting
                continue
            name = by_key.get(item.key)
            if name is None or fold(name) in {fold(p.name) for p in planned}:
                stem = article_filename(item.article.title, item.key, taken).removesuffix(".md")
                name = stem + EPUB_SUFFIX
            taken.add(fold(name.removesuffix(EPUB_SUFFIX) + ".md"))
            data = build_book(chapters, title=item.article.title or "Untitled")
            planned.append(PlannedFile(name, data, item.key))
            report.articles += 1
        result = write_files(folder, manifest, planned, force=force)
        report.books, report.output = len(planned), folder
    report.written, report.unchanged = result.written, result.unchanged
    return report
