"""The article's lead figure: kept at the body's top when it sits above the body."""

from __future__ import annotations

import json

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.document import Block, Document
from reader.document.markdown import render_markdown
from reader.ingest.extract import extract_page
from reader.ingest.lead_figure import lead_figures, picture_name, with_lead_figure
from reader.ingest.page import ExtractedPage, RawPage
from reader.textrules import strip_controls

URL = "https://news.example.com/2026/storm"
PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the storm story tells what the town saw when the storm came in "
    f"over the bay, and what the harbour master said about boat number {i}.</p>"
    for i in range(6)
)
HERO = (
    '<figure class="hero"><img src="/img/storm-clouds-1600x900.jpg" alt="Storm clouds"'
    ' width="1600" height="900"><figcaption>Clouds gather over the bay on Monday.'
    ' <span class="credit">Photo: Jane Doe / Agency</span></figcaption></figure>'
)
HERO_SRC = "https://news.example.com/img/storm-clouds-1600x900.jpg"
CAPTION = "Clouds gather over the bay on Monday. Photo: Jane Doe / Agency"


def extract(body: str, head: str = "") -> ExtractedPage:
    html = (
        f"<html lang='en'><head><title>Storm over the bay</title>{head}</head>"
        f"<body><header class='site'><nav><a href='/'><img src='/logo.png' alt='News'></a>"
        f"<a href='/world'>World</a></nav></header>{body}<footer>© News</footer></body></html>"
    )
    data = html.encode()
    return extract_page(RawPage(data=data, html=data, filename="s.html", kind="html", url=URL))


def figures(result: ExtractedPage) -> list[Block]:
    return [b for b in result.document.blocks if b.kind == "figure"]


def test_hero_figure_outside_the_article_is_kept_at_the_top() -> None:
    result = extract(
        f"<main><div class='hero-block'>{HERO}</div><article>{PARAGRAPHS}</article></main>"
    )
    first = result.document.blocks[0]
    assert first.kind == "figure"
    assert first.src == HERO_SRC
    assert first.text == CAPTION
    assert first.alt == "Storm clouds"
    assert len(figures(result)) == 1
    markdown = render_markdown(result.document)
    assert markdown.startswith(f"![Storm clouds]({HERO_SRC})\n*{CAPTION}*")


def test_hero_in_the_article_header_is_kept() -> None:
    header = f"<header><h1>Storm over the bay</h1><p class='byline'>By Ann Lee</p>{HERO}</header>"
    result = extract(f"<article>{header}<div class='body'>{PARAGRAPHS}</div></article>")
    assert result.document.blocks[0] == figures(result)[0]
    assert figures(result)[0].text == CAPTION


def test_a_figure_outside_any_article_element_needs_the_page_to_declare_it() -> None:
    body = f"<div class='hero'>{HERO}</div><article>{PARAGRAPHS}</article>"
    assert figures(extract(body)) == []
    og = '<meta property="og:image" content="https://news.example.com/img/storm-clouds-1200x630.jpg">'
    assert figures(extract(body, og))[0].text == CAPTION


def test_a_figure_already_in_the_body_is_not_repeated() -> None:
    result = extract(f"<article>{PARAGRAPHS[:400]}{HERO}{PARAGRAPHS}</article>")
    assert [f.src for f in figures(result)] == [HERO_SRC]
    assert result.document.blocks[0].kind != "figure"


def test_the_same_picture_in_another_size_is_not_repeated() -> None:
    inline = "<figure><img src='/img/storm-clouds-800x450.jpg' alt='Clouds'></figure>"
    result = extract(
        f"<main>{HERO}<article>{PARAGRAPHS[:400]}{inline}{PARAGRAPHS}</article></main>"
    )
    assert [f.src for f in figures(result)] == [
        "https://news.example.com/img/storm-clouds-800x450.jpg"
    ]


@pytest.mark.parametrize(
    "picture",
    [
        "<div class='author-box'><img src='/people/ann.jpg' alt='Ann Lee'>"
        "<span class='caption'>Ann Lee</span></div>",
        "<figure><img src='/img/site-logo-big.png' alt=''><figcaption>News</figcaption></figure>",
        "<figure class='ad-slot'><img src='/ads/sale.jpg'><figcaption>Sale</figcaption></figure>",
        "<figure><img src='/px/t.gif' width='1' height='1'><figcaption>x</figcaption></figure>",
        "<figure><img src='/i/ann-lee.jpg' width='48' height='48'><figcaption>Ann</figcaption>"
        "</figure>",
        "<figure><a href='/other-story'><img src='/img/other-story.jpg'></a>"
        "<figcaption>Another story</figcaption></figure>",
        "<aside><figure><img src='/img/other-story.jpg'><figcaption>Read next</figcaption>"
        "</figure></aside>",
    ],
)
def test_logo_avatar_ad_pixel_and_teaser_are_not_taken(picture: str) -> None:
    result = extract(f"<main>{picture}<article>{PARAGRAPHS}</article></main>")
    assert figures(result) == []


