"""Markdown articles: the document model from markdown-it, front matter, ==marks==."""

from __future__ import annotations

import pytest

from reader.document import Block
from reader.ingest.frontmatter import MAX_FRONT_MATTER, read_front_matter
from reader.ingest.markdown import MAX_NESTING, parse_markdown
from reader.ingest.page import ExtractedPage, IngestError
from reader.ingest.pipeline import ingest_bytes

from .text_articles import (
    MARKDOWNLOAD_MD,
    OBSIDIAN_HIGHLIGHTS,
    OBSIDIAN_MD,
    OMNIVORE_DEFAULT_MD,
    OMNIVORE_MD,
    PLAIN_MD,
    READWISE_EXPORT_MD,
    READWISE_MD,
)


def read(text: str, filename: str = "clip.md") -> ExtractedPage:
    raw, page = ingest_bytes(text.encode("utf-8"), filename)
    assert raw.kind == "markdown"
    return page


def kinds(page: ExtractedPage) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in page.document.blocks]


@pytest.fixture(scope="module")
def obsidian() -> ExtractedPage:
    return read(OBSIDIAN_MD)


def test_obsidian_properties(obsidian: ExtractedPage) -> None:
    assert obsidian.title == "Slow Software, Fast Readers"
    assert obsidian.url == "https://essays.example.org/slow-software"
    assert obsidian.byline == "Ada Quill"  # a [[wiki link]] in a list
    assert obsidian.published == "2023-11-02"
    assert obsidian.excerpt == "Why the fastest reading tools do less."
    assert obsidian.tags == ("clippings", "software")
    assert obsidian.site_name == "essays.example.org"
    assert obsidian.extractor == "markdown"


def test_obsidian_created_is_when_it_was_saved() -> None:
    raw, page = ingest_bytes(OBSIDIAN_MD.encode(), "clip.md")
    assert raw.saved_at == page.saved_at == "2024-01-15"


def test_the_title_heading_is_not_repeated(obsidian: ExtractedPage) -> None:
    assert obsidian.document.blocks[0].kind == "paragraph"
    assert "Slow Software, Fast Readers" not in obsidian.text


def test_blocks(obsidian: ExtractedPage) -> None:
    blocks = obsidian.document.blocks
    assert [b.kind for b in blocks] == [
        "paragraph",
        "heading",
        "list_item",
        "list_item",
        "list_item",
        "quote",
        "table",
        "figure",
        "code",
        "paragraph",
    ]
    heading, _, strong, nested, quote, table, figure, code, links = blocks[1:]
    assert (heading.text, heading.level) == ("What a reader needs", 2)
    assert strong.text == "Search that finds words, not guesses"
    assert [(m.kind, strong.text[m.start : m.end]) for m in strong.marks] == [
        ("strong", "finds words")
    ]
    assert (nested.level, nested.text) == (1, "nested: even in old articles")
    assert quote.kind == "quote" and quote.level == 1
    assert table.rows == (("Tool", "Opens in"), ("Paper", "0 s"))
    assert table.text == "Tool\tOpens in\nPaper\t0 s"
    assert (figure.text, figure.alt, figure.src) == (
        "The stopwatch test",
        "A stopwatch",
        "https://essays.example.org/img/stopwatch.png",
    )
    assert (code.text, code.lang) == ('print("fast")', "python")
    hrefs = [(links.text[m.start : m.end], m.href) for m in links.marks]
    assert hrefs == [("original notes", "https://essays.example.org/notes/slow")]  # resolved


def test_marks_are_highlights_and_never_text(obsidian: ExtractedPage) -> None:
    assert "==" not in obsidian.text
    quoted = [obsidian.text[start:end] for start, end in obsidian.highlights]
    assert tuple(quoted) == OBSIDIAN_HIGHLIGHTS


