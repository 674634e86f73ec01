"""The Markdown an article's annotations become, read back with CommonMark and YAML parsers."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.export.render import (
    article_fields,
    blockquote,
    escape_text,
    front_matter,
    render_article_markdown,
    render_collection,
    safe_url,
)
from reader.models import Annotation, ArticleSummary

# Text as pages and users write it, leaning on what is special to Markdown and YAML.
SPECIAL = [
    *"#>*_-+=`~[]()!<&;\\|.:'\"{}%@,?^$ \t\n",
    "1. ",
    "1) ",
    "---",
    "***",
    "```",
    "    ",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "javascript:alert(1)",
    "&amp;",
    "&#x26;",
    "<https://evil.example>",
    "![img](http://x/y.png)",
    "\r\n",
    "\n\n",
    "- [ ] ",
    "| a | b |",
    "[^1]",
    "==mark==",
    "%%comment%%",
    "[[wiki]]",
    "#tag",
    "yes",
    "null",
    "~",
    "2024-01-01",
    "{a: b}",
    "&a",
    "*b",
    "!!python/object",
    "\u2028",
    "\u00a0",
    "\ufeff",
]
chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(SPECIAL)
text = st.lists(chars, max_size=40).map("".join)
nonblank = text.filter(lambda s: s.strip() != "")

MD = MarkdownIt("commonmark")
GFM = MarkdownIt("gfm-like")


def article(**kw) -> ArticleSummary:
    base = {
        "id": 7,
        "title": "A title",
        "url": "https://example.com/post",
        "byline": "Jane Doe",
        "site_name": "Example",
        "published": "2024-03-05",
        "added_at": "2026-01-02T03:04:05+00:00",
    }
    base.update(kw)
    return ArticleSummary(**base)


def highlight(i: int, exact: str, note: str = "", color: str = "yellow", **kw) -> Annotation:
    return Annotation(
        id=i,
        article_id=7,
        start=i * 100,
        end=i * 100 + len(exact),
        exact=exact,
        note=note,
        color=color,
        created_at="2026-01-02T03:04:05+00:00",
        updated_at="2026-01-02T03:04:05+00:00",
        **kw,
    )


def note(i: int, text: str) -> Annotation:
    return Annotation(id=i, article_id=7, start=None, end=None, note=text, created_at=f"t{i}")


def test_layout(md_parse) -> None:
    text = render_article_markdown(
        article(tags=("reading", "long read")),
        [
            note(9, "Worth rereading."),
            highlight(2, "Second, *emphasised*.", note="Why:\n\n- it matters", color="green"),
            highlight(1, "First paragraph.\n\nSecond paragraph."),
        ],
    )
    assert text.startswith("---\ntitle: A title\n")
    parsed = md_parse(text)
    assert parsed.meta == {
        "title": "A title",
        "author": "Jane Doe",
        "url": "https://example.com/post",
        "site": "Example",
        "published": dt.date(2024, 3, 5),
        "saved": "2026-01-02T03:04:05+00:00",
        "tags": ["reading", "long read"],
        "highlights": 2,
        "notes": 1,
    }
    # reading order, whatever order the annotations came in
    assert [h["quote"] for h in parsed.highlights] == [
        "First paragraph.\n\nSecond paragraph.",
        "Second, *emphasised*.",
    ]
    assert [h["meta"] for h in parsed.highlights] == ["Color: yellow", "Color: green"]
    assert [h["note"] for h in parsed.highlights] == ["", "Why:\n\n- it matters"]
    assert parsed.notes == ["Worth rereading."]
    assert parsed.links == ["https://example.com/post"]
    assert "> First paragraph.\n>\n> Second paragraph.\n" in text


def test_multi_paragraph_quote_stays_one_quote() -> None:
    quoted = blockquote("one\n\n\n  two\n    indented code?\nthree\n\n")
    assert quoted == "> one\n>\n> two\n> indented code?\n> three"
    tokens = [t.type for t in MD.parse(quoted)]
    assert tokens.count("blockquote_open") == 1
    assert "code_block" not in tokens


def test_orphaned_highlight_is_marked(md_parse) -> None:
    text = render_article_markdown(article(), [highlight(1, "gone words", orphaned=True)])
    parsed = md_parse(text)
    assert parsed.highlights[0]["quote"] == "gone words"
    assert "Not found in the current text" in parsed.highlights[0]["meta"]


def test_hostile_url_is_dropped_everywhere() -> None:
    text = render_article_markdown(
        article(url="javascript:alert(document.cookie)"), [highlight(1, "q")]
    )
    assert "javascript" not in text
    assert safe_url("JAVASCRIPT:alert(1)") is None
    assert safe_url("data:text/html,<b>x</b>") is None
    assert safe_url("https://example.com/a b") is None
    assert safe_url("https://example.com/a>b") is None
    assert safe_url("https://example.com/ok?a=1&b=2") == "https://example.com/ok?a=1&b=2"


def test_hostile_text_is_inert() -> None:
    evil = (
        "<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
        " ![x](http://tracker/p.png) <https://evil.example> javascript:alert(2)"
    )
    text = render_article_markdown(
        article(title=evil, byline=evil, site_name=evil), [highlight(1, evil, note=evil)]
    )
    body = text.split("\n---\n", 1)[1]
    for parser in (MD, GFM):
        tokens = list(_all_tokens(parser.parse(body)))
        kinds = {t.type for t in tokens}
        assert not kinds & {"html_inline", "html_block", "image"}, kinds
        hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
        # only the article's own link, and (GFM) bare web addresses the text shows as is
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        html = parser.render(body)
        assert "<script" not in html and "<img" not in html and 'javascript:alert(1)"' not in html


def _all_tokens(tokens):
    for token in tokens:
        yield token
        yield from _all_tokens(token.children or [])


def test_no_obsidian_tags_from_page_text() -> None:
    assert escape_text("#tag and # heading") == "\\#tag and \\# heading"


def test_yaml_dates_and_types() -> None:
    fields = article_fields(article(published="March 5, 2024", title="yes"), [])
    meta = yaml.safe_load(front_matter(fields).strip("-\n"))
    assert meta["published"] == "March 5, 2024"
    assert meta["title"] == "yes"  # not the boolean True
    fields = article_fields(article(published="2024-02-30"), [])  # not a real day
    assert yaml.safe_load(front_matter(fields).strip("-\n"))["published"] == "2024-02-30"


def test_empty_title_gets_a_heading(md_parse) -> None:
    parsed = md_parse(render_article_markdown(article(title="  \n "), [highlight(1, "q")]))
    assert parsed.meta["title"] == "Untitled"
    assert parsed.blocks[0].text == "Untitled"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=text,
    byline=st.none() | text,
    tags=st.lists(nonblank, max_size=3),
    quotes=st.lists(st.tuples(nonblank, text, st.sampled_from(["yellow", "green"])), max_size=4),
    notes=st.lists(nonblank, max_size=3),
)
def test_any_text_reads_back(md_parse, md_normalize, title, byline, tags, quotes, notes) -> None:
    anns = [highlight(i, q, note=n, color=c) for i, (q, n, c) in enumerate(quotes, 1)]
    anns += [note(100 + i, n) for i, n in enumerate(notes)]
    a = article(title=title, byline=byline, tags=tuple(tags))
    text = render_article_markdown(a, anns)
    parsed = md_parse(text)
    assert parsed.meta["title"] == (" ".join(title.split()) or "Untitled")
    assert parsed.meta.get("author") == (byline or None)
    assert parsed.meta["tags"] == tags
    assert parsed.meta["highlights"] == len(quotes)
    assert parsed.blocks[0].text == parsed.meta["title"]
    assert [h["quote"] for h in parsed.highlights] == [md_normalize(q) for q, _, _ in quotes]
    assert [h["note"] for h in parsed.highlights] == [md_normalize(n) for _, n, _ in quotes]
    assert [h["meta"] for h in parsed.highlights] == [f"Color: {c}" for _, _, c in quotes]
    assert parsed.notes == [md_normalize(n) for n in notes]


@settings(max_examples=100)
@given(titles=st.lists(text, min_size=1, max_size=4), quote=nonblank)
def test_collection_reads_back(md_parse_collection, md_normalize, titles, quote) -> None:
    fields = [
        article_fields(article(id=i, title=t), [highlight(1, quote)]) for i, t in enumerate(titles)
    ]
    meta, parsed = md_parse_collection(render_collection(fields))
    assert meta["articles"] == len(titles)
    assert meta["highlights"] == len(titles)
    assert [p.meta["title"] for p in parsed] == [f["title"] for f in fields]
    assert all(p.highlights[0]["quote"] == md_normalize(quote) for p in parsed)


def test_site_falls_back_to_the_urls_host() -> None:
    from reader.export.render import article_fields
    from reader.models import ArticleSummary

    named = ArticleSummary(id=1, title="t", url="https://www.nytimes.com/a", site_name="NYT")
    unnamed = ArticleSummary(id=2, title="t", url="https://www.nytimes.com/a")
    nothing = ArticleSummary(id=3, title="t")
    assert article_fields(named, [])["site"] == "NYT"
    assert article_fields(unnamed, [])["site"] == "nytimes.com"
    assert article_fields(nothing, [])["site"] is None