def test_jsonld_caption_and_credit_for_the_declared_picture() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Storm over the bay",
        "image": {
            "@type": "ImageObject",
            "url": "https://news.example.com/img/harbour-at-dawn.jpg",
            "caption": "The harbour at dawn\x07, after the storm",
            "creditText": "Jane Doe",
        },
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    hero = "<div class='hero'><img src='/img/harbour-at-dawn.jpg' alt=''></div>"
    result = extract(f"{hero}<article>{PARAGRAPHS}</article>", head)
    first = result.document.blocks[0]
    assert first.kind == "figure"
    assert first.text == "The harbour at dawn, after the storm Jane Doe"


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # Markup in a caption stays text.
        (
            "[bold red]Clouds[/] &lt;b&gt;over&lt;/b&gt; the bay\x1b[31m",
            "[bold red]Clouds[/] <b>over</b> the bay[31m",
        ),
        # A caption of paragraphs is one line.
        (
            "<p>Clouds over the bay.</p><p class='credit'>Photo: Jane Doe</p>",
            "Clouds over the bay. Photo: Jane Doe",
        ),
    ],
)
def test_a_lead_caption_is_one_line_of_text(caption: str, expected: str) -> None:
    hero = (
        "<main><figure><img src='/img/storm-clouds.jpg' alt='Clouds'>"
        f"<figcaption>{caption}</figcaption></figure><article>{PARAGRAPHS}</article></main>"
    )
    first = extract(hero).document.blocks[0]
    assert first.text == expected


def test_a_declared_picture_without_caption_comes_alone() -> None:
    og = '<meta property="og:image" content="https://news.example.com/img/storm-clouds.jpg">'
    hero = "<div class='hero'><img src='/img/storm-clouds.jpg' alt='Dark clouds'></div>"
    result = extract(f"{hero}<article>{PARAGRAPHS}</article>", og)
    first = result.document.blocks[0]
    assert (first.kind, first.text, first.alt) == ("figure", "", "Dark clouds")
    assert "Dark clouds" not in result.text
    assert render_markdown(result.document).startswith(
        "![Dark clouds](https://news.example.com/img/storm-clouds.jpg)\n\nParagraph 0"
    )


def test_a_figure_the_size_of_a_section_is_not_taken() -> None:
    items = "<span class='caption'>x</span>" * 300
    hero = f"<main><figure><img src='/img/storm-clouds.jpg'><figcaption>{items}</figcaption>"
    result = extract(f"{hero}</figure><article>{PARAGRAPHS}</article></main>")
    assert figures(result) == []


def test_no_lead_image_leaves_the_body_as_it_was() -> None:
    result = extract(f"<main><h1>Storm over the bay</h1><article>{PARAGRAPHS}</article></main>")
    assert figures(result) == []
    assert result.document.blocks[0].text.startswith("Paragraph 0")


def test_a_figure_below_the_body_start_is_not_moved_up() -> None:
    body = f"<main><article>{PARAGRAPHS}</article>{HERO}</main>"
    assert all(b.kind != "figure" for b in extract(body).document.blocks[:1])


def test_a_long_caption_is_cut() -> None:
    long = "word " * 400
    hero = f"<main><figure><img src='/img/storm.jpg'><figcaption>{long}</figcaption></figure>"
    first = extract(f"{hero}<article>{PARAGRAPHS}</article></main>").document.blocks[0]
    assert first.kind == "figure"
    assert len(first.text) <= 601
    assert first.text.endswith("…")


def test_picture_name_spans_a_sites_sizes() -> None:
    assert picture_name("https://x.com/a/storm-clouds-1200x630.jpg") == picture_name(
        "https://cdn.x.com/b/storm-clouds-800w.webp"
    )
    assert picture_name("https://x.com/a/image.jpg") == ""


@given(st.text(max_size=200), st.text(max_size=40))
def test_any_jsonld_caption_is_plain_text_or_nothing(caption: str, credit: str) -> None:
    image = {"url": "https://x.com/img/storm-clouds.jpg", "caption": caption, "creditText": credit}
    ld = json.dumps({"@type": "NewsArticle", "headline": "Storm", "image": image})
    paragraph = "The body's first paragraph, long enough to be found on the page."
    html = (
        f"<html><head><script type='application/ld+json'>{ld}</script></head><body>"
        f"<div><img src='https://x.com/img/storm-clouds.jpg'></div><p>{paragraph}</p></body></html>"
    )
    page = lxml.html.document_fromstring(html)
    body = Document((Block("paragraph", paragraph),))
    out = with_lead_figure(body, lead_figures(page, None))
    assert out.blocks[0].kind == "figure"
    text = out.blocks[0].text
    assert strip_controls(text) == text
    assert "\n" not in text