def test_markdownload() -> None:
    page = read(MARKDOWNLOAD_MD)
    assert page.title == "Offline First, Again"
    assert (page.url, page.byline) == (
        "https://blog.example.net/posts/offline-first",
        "Bo Lindqvist",
    )
    assert page.tags == ("reading", "tools")
    assert page.saved_at == "2024-02-01T09:30:00+01:00"
    assert page.published is None


def test_omnivore() -> None:
    page = read(OMNIVORE_MD)
    assert (page.title, page.url, page.byline) == (
        "The Quiet Web",
        "https://quiet.example.com/essay",
        "Mia Ferro",
    )
    assert page.tags == ("web", "Essays")  # labels, as names
    assert page.published == "2024-02-28T00:00:00+00:00"
    assert page.saved_at == "2024-03-05T08:15:00+00:00"
    assert page.text == "A web page that loads nothing it does not show is a quiet page."


def test_readwise() -> None:
    page = read(READWISE_MD)
    assert (page.title, page.url, page.byline) == (
        "Notes on Marginalia",
        "https://margins.example.org/notes",
        "Rui Costa",
    )
    assert page.tags == ("reading", "notes")  # a comma-separated string


def test_omnivore_default_template_names_the_url_by_its_read_original_link() -> None:
    page = read(OMNIVORE_DEFAULT_MD)
    assert (page.title, page.url, page.site_name, page.byline) == (
        "The Quiet Web",
        "https://quiet.example.com/essay",  # not the omnivore.app link before it
        "quiet.example.com",
        "Mia Ferro",
    )
    assert page.saved_at == "2024-03-05T08:15:00"


def test_readwise_export_names_url_and_author_in_its_metadata_list() -> None:
    page = read(READWISE_EXPORT_MD)
    assert (page.title, page.url, page.byline) == (
        "Notes on Marginalia",
        "https://margins.example.org/notes",
        "Rui Costa",
    )
    assert "URL: https://margins.example.org/notes" in page.text  # the list stays


def test_the_front_matter_url_wins_and_a_late_or_bare_label_is_no_url() -> None:
    given = "---\nurl: https://a.example/x\n---\n\nURL: https://b.example/y\n\nText.\n"
    assert read(given).url == "https://a.example/x"
    late = "# T\n\n" + "Para.\n\n" * 12 + "Source: https://b.example/y\n"
    assert read(late).url is None
    bare = "# T\n\nSource: Reuters\n\n[original](javascript:alert(1))\n\nBy: Ann Lee\n"
    assert (read(bare).url, read(bare).byline) == (None, "Ann Lee")


def test_without_front_matter_the_first_heading_is_the_title() -> None:
    page = read(PLAIN_MD)
    assert page.title == "Headings Are Titles"
    assert kinds(page) == [
        ("paragraph", "The first heading names the article when nothing else does.")
    ]


def test_without_heading_the_first_line_is_the_title() -> None:
    page = read("A first line\n\nThe body follows, with more to say.\n")
    assert page.title == "A first line"
    assert page.text == "The body follows, with more to say."


def test_a_first_paragraph_of_prose_stays_and_names_the_article() -> None:
    page = read("A first paragraph that is wrapped\nover two lines.\n\nMore.\n")
    assert page.title == "A first paragraph that is wrapped over two lines."
    assert page.text.startswith("A first paragraph")


def test_a_heading_later_in_the_text_names_it_but_stays() -> None:
    page = read("Intro words.\n\n# The Real Title\n\nBody.\n")
    assert page.title == "Intro words."  # the first line comes first


def test_unknown_keys_and_odd_values_are_ignored() -> None:
    page = read(
        "---\ntitle: [A, list]\nurl: javascript:alert(1)\nauthor: 42\nrating: 5\n"
        "tags: {a: b}\npublished: someday\nnested: {deep: [1, [2, [3]]]}\n---\n\nBody text.\n"
    )
    assert page.title == "A"
    assert page.url is None and page.published is None and page.tags == ()
    assert page.text == "Body text."


