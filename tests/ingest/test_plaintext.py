"""Plain-text articles: each rule of issue #18 on a fixture written for it."""

from __future__ import annotations

import pytest

from reader.ingest.page import ExtractedPage, IngestError
from reader.ingest.pipeline import ingest_bytes
from reader.ingest.plaintext import join_lines

from .text_articles import NEWS_CAPTION, NEWS_TITLE, NEWS_TXT, NEWS_URL

BODY = (
    "The council met on Monday and voted to keep the ferries off the canal until the"
    " locks are repaired, which the engineers expect to take most of the winter."
)


def read(text: str, filename: str = "article.txt") -> ExtractedPage:
    raw, page = ingest_bytes(text.encode("utf-8"), filename)
    assert raw.kind == "text"
    return page


@pytest.fixture(scope="module")
def news() -> ExtractedPage:
    return read(NEWS_TXT)


def test_title_is_the_first_line_and_not_repeated(news: ExtractedPage) -> None:
    assert news.title == NEWS_TITLE
    assert NEWS_TITLE not in news.text
    assert news.extractor == "text"


def test_date_and_byline_lines(news: ExtractedPage) -> None:
    assert news.published == "2022-01-10"
    assert news.byline == "Jane Doe"
    assert "January 10, 2022" not in news.text and "By Jane Doe" not in news.text


def test_photo_caption_with_its_credit_is_a_figure_caption(news: ExtractedPage) -> None:
    first = news.document.blocks[0]
    assert (first.kind, first.text, first.src) == ("figure", NEWS_CAPTION, "")


def test_paragraphs_are_joined_and_hyphenation_mended(news: ExtractedPage) -> None:
    paragraph = news.document.blocks[1]
    assert paragraph.kind == "paragraph" and "\n" not in paragraph.text
    assert "off the old canal until the locks" in paragraph.text  # a hard wrap joined
    assert "reconstruction plan" in paragraph.text  # "-tion" after the wrap: mended
    assert "a well-known one" in paragraph.text  # ambiguous: the hyphen stays
    assert "an extra-ordinary job" in paragraph.text  # no evidence either way: stays


def test_inline_html_becomes_marks_never_tags(news: ExtractedPage) -> None:
    quote = news.document.blocks[2]
    assert quote.text == (
        '"We will not allow the canal to be damaged," Varga said during Monday\'s'
        " video meeting of the council."
    )
    marks = {(m.kind, quote.text[m.start : m.end], m.href) for m in quote.marks}
    assert marks == {
        ("em", "said", None),
        ("strong", "video", None),
        ("link", "council", "https://harbour.example/council"),
    }
    assert "<" not in news.text and "alert" not in news.text  # a script's text is dropped


def test_promos_are_dropped_and_credit_lines_kept(news: ExtractedPage) -> None:
    assert "Related article" not in news.text and "Advertisement" not in news.text
    assert news.document.blocks[-1].text == "Lantern Wire contributed reporting."


def test_the_footer_is_the_url_mended_and_out_of_the_body(news: ExtractedPage) -> None:
    assert news.url == NEWS_URL  # "...-may or-a76000" is "...-mayor-a76000"
    assert "Original url" not in news.text and "harbour-news" not in news.text
    assert news.site_name == "harbour-news.example"  # from the host: nothing else names it


