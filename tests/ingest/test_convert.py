"""Clean HTML -> Document blocks: structure, marks and their offsets, text hygiene."""

from __future__ import annotations

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from reader.document import Block, Document, Mark
from reader.ingest.convert import html_to_document
from reader.ingest.convert.links import absolute_url
from reader.ingest.convert.tables import is_data_table

BASE = "https://example.com/news/story.html"


def convert(markup: str, base: str | None = BASE) -> Document:
    return html_to_document(lxml.html.fragment_fromstring(markup, create_parent="div"), base)


def kinds(doc: Document) -> list[str]:
    return [b.kind for b in doc.blocks]


def test_paragraphs_and_headings() -> None:
    doc = convert("<h2>Title  here</h2><p>One\n  two</p><p>Three</p>")
    assert kinds(doc) == ["heading", "paragraph", "paragraph"]
    assert doc.blocks[0].level == 2
    assert doc.text == "Title here\n\nOne two\n\nThree"


def test_inline_marks_have_exact_offsets() -> None:
    doc = convert("<p>Say <em>hello</em> to <strong>the <code>x()</code></strong> world</p>")
    block = doc.blocks[0]
    assert block.text == "Say hello to the x() world"
    spans = {(m.kind, block.text[m.start : m.end]) for m in block.marks}
    assert spans == {("em", "hello"), ("strong", "the x()"), ("code", "x()")}


def test_mark_edges_do_not_include_spaces() -> None:
    block = convert("<p>a<em> b </em>c</p>").blocks[0]
    assert block.text == "a b c"
    (mark,) = block.marks
    assert block.text[mark.start : mark.end] == "b"


def test_links_absolute_and_javascript_dropped_text_kept() -> None:
    doc = convert(
        '<p><a href="/a">rel</a> <a href="javascript:alert(1)">js</a> '
        '<a href="data:text/html,x">data</a> <a href="#n">frag</a></p>'
    )
    block = doc.blocks[0]
    assert block.text == "rel js data frag"
    links = [(block.text[m.start : m.end], m.href) for m in block.marks]
    assert links == [("rel", "https://example.com/a"), ("frag", BASE + "#n")]


def test_absolute_url_rules() -> None:
    assert absolute_url("img.png", BASE) == "https://example.com/news/img.png"
    assert absolute_url(" JavaScript:void(0)", BASE) is None
    assert absolute_url("http://[bad", BASE) is None
    assert absolute_url("", BASE) is None
    for bad in (
        "dat:image/png,x",
        "ms-msdt:/id x",
        "intent://x#Intent;end",
        "jar:x",
        "java\nscript:x",
    ):
        assert absolute_url(bad, BASE) is None, bad
        assert absolute_url(bad, None) is None, bad
    assert absolute_url("mailto:a@b.example", BASE) == "mailto:a@b.example"
    assert absolute_url("/rel", None) == "/rel"
    assert absolute_url("//cdn.example/x", BASE) == "https://cdn.example/x"


def test_nested_lists_levels_and_numbers() -> None:
    doc = convert(
        "<ol start='3'><li>three<ul><li>inner <b>bold</b></li><li>more</li></ul></li>"
        "<li>four</li></ol>"
    )
    items = [(b.text, b.level, b.ordered, b.number) for b in doc.blocks]
    assert items == [
        ("three", 0, True, 3),
        ("inner bold", 1, False, None),
        ("more", 1, False, None),
        ("four", 0, True, 4),
    ]


def test_paragraphs_inside_a_list_item_stay_one_item() -> None:
    doc = convert("<ul><li><p>first</p><p>second</p></li></ul>")
    assert kinds(doc) == ["list_item"]
    assert doc.blocks[0].text == "first\nsecond"


def test_code_block_kept_verbatim_with_language() -> None:
    code = "def f(x):\n\tif x < 1:\n\t\treturn  [x]\n"
    doc = convert(f'<pre><code class="language-python">{code.replace("<", "&lt;")}</code></pre>')
    (block,) = doc.blocks
    assert block.kind == "code"
    assert block.lang == "python"
    assert block.text == code.rstrip("\n")


def test_code_br_becomes_newline_and_controls_stripped() -> None:
    block = convert("<pre>a\x07b<br>c\u202ed</pre>").blocks[0]
    assert block.text == "ab\ncd"


def test_quotes_nest() -> None:
    doc = convert("<blockquote><p>outer</p><blockquote>inner</blockquote></blockquote>")
    assert [(b.kind, b.text, b.level) for b in doc.blocks] == [
        ("quote", "outer", 1),
        ("quote", "inner", 2),
    ]