def test_front_matter_key_spellings() -> None:
    meta = read_front_matter(
        "Title: T\nDate Published: 2024-01-02\ndatePublished: 1999-01-01\n"
        "Source URL: https://e.example/x\nLanguage: de\nsite_name: Example Site\n"
    )
    assert (meta.title, meta.published, meta.url) == ("T", "2024-01-02", "https://e.example/x")
    assert (meta.lang, meta.site_name) == ("de", "Example Site")


@pytest.mark.parametrize(
    ("yaml_text", "byline"),
    [
        ('author: "[[Jane Doe]]"', "Jane Doe"),
        ('author: ["[[People/Jane Doe|Jane Doe]]", "[[John Roe]]"]', "Jane Doe and John Roe"),
        ("authors:\n  - Jane Doe\n  - John Roe", "Jane Doe and John Roe"),
        ("author: By Jane Doe | Staff Writer", "Jane Doe"),
    ],
)
def test_authors(yaml_text: str, byline: str) -> None:
    assert read_front_matter(yaml_text).byline == byline


@pytest.mark.parametrize(
    ("yaml_text", "tags"),
    [
        ("tags: [a, B, b, '#c']", ("a", "B", "c")),
        ("tags: '#one #two'", ("one", "two")),
        ("labels: [{name: x}, {color: red}]", ("x",)),
        ("tags: ['" + "x" * 101 + "', ok]", ("ok",)),
        (
            "tags: [" + ", ".join(f"t{i}" for i in range(80)) + "]",
            tuple(f"t{i}" for i in range(50)),
        ),
    ],
)
def test_tags(yaml_text: str, tags: tuple[str, ...]) -> None:
    assert read_front_matter(yaml_text).tags == tags


@pytest.mark.parametrize(
    "source",
    [
        "title: [unclosed",
        "!!python/object/apply:os.system ['echo hi']",  # safe_load: no Python objects
        "- just\n- a list",
        "a: &a [*a, *a]",  # an alias that holds itself
        "title: " + "x" * MAX_FRONT_MATTER,  # too long to read
    ],
)
def test_bad_front_matter_is_no_metadata_and_no_error(source: str) -> None:
    meta = read_front_matter(source)
    assert meta.title is None and meta.tags == ()


def test_front_matter_never_reaches_the_text() -> None:
    page = read("---\ntitle: T\nsecret: value\n---\n\nBody.\n")
    assert page.text == "Body." and "secret" not in page.text


def test_links_keep_web_targets_only() -> None:
    page = read(
        "T\n\n[a](https://e.x/a) [b](javascript:alert(1)) [c](data:text/html,x)"
        " [d](mailto:x@e.x) <https://e.x/auto> [e](/relative)\n"
    )
    (block,) = page.document.blocks
    hrefs = [m.href for m in block.marks if m.kind == "link"]
    assert hrefs == ["https://e.x/a", "mailto:x@e.x", "https://e.x/auto", "/relative"]


def test_images_are_text_never_fetched_and_never_unsafe() -> None:
    page = read(
        'T\n\n![local](../../etc/passwd)\n\n![js](javascript:alert(1) "Title")\n\n'
        "![data](data:image/png;base64,AAAA)\n\n![[embed.png]]\n"
    )
    figures = [(b.kind, b.text, b.alt, b.src) for b in page.document.blocks]
    assert figures == [
        ("figure", "local", "local", "../../etc/passwd"),  # a path, kept as text only
        # markdown-it refuses a script link: the text stays as typed, as text.
        ("paragraph", '![js](javascript:alert(1) "Title")', "", ""),
        ("figure", "data", "data", ""),  # a data: URL is not kept
        ("paragraph", "![[embed.png]]", "", ""),  # Obsidian's embed: text
    ]


def test_an_image_inside_a_paragraph_follows_it_as_a_figure() -> None:
    page = read("T\n\nSee the chart ![chart](https://e.x/c.png) below.\n")
    assert [(b.kind, b.text) for b in page.document.blocks] == [
        ("paragraph", "See the chart below."),
        ("figure", "chart"),
    ]


