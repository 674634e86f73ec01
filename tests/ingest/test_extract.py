"""extract_page: a whole page -> metadata and a cleaned Document, and its failure modes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.ingest.extract import extract_page
from reader.ingest.page import IngestError, RawPage

PARAGRAPH = (
    "<p>Saving web pages for later is an old habit, and a reader for them has to cope "
    "with every shape a browser writes, from MHTML to plain HTML files.</p>"
)


def page(html: str, url: str | None = "https://example.com/a/story") -> RawPage:
    data = html.encode("utf-8")
    return RawPage(data=data, html=data, filename="story.html", kind="html", url=url)


def article(body: str, head: str = "<title>A story</title>") -> str:
    return f"<html lang='en'><head>{head}</head><body><article>{body}</article></body></html>"


def test_extracts_title_body_and_readability_path() -> None:
    result = extract_page(page(article("<h2>Part</h2>" + PARAGRAPH * 4)))
    assert result.title == "A story"
    assert result.extractor == "readability"
    assert result.lang == "en"
    assert "every shape a browser writes" in result.text
    assert result.url == "https://example.com/a/story"


def test_links_resolve_against_canonical_url() -> None:
    head = '<title>T</title><link rel="canonical" href="https://news.example.org/x/y">'
    body = PARAGRAPH * 3 + '<p>See <a href="../z">this page</a> for the rest of the story.</p>'
    result = extract_page(page(article(body, head)))
    assert result.url == "https://news.example.org/x/y"
    links = [m.href for b in result.document.blocks for m in b.marks if m.kind == "link"]
    assert links == ["https://news.example.org/z"]


def test_foreign_base_href_is_ignored() -> None:
    head = '<title>T</title><base href="https://cdn.other.net/mirror/">'
    body = PARAGRAPH * 3 + '<p>See <a href="z.html">this page</a> for the rest of the story.</p>'
    result = extract_page(page(article(body, head)))
    links = [m.href for b in result.document.blocks for m in b.marks if m.kind == "link"]
    assert links == ["https://example.com/a/z.html"]


def test_same_site_base_href_is_used() -> None:
    head = '<title>T</title><base href="https://example.com/b/">'
    body = PARAGRAPH * 3 + '<p>See <a href="z.html">this page</a> for the rest of the story.</p>'
    result = extract_page(page(article(body, head)))
    links = [m.href for b in result.document.blocks for m in b.marks if m.kind == "link"]
    assert links == ["https://example.com/b/z.html"]


def test_metadata_text_is_stripped_of_controls() -> None:
    head = "<title>Bad\x1b[2J \u202etitle</title><meta name=author content='Ann\x07 Lee'>"
    result = extract_page(page(article(PARAGRAPH * 3, head)))
    assert result.title == "Bad[2J title"
    assert result.byline == "Ann Lee"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        # Navigation and boilerplate only, however it is spelled.
        '<nav><a href="/">Home</a></nav>',
        '<title>Home</title><nav><a href="/">Home</a></nav>',
        "<nav>Home</nav>",
        "<nav><a>Home</a></nav>",
        '<nav><a href="javascript:void(0)">Home</a></nav>',
        '<nav><a href="/">Home</a></nav><footer>Copyright 2020 Example Inc.</footer>',
        "<header>Example News</header><footer>Copyright 2020</footer>",
        '<div role="navigation">Home | About</div><aside>Popular tags</aside>',
        '<ul><li><a href="/">Home</a></li><li><a href="/blog">Blog</a></li></ul>',
    ],
)
def test_no_article_raises_ingest_error(html: str) -> None:
    with pytest.raises(IngestError, match="no article text found"):
        extract_page(page(html))


def test_a_page_with_no_text_but_a_description_is_kept_as_a_bookmark() -> None:
    # A page drawn by scripts (its body empty until they run), or one of navigation only.
    head = (
        "<title>Tan Rug | Rugs</title>"
        '<meta name="description" content="Shop the \x1bTan Rug: washable, made to order.">'
    )
    for body in (
        '<div id="root"></div><script>render()</script>',
        "<nav><a href='/'>Home</a></nav>",
    ):
        html = f"<html><head>{head}</head><body>{body}</body></html>"
        result = extract_page(page(html))
        assert result.extractor == "description"
        assert result.text == "Shop the Tan Rug: washable, made to order."
        assert result.title == "Tan Rug | Rugs"  # its site unknown: the title whole
    with pytest.raises(IngestError, match="no article text found"):
        extract_page(page("<html><head><title>Tan Rug</title></head><body></body></html>"))


def test_jsonld_article_body_when_markup_has_none() -> None:
    body_text = "A story told only in JSON-LD. " * 20
    head = (
        "<title>T</title><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "JSON story",'
        f' "articleBody": "{body_text}"}}</script>'
    )
    html = f"<html><head>{head}</head><body><div id='app'></div></body></html>"
    result = extract_page(page(html))
    assert result.extractor == "jsonld"
    assert result.title == "JSON story"
    assert "told only in JSON-LD" in result.text


def test_very_deep_page_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 10_000 + PARAGRAPH * 3 + "</div>" * 10_000 + "</body></html>"
    result = extract_page(page(html))
    assert "every shape a browser writes" in result.text


def test_one_megabyte_paragraph() -> None:
    words = "word " * 200_000
    result = extract_page(page(article(f"<p>{words}</p>")))
    assert result.word_count == 200_000


def test_xml_declaration_and_odd_bytes() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?>" + article(PARAGRAPH * 3)
    data = html.encode("utf-8") + b"\xff\xfe"
    raw = RawPage(data=data, html=data, filename="x.xhtml", kind="html")
    assert "every shape" in extract_page(raw).text


_TAGS = st.sampled_from(
    [
        *("p", "div", "span", "a", "b", "i", "em", "code", "pre", "ul", "ol", "li", "table"),
        *("tr", "td", "th", "h1", "h2", "blockquote", "figure", "figcaption", "img", "br"),
        *("hr", "article", "main", "script", "style", "base", "meta", "title", "select"),
    ]
)
_ATTRS = st.sampled_from(
    [
        "",
        ' href="javascript:x()"',
        ' href="/rel"',
        ' href="http://[bad"',
        ' class="share related ad"',
        " hidden",
        ' style="display:none"',
        ' src="data:image/png;base64,AA"',
        ' start="x" value="-3"',
        ' rel="author" itemprop="author"',
    ]
)
_CHUNK = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", _TAGS, _ATTRS),
    st.builds(lambda t: f"</{t}>", _TAGS),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHUNK, max_size=40), st.sampled_from([None, "https://example.com/a", "junk"]))
def test_arbitrary_markup_extracts_or_says_why(chunks: list[str], url: str | None) -> None:
    html = "".join(chunks)
    try:
        result = extract_page(page(html, url))
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert result.text.strip()
    for block in result.document.blocks:
        for mark in block.marks:
            assert 0 <= mark.start < mark.end <= len(block.text)


def _doc(*paragraphs: str, links: bool = False):
    from reader.document import Block, Document, Mark

    blocks = [
        Block("paragraph", p, (Mark("link", 0, len(p), "https://x.example/"),) if links else ())
        for p in paragraphs
    ]
    return Document(tuple(blocks))


SENTENCES = [
    f"Paragraph {i} tells part {i} of the story in full sentences, with enough words to "
    "count as running prose rather than a teaser or a menu entry."
    for i in range(10)
]


def test_page_article_element_wins_when_readability_stopped_short() -> None:
    from reader.ingest.candidates import _better_container

    found = _doc(*SENTENCES[:4])
    assert _better_container(found, _doc(*SENTENCES))
    assert _better_container(_doc("Too short."), _doc(*SENTENCES[:2]))


def test_readability_pick_stands_against_links_and_unrelated_text() -> None:
    from reader.ingest.candidates import _better_container

    found = _doc(*SENTENCES[:4])
    assert not _better_container(found, _doc(*SENTENCES[:4]))  # nothing more
    assert not _better_container(found, _doc(*SENTENCES[:4], *["Teaser headline"] * 40))
    assert not _better_container(found, _doc(*SENTENCES, links=True))
    other = _doc(*[s.replace("story", "weather report nearby") for s in SENTENCES[4:]] * 2)
    assert not _better_container(_doc("Completely different words here", *SENTENCES[:1]), other)


def test_jsonld_article_body_with_markup_is_read_as_markup() -> None:
    from reader.ingest.candidates import text_document as _text_document

    doc = _text_document('<p>First <a href="/x">para</a>.</p><p>Second.</p>', "https://e.com/a")
    assert [b.text for b in doc.blocks] == ["First para.", "Second."]
    assert doc.blocks[0].marks[0].href == "https://e.com/x"
    assert [b.text for b in _text_document("One.\n\nTwo.\nThree.").blocks] == [
        "One.",
        "Two.",
        "Three.",
    ]


def test_readability_failure_falls_back_to_the_article_element(monkeypatch) -> None:
    from reader.ingest import extract

    def boom(tree, fresh):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract, "readability_article", boom)
    result = extract_page(page(article(PARAGRAPH * 3)))
    assert result.extractor == "article"
    assert "every shape a browser writes" in result.text


def test_an_images_alt_text_is_its_alt_and_not_article_text() -> None:
    # What a page shows in a picture's stead (the headline again, a credit, or what it
    # shows) is not read as text beside it: only a caption is.
    head = "<title>Rivers rise across the valley</title>"
    body = (
        PARAGRAPH
        * 2
        + '<figure><img src="/a.jpg" alt="Illustration for article titled Rivers rise across'
        ' the valley"></figure>'
        + '<p><img src="/b.jpg" alt="(Credit: River Agency)"></p>'
        + '<p><img src="/c.jpg" alt="A flooded bridge at dawn, seen from the old mill"></p>'
        + '<figure><img src="/d.jpg" alt="Sandbags"><figcaption>Volunteers at work</figcaption>'
        "</figure>" + PARAGRAPH
    )
    result = extract_page(page(article(body, head)))
    figures = [b for b in result.document.blocks if b.kind == "figure"]
    assert [(f.text, f.alt) for f in figures] == [
        ("", "Illustration for article titled Rivers rise across the valley"),
        ("", "(Credit: River Agency)"),
        ("", "A flooded bridge at dawn, seen from the old mill"),
        ("Volunteers at work", "Sandbags"),
    ]
    assert "Volunteers at work" in result.text
    assert not any(word in result.text for word in ("Illustration", "Credit", "bridge", "Sandbags"))


def test_excerpt_from_the_first_paragraph_cut_at_a_word() -> None:
    long = "<p>" + "lengthy words " * 40 + "</p>"
    result = extract_page(page(article(long + PARAGRAPH * 3)))
    assert result.excerpt and result.excerpt.endswith("words…")
    assert len(result.excerpt) <= 301
    head = '<title>T</title><meta name="description" content="Said by the page.">'
    assert extract_page(page(article(PARAGRAPH * 3, head))).excerpt == "Said by the page."


@pytest.mark.parametrize("tag", ["q", "code", "x-custom", "svg"])
def test_page_nested_too_deep_in_any_element_keeps_head_and_text(tag: str) -> None:
    html = (
        f"<html><head><title>Deep</title></head><body><article>{PARAGRAPH}"
        + f"<{tag}>" * 3000
        + f"deep text{PARAGRAPH}</article></body></html>"
    )
    result = extract_page(page(html))
    assert "deep text" in result.text
    assert result.title == "Deep"


def test_title_from_a_paragraph_is_one_line() -> None:
    html = "<html><body><article><p>First line<br>second " + "word " * 60 + "</p></article>"
    result = extract_page(page(html + PARAGRAPH * 2 + "</body></html>"))
    assert "\n" not in result.title
    assert result.title.startswith("First line second word")
    assert len(result.title) <= 121


@pytest.mark.parametrize(
    "html",
    [
        "<p>Short, but a note all the same.</p>",
        "<nav><a href='/'>Home</a></nav><p>Short, but a note all the same.</p>",
        "<article><header><h1>Note</h1></header><footer>Posted by Ann</footer></article>",
        # A javascript: link is no link (convert keeps its text as text).
        '<body><a href="javascript:"><p>abc</p><p>def</p> ghi</a></body>',
    ],
)
def test_short_pages_with_text_outside_navigation_are_articles(html: str) -> None:
    assert extract_page(page(html)).text


# --- memory: what extraction holds, and lets go -------------------------------------


def test_no_tree_is_left_alive_after_extraction() -> None:
    """readability's debug helper kept the last page's tree in module globals: for a
    100 MB page, 400 MB held through the archive's write."""
    import gc

    from lxml.html import HtmlElement

    result = extract_page(page(article("<div><p>" + PARAGRAPH * 4 + "</p></div>")))
    assert "every shape" in result.text
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, HtmlElement)] == []


@pytest.mark.slow  # 80 extractions
def test_a_big_page_parsed_again_gives_what_a_copy_gives(
    corpus_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over _COPY_LIMIT the page's own article element is found in a second parse when
    it is wanted, instead of a copy made up front: the same article either way."""
    import gzip
    from pathlib import Path

    from reader.ingest import extract
    from reader.ingest.pipeline import ingest_bytes

    modern = Path(corpus_dir).parent / "modern-pages" / "pages"
    paths = sorted(corpus_dir.glob("*/source.html"))[:20] + sorted(modern.glob("*.gz"))[:20]

    def results() -> list[object]:
        found = []
        for path in paths:
            data = path.read_bytes()
            data = gzip.decompress(data) if path.suffix == ".gz" else data
            try:
                _, extracted = ingest_bytes(data, "page.html", max_size=None)
            except IngestError as error:
                found.append(str(error))
            else:
                found.append((extracted.extractor, extracted.document))
        return found

    copied = results()
    monkeypatch.setattr(extract, "_COPY_LIMIT", 0)  # every page is big
    assert results() == copied
    assert sum(1 for r in copied if isinstance(r, tuple) and r[0] == "article") >= 2
