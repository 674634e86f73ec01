"""reveal_noscript: a noscript is shown when it holds the page's text, measured as the
markup it holds even when the parser kept that markup as text."""

from __future__ import annotations

import lxml.html

from reader.ingest.scripted import reveal_noscript

STORY = "".join(
    f"<p>Paragraph {i} of the article says what it has to say in a sentence or two.</p>"
    for i in range(3)
)


def test_a_noscript_holding_the_thread_is_revealed() -> None:
    posts = "".join(
        f"<p>Post {i} {'reads on and on about the question. ' * 6}</p>" for i in range(3)
    )
    root = lxml.html.document_fromstring(
        f"<html><body><div id='app'>Loading</div><noscript>{posts}</noscript></body></html>"
    )
    assert reveal_noscript(root)
    assert "Post 2 reads on" in root.text_content()
    assert not root.xpath("//noscript")


def test_a_tracking_pixel_kept_as_text_is_not_the_page() -> None:
    """A parser with scripting on keeps a noscript's markup as text; its long URL is not
    words of the page."""
    root = lxml.html.document_fromstring(f"<html><body>{STORY}<noscript></noscript></body></html>")
    pixel = '<div style="position:absolute"><img width=1 height=1 alt="" src="https://t.example/b?'
    for noscript in root.iter("noscript"):
        noscript.text = pixel + "x" * 2000 + '"></div>'
    assert not reveal_noscript(root)
    assert root.xpath("//noscript")


def test_a_thread_kept_as_text_is_revealed_as_markup() -> None:
    posts = "".join(
        f"<p>Post {i} {'reads on and on about the question. ' * 6}</p>" for i in range(3)
    )
    root = lxml.html.document_fromstring(
        "<html><body><div id='app'>Loading</div><noscript></noscript><p>Tail</p></body></html>"
    )
    noscript = root.find(".//noscript")
    noscript.text = posts
    noscript.tail = "after"
    assert reveal_noscript(root)
    assert len(root.xpath("//body/div/p")) == 3
    assert "<p>" not in root.text_content()
    assert "after" in root.text_content()