def test_the_whole_text(news: ExtractedPage) -> None:
    assert [b.kind for b in news.document.blocks] == [
        "figure",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert news.lang == "en"
    assert news.excerpt is not None and news.excerpt.startswith("The harbour council voted")


@pytest.mark.parametrize(
    "date_line",
    ["January 10, 2022", "10 Jan 2022", "2022-01-10", "10.01.2022", "Updated: January 10, 2022"],
)
def test_date_line_forms(date_line: str) -> None:
    page = read(f"A Title\n\n{date_line}\n\n{BODY}\n")
    assert page.published == "2022-01-10"
    assert page.text == BODY


def test_a_published_date_wins_over_an_updated_one() -> None:
    page = read(f"A Title\n\nUpdated: 12.01.2022\nPublished: 10.01.2022\n\n{BODY}\n")
    assert page.published == "2022-01-10"


def test_header_lines_without_blank_lines_between() -> None:
    page = read(f"A Title\nBy Jane Doe | January 10, 2022 | 4 min read\n\n{BODY}\n")
    assert (page.title, page.byline, page.published) == ("A Title", "Jane Doe", "2022-01-10")
    assert page.text == BODY


def test_a_date_line_before_the_title() -> None:
    page = read(f"10 Jan 2022\n\nA Title\n\n{BODY}\n")
    assert (page.title, page.published, page.text) == ("A Title", "2022-01-10", BODY)


def test_a_title_underlined() -> None:
    page = read(f"A Title\n=======\n\n{BODY}\n")
    assert page.title == "A Title" and page.text == BODY


def test_prose_from_the_first_line_has_no_title_line() -> None:
    wrapped = "The council met on Monday and voted to keep\nthe ferries off the canal.\n"
    page = read(wrapped + "\nA second paragraph.\n")
    assert page.title == "The council met on Monday and voted to keep the ferries off the canal."
    assert page.text.startswith("The council met on Monday")  # the paragraph stays


def test_a_long_first_line_is_prose() -> None:
    long_line = "word " * 80
    page = read(long_line + "\n\nMore.\n")
    assert page.title.endswith("…") and len(page.title) <= 121
    assert page.text.startswith("word word")


def test_a_one_line_file_is_its_own_article() -> None:
    page = read("Just a line of text\n")
    assert page.title == "Just a line of text" and page.text == "Just a line of text"


def test_nothing_but_blank_and_control_characters_is_no_article() -> None:
    with pytest.raises(IngestError, match="no article text"):
        ingest_bytes(b"\x1b\n\n \x07 \n", "blank.txt")


def test_controls_and_bidi_overrides_are_stripped() -> None:
    page = read("Title \x1b[31mred\x1b[0m\n\nBody \u202eevil\u202c text\x07 here.\n")
    assert page.title == "Title [31mred[0m"
    assert page.text == "Body evil text here."


def test_url_on_the_labels_line_and_wrapped() -> None:
    page = read(
        f"A Title\n\n{BODY}\n\nSource: https://news.example/2022/01/10/a-very-long-\nstory-a1\n"
    )
    assert page.url == "https://news.example/2022/01/10/a-very-long-story-a1"
    assert page.text == BODY


def test_url_lines_after_a_credit_in_the_same_paragraph() -> None:
    page = read(f"A Title\n\n{BODY}\n\nAFP contributed reporting.\nURL: https://e.example/x-1\n")
    assert page.url == "https://e.example/x-1"
    assert page.text.endswith("AFP contributed reporting.")


def test_a_source_without_url_is_a_credit_and_stays() -> None:
    page = read(f"A Title\n\n{BODY}\n\nSource: Reuters\n")
    assert page.url is None and page.site_name is None
    assert page.text.endswith("Source: Reuters")


def test_a_url_in_the_header() -> None:
    page = read(f"A Title\nURL: https://blog.example.org/post\n\n{BODY}\n")
    assert page.url == "https://blog.example.org/post"
    assert page.site_name == "blog.example.org" and page.text == BODY


def test_a_script_url_is_no_url() -> None:
    page = read(f"A Title\n\n{BODY}\n\nOriginal url: javascript:alert(1)\n")
    assert page.url is None
    assert page.text.endswith("Original url: javascript:alert(1)")  # only text


def test_links_keep_web_targets_only() -> None:
    page = read(
        'A Title\n\nSee <a href="javascript:alert(1)">this</a> and <a href="/rel">that</a>.\n'
    )
    (block,) = page.document.blocks
    assert block.text == "See this and that."
    assert [m.href for m in block.marks if m.kind == "link"] == [
        "/rel"
    ]  # no URL to resolve against


def test_relative_links_resolve_against_the_footer_url() -> None:
    page = read('A Title\n\nSee <a href="/rel">that</a>.\n\nURL: https://e.example/a/b\n')
    assert [m.href for m in page.document.blocks[0].marks] == ["https://e.example/rel"]


def test_unknown_tags_are_dropped_and_non_tags_kept() -> None:
    page = read(
        "A <b>Bold</b> Title\n\nA <span class=x>span</span>, a <blink>tag</blink>,"
        " un<i>even</i>ly, x<div>y</div>z, <Jane Doe> and x < y > z.<br>Next\n"
    )
    assert page.title == "A Bold Title"
    assert page.text == "A span, a tag, unevenly, x y z, <Jane Doe> and x < y > z.\nNext"


def test_entities_decode_to_text_never_to_tags() -> None:
    page = read("A Title\n\nAT&amp;T said &lt;b&gt;hi&lt;/b&gt; &#27;[31m.\n")
    assert page.text == "AT&T said <b>hi</b> [31m."
    assert page.document.blocks[0].marks == ()


def test_lists_quotes_and_rules() -> None:
    page = read(
        "A Title\n\nIntro.\n\n- one\n- two, which goes on\n  over a second line\n\n"
        "1. first\n2) second\n\n> quoted words\n> go on\n\n* * *\n\nEnd.\n"
    )
    kinds = [(b.kind, b.text, b.ordered, b.number) for b in page.document.blocks]
    assert kinds == [
        ("paragraph", "Intro.", False, None),
        ("list_item", "one", False, None),
        ("list_item", "two, which goes on over a second line", False, None),
        ("list_item", "first", True, 1),
        ("list_item", "second", True, 2),
        ("quote", "quoted words go on", False, None),
        ("rule", "", False, None),
        ("paragraph", "End.", False, None),
    ]


@pytest.mark.parametrize(
    "caption",
    [
        "Ferries wait at the lock. Photo: Piet Klaver/Lantern Wire",
        "The old canal at dawn. (Photo by Piet Klaver)",
        "The old canal at dawn. © Piet Klaver",
        "Piet Klaver / Lantern Wire",
    ],
)
def test_caption_credit_forms(caption: str) -> None:
    page = read(f"A Title\n\nJanuary 10, 2022\n\n{caption}\n\n{BODY}\n")
    assert page.document.blocks[0].kind == "figure"
    assert page.document.blocks[0].text == caption


@pytest.mark.parametrize(
    "paragraph",
    [
        "The council met on Monday. It voted and/or argued.",
        "The council met on Monday and voted to keep the ferries away.",
    ],
)
def test_ordinary_first_paragraphs_are_no_captions(paragraph: str) -> None:
    page = read(f"A Title\n\n{paragraph}\n\n{BODY}\n")
    assert page.document.blocks[0].kind == "paragraph"


def test_a_caption_is_only_looked_for_under_the_heading() -> None:
    page = read(f"A Title\n\n{BODY}\n\nPiet Klaver / Lantern Wire\n\n{BODY}\n")
    assert [b.kind for b in page.document.blocks] == ["paragraph"] * 3


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["a hard", "wrap"], "a hard wrap"),
        (["informa-", "tion age"], "information age"),  # a bare suffix
        (["well-", "known"], "well-known"),  # ambiguous: kept
        (["so-", "called"], "so-called"),
        (["post-", "Soviet"], "post- Soviet"),  # not a lower-case letter after it
        (["2021-", "present"], "2021-present"),
        (["a dash -", "and more"], "a dash - and more"),
        (["soft\u00ad", "ware"], "software"),  # a soft hyphen: always mended
        (["gov-", "ernment"], "gov-ernment"),  # no evidence: kept
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


def test_join_lines_mends_a_word_the_text_has_elsewhere() -> None:
    assert join_lines(["the gov-", "ernment"], {"government"}) == "the government"
    assert join_lines(["well-", "known"], {"government"}) == "well-known"


def test_hyphen_evidence_from_the_same_article() -> None:
    page = read("A Title\n\nThe government met.\n\nThe gov-\nernment voted.\n")
    assert page.document.blocks[1].text == "The government voted."


def test_windows_line_ends_and_a_bom() -> None:
    page = read("\ufeffA Title\r\n\r\nJanuary 10, 2022\r\n\r\nSome\r\ntext.\r\n")
    assert (page.title, page.published, page.text) == ("A Title", "2022-01-10", "Some text.")