def test_inline_html_is_marks_or_nothing() -> None:
    page = read(
        "T\n\nHe <u>said</u> <b>so</b> <span style=x>here</span><script>x()</script>.\n\n"
        '<div class="note">\n<p>An <em>HTML</em> block.</p>\n</div>\n'
    )
    first, block = page.document.blocks
    assert first.text == "He said so here."  # a script's text is dropped
    assert [(m.kind, first.text[m.start : m.end]) for m in first.marks] == [
        ("em", "said"),
        ("strong", "so"),
    ]
    assert (block.kind, block.text) == ("paragraph", "An HTML block.")
    assert [(m.kind, block.text[m.start : m.end]) for m in block.marks] == [("em", "HTML")]
    assert "<" not in page.text


def test_footnotes_stay_where_they_are_defined() -> None:
    page = read(
        "T\n\nA claim[^1] and another[^note].\n\n[^1]: First.\n\nMiddle.\n\n[^note]: Second.\n"
    )
    assert kinds(page) == [
        ("paragraph", "A claim[1] and another[note]."),
        ("paragraph", "[1] First."),
        ("paragraph", "Middle."),
        ("paragraph", "[note] Second."),
    ]


def test_ordered_lists_quotes_and_depths() -> None:
    page = read("T\n\n3. three\n4. four\n   - inner\n\n> one\n> > two\n> - in a quote\n")
    blocks = page.document.blocks
    assert [(b.kind, b.text, b.level, b.ordered, b.number) for b in blocks] == [
        ("list_item", "three", 0, True, 3),
        ("list_item", "four", 0, True, 4),
        ("list_item", "inner", 1, False, None),
        ("quote", "one", 1, False, None),
        ("quote", "two", 2, False, None),
        ("list_item", "in a quote", 0, False, None),
    ]


def test_hard_and_soft_breaks() -> None:
    page = read("T\n\nline one  \nline two\nline three\n")
    assert page.text == "line one\nline two line three"


@pytest.mark.parametrize(
    ("source", "text", "quoted"),
    [
        ("T\n\nA ==marked== word.\n", "A marked word.", ["marked"]),
        ("T\n\n==a *b* c== d\n", "a b c d", ["a b c"]),
        ("T\n\na == b and c==d\n", "a == b and c==d", []),  # no pair that can open and close
        ("T\n\n===x===\n", "=x=", ["x"]),
        ("T\n\n`==code==`\n", "==code==", []),
        ("T\n\n==open only\n", "==open only", []),
        ("T\n\n## A ==marked== heading\n\nBody.\n", "A marked heading\n\nBody.", ["marked"]),
        ("T\n\nOne ==two==.\n\n- three ==four==\n", "One two.\n\nthree four", ["two", "four"]),
    ],
)
def test_marks(source: str, text: str, quoted: list[str]) -> None:
    page = read(source)
    assert page.text == text
    assert [page.text[a:b] for a, b in page.highlights] == quoted


def test_nesting_is_bounded() -> None:
    deep = "T\n\n" + "".join("> " * depth + f"level {depth}\n" for depth in range(1, 60))
    page = read(deep)
    assert max(b.level for b in page.document.blocks) <= MAX_NESTING
    lists = "T\n\n" + "".join("  " * depth + f"- item {depth}\n" for depth in range(200))
    assert read(lists).document.blocks  # parsed, to the depth markdown-it goes


def test_empty_markdown_is_no_article() -> None:
    with pytest.raises(IngestError, match="no article text"):
        parse_markdown("---\ntitle: \n---\n\n<!-- nothing -->\n")


def test_a_front_matter_title_alone_is_an_article_with_no_body() -> None:
    page = parse_markdown("---\ntitle: Only a title\n---\n")
    assert page.title == "Only a title" and page.text == ""


def test_controls_are_stripped_in_code_and_text() -> None:
    page = read("T\n\nText \x1b[2J here.\n\n```\ncode\x07 \u202e\n```\n")
    assert page.text == "Text [2J here.\n\ncode "
    assert page.document.blocks[1] == Block("code", "code ")
