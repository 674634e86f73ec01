"""Metadata of whole pages, one small page of each kind: who wrote it, when, its title."""

from __future__ import annotations

from reader.ingest.extract import extract_page
from reader.ingest.page import ExtractedPage, RawPage


def extract(body: str, head: str = "") -> ExtractedPage:
    html = f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"
    data = html.encode("utf-8")
    return extract_page(RawPage(data=data, html=data, filename="page.html", kind="html"))


def sentence(subject: str, i: int) -> str:
    return (
        f"{subject} note {i} explains one more thing in a full sentence, long enough to read "
        "as running prose and not as a menu entry or a teaser line."
    )


def test_a_thread_is_its_first_posts() -> None:
    posts = "".join(
        f'<div class="message" id="post-{i}" data-author="{name}">'
        f'<a class="username" href="/members/{name}.{i}/">{name}</a>'
        f'<div class="message-body"><p>{sentence(name.title(), i)}</p>'
        f"<p>{sentence(name.title(), i + 10)}</p></div></div>"
        for i, name in enumerate(["pelex", "bob", "cleo"])
    )
    result = extract(f"<main><h1>Which starter?</h1>{posts}</main>")
    assert result.extractor == "forum"
    assert result.byline == "pelex"


def test_an_article_dated_only_in_its_text() -> None:
    story = "".join(f"<p>{sentence('The river', i)}</p>" for i in range(5))
    body = (
        "<article><h1>The river rises</h1>"
        '<div class="post-meta"><a href="/author/ann-lee/">Ann Lee</a>'
        ' · <span class="date">March 5, 2024</span></div>'
        f"{story}</article>"
    )
    result = extract(body, "<title>The river rises | Brightwater</title>")
    assert (result.byline, result.published) == ("Ann Lee", "2024-03-05")


def test_a_product_is_its_headline() -> None:
    head = '<meta property="og:title" content="Galaxy S25 Ultra | Features &amp; Highlights">'
    body = (
        "<main><h1>Galaxy S25 Ultra</h1>"
        + "".join(f"<p>{sentence('The phone', i)}</p>" for i in range(4))
        + "</main>"
    )
    assert extract(body, head).title == "Galaxy S25 Ultra"


def test_documentation_is_its_headline() -> None:
    head = "<title>Promise - JavaScript | MDN</title>"
    body = (
        "<main><h1>Promise</h1>"
        + "".join(f"<p>{sentence('The promise', i)}</p>" for i in range(4))
        + "<pre><code>new Promise(resolve =&gt; resolve(1))</code></pre></main>"
    )
    assert extract(body, head).title == "Promise"