def test_figure_caption_alt_and_absolute_src() -> None:
    doc = convert(
        '<figure><img src="/p.jpg" alt="A cat"><figcaption>The <em>cat</em></figcaption></figure>'
        '<figure><img data-src="q.png" src="data:image/gif;base64,R0" alt="Dog"></figure>'
    )
    first, second = doc.blocks
    assert (first.kind, first.text, first.alt, first.src) == (
        "figure",
        "The cat",
        "A cat",
        "https://example.com/p.jpg",
    )
    assert first.text[first.marks[0].start : first.marks[0].end] == "cat"
    assert (second.text, second.src) == ("Dog", "https://example.com/news/q.png")


def test_image_file_name_alt_is_not_a_caption() -> None:
    doc = convert('<p>text</p><p><img src="a.jpg" alt="IMG_0042.jpg"></p>')
    assert doc.text == "text"


def test_data_table_rows() -> None:
    doc = convert(
        "<table><tr><th>Name</th><th>Age</th></tr>"
        "<tr><td>Ann <b>B</b></td><td>3\n</td></tr></table>"
    )
    (block,) = doc.blocks
    assert block.kind == "table"
    assert block.rows == (("Name", "Age"), ("Ann B", "3"))
    assert block.text == "Name\tAge\nAnn B\t3"


def test_layout_table_is_read_as_blocks() -> None:
    markup = "<table><tr><td><p>Para one.</p><p>Para two.</p></td></tr></table>"
    table = lxml.html.fragment_fromstring(markup)
    assert not is_data_table(table)
    assert kinds(convert(markup)) == ["paragraph", "paragraph"]


def test_rule_and_double_br() -> None:
    doc = convert("<div>one<br>two<br><br>three<hr>four</div>")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "one\ntwo"),
        ("paragraph", "three"),
        ("rule", ""),
        ("paragraph", "four"),
    ]


def test_controls_and_bidi_stripped_tabs_spaced() -> None:
    doc = convert("<p>a\x01b\x1b[31m\tc\u202ed\u2066e\u0085f</p>")
    assert doc.text == "ab[31m cdef"


def test_rich_markup_is_literal_text() -> None:
    doc = convert("<h1>[bold]x[/]</h1><p>[link=https://e.com]y[/link]</p>")
    assert doc.text == "[bold]x[/]\n\n[link=https://e.com]y[/link]"
    assert all(not b.marks for b in doc.blocks)


def test_scripts_styles_and_forms_skipped() -> None:
    doc = convert("<p>keep<script>var x</script><style>p{}</style><button>Share</button></p>")
    assert doc.text == "keep"


def test_deep_nesting_does_not_recurse() -> None:
    root = lxml.html.Element("div")
    node = root
    for _ in range(20000):
        node = lxml.html.etree.SubElement(node, "span")
    node.text = "deep"
    assert html_to_document(root).text == "deep"


def test_one_megabyte_paragraph() -> None:
    words = ("word " * 200_000).strip()
    doc = convert(f"<p>{words}</p>")
    assert doc.word_count == 200_000


def test_blocks_serialise_round_trip() -> None:
    doc = convert('<p><a href="/x">link</a> and <em>em</em></p><ol><li>one</li></ol>')
    assert Document.from_json(doc.to_json(), doc.text) == doc  # structure over the text (v2)
    assert doc.blocks[0].marks[0] == Mark("link", 0, 4, "https://example.com/x")
    assert isinstance(doc.blocks[1], Block)


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"),
    max_size=60,
)


@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_paragraph_text_round_trips(texts: list[str]) -> None:
    import html

    markup = "".join(f"<p>{html.escape(t)}</p>" for t in texts)
    doc = convert(markup)
    expected = [" ".join(t.split()) for t in texts]
    expected = [t.replace("\u202a", "") for t in expected]
    got = [b.text for b in doc.blocks]
    from reader.textrules import clean_line

    assert got == [clean_line(t) for t in texts if clean_line(t)]


def test_emoji_images_are_inline_text() -> None:
    doc = convert(
        '<p>Nice <img class="wp-smiley" alt=":)" src="s.png"> and <img alt="🎉"> done</p>'
    )
    assert doc.text == "Nice :) and 🎉 done"


def test_ruby_parentheses_dropped() -> None:
    assert convert("<p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>").text == "漢kan"


def test_figure_caption_without_figcaption_and_multi_paragraph_caption() -> None:
    doc = convert('<figure><img src="a.jpg" alt="A cat"><p>Photo: <b>Ann</b> Lee</p></figure>')
    (block,) = doc.blocks
    assert (block.text, block.alt) == ("Photo: Ann Lee", "A cat")
    assert block.text[block.marks[0].start : block.marks[0].end] == "Ann"
    doc = convert(
        '<figure><img src="a.jpg"><figcaption><p>One <em>two</em></p><p>Three <a href="/x">four'
        "</a></p></figcaption></figure>"
    )
    (block,) = doc.blocks
    assert block.text == "One two Three four"
    assert [block.text[m.start : m.end] for m in block.marks] == ["two", "four"]
