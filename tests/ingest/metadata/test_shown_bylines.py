"""The byline a page shows or writes, and when it says more than the one declared."""

from __future__ import annotations

import json

import lxml.html
import pytest

from reader.ingest.metadata import extract_metadata
from reader.ingest.metadata.bylines import dom_byline, labelled_byline, says_more


def page(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head></head><body>{body}</body></html>")


def meta_of(head: str = "", body: str = "", url: str | None = None):  # type: ignore[no-untyped-def]
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.document_fromstring(markup), url)


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# --- markup that shows the byline ---------------------------------------------------


def test_an_avatars_initials_are_not_the_byline() -> None:
    body = (
        '<h1>H</h1><div class="author-card"><span class="avatar author-avatar">NB</span>'
        '<span class="author-meta--name">Nicole Burke</span>'
        f"<p>{'As founder of a garden firm, I have planted many gardens. ' * 3}</p></div>"
    )
    assert dom_byline(page(body)) == "Nicole Burke"


def test_a_byline_of_several_author_links_names_them_all() -> None:
    link = '<a href="https://example.com/report/author/{}/">{}</a>'
    body = (
        "<h1>H</h1><div>"
        + link.format("ruima", "Rui Ma")
        + "<span>, </span>"
        + link.format("heba", "Heba Ledwon")
        + "<span> &amp; </span>"
        + link.format("suparn", "Suparn Patra")
        + "</div>"
    )
    assert dom_byline(page(body), "example.com") == "Rui Ma, Heba Ledwon and Suparn Patra"


def test_a_row_of_author_cards_is_not_one_byline() -> None:
    card = '<a href="https://example.com/author/{}/">{}</a>'
    body = (
        "<h1>H</h1><div>" + card.format("kim", "Kim Ode") + card.format("bo", "Bo Chen") + "</div>"
    )
    assert dom_byline(page(body), "example.com") == "Kim Ode"


def test_a_byline_that_marks_its_author_names_that_author_only() -> None:
    body = (
        '<h1>H</h1><div class="byline">via <a class="u-author h-card" href="/~sam">sam</a>'
        ' 1 year ago | <a href="/t/caches">caches</a> | 12 comments</div>'
    )
    assert dom_byline(page(body)) == "sam"


def test_an_author_box_names_the_person_of_its_heading() -> None:
    bio = "Bence is a software developer specializing in audio. " * 4
    body = f'<h1>H</h1><p>Text.</p><div class="blog-author"><h4>Bence Kovács</h4><p>{bio}</p></div>'
    assert dom_byline(page(body)) == "Bence Kovács"


def test_a_microdata_person_is_its_itemprop_name() -> None:
    body = (
        '<h1>H</h1><div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<meta itemprop="name" content="julian"><span class="avatar">J</span>'
        '<a href="/user/julian">julian</a><a href="/groups/staff">NodeBB</a> wrote</div>'
    )
    assert dom_byline(page(body)) == "julian"


# --- a byline in words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<h1>H</h1><p>By <strong>Md Aynal Haque</strong></p><p>RAJSHAHI, Dec 20</p>",
            "Md Aynal Haque",
        ),
        ("<h1>H</h1><p>by Jon Foster - 2025-09-13<br>Updated: 2025-09-13</p>", "Jon Foster"),
        ('<h1>H</h1><div class="post-date"><p>12/19 — 2025 by ibby</p></div>', "ibby"),
        ("<p>Text.</p><h2>Article written by:</h2><div><h3>Doris Munoz</h3></div>", "Doris Munoz"),
        ("<h2>Article by</h2><div>Matias Heikkilä</div>", "Matias Heikkilä"),
        # Not a byline: a book's author in running text, a phrase, a menu, a form, code.
        ("<p>Read <em>Emma</em> by <a>Jane Austen</a> today.</p>", None),
        ("<p>By default, threads are off.</p>", None),
        ("<p>By integrating <a>SAP</a> with the hub, costs fell.</p>", None),
        ('<nav><span>Shop by</span><a href="/c">Collection</a></nav>', None),
        ("<form><label>Sort By</label><span>Newest</span></form>", None),
        ("<pre>ORDER BY\nexpr</pre>", None),
        # A list of articles, each "By" someone: no byline of the page's.
        ("<p>By Ann Lee</p><p>Post one.</p><p>By Bo Chen</p><p>Post two.</p>", None),
    ],
)
def test_labelled_byline(body: str, expected: str | None) -> None:
    assert labelled_byline(page(body)) == expected


def test_a_byline_in_words_speaks_only_when_nothing_else_does() -> None:
    body = '<h1>H</h1><span class="byline">Kim Ode</span><p>By Ann Lee</p>'
    assert meta_of(body=body).byline == "Kim Ode"
    assert meta_of(body="<h1>H</h1><p>By Ann Lee</p>").byline == "Ann Lee"


# --- the declared byline and the shown one ------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "shown", "more"),
    [
        ("Rui Ma", "Rui Ma, Heba Ledwon and Suparn Patra", True),
        ("Marna van der Merwe", "Dr Marna van der Merwe and Dieter Veldsman", True),
        ("Rui Ma", "Rui Ma", False),
        ("Rui Ma", "Kim Ode", False),
        ("Stephen Jesudunsin", "Stephen Jesudunsin and Embarque", False),  # a company
        ("andrew.keaveney", "Denise Everheart", True),
        ("CC7567", "James Akinaka", True),
        ("KatieS", "Aoife O'Riordan", True),
        ("khixxx", "Jeff Weissman Electric", False),  # a user name like a person's
        ("andrew.keaveney", "andrew.keaveney", False),
        ("Podium Staff", "Kim Ode", True),
        ("Podium Staff", "Podium Team", False),
    ],
)
def test_says_more(declared: str, shown: str, more: bool) -> None:
    assert says_more(declared, shown) is more


def test_the_shown_byline_names_the_authors_a_plugin_declares_one_of() -> None:
    head = '<meta name="author" content="Rui Ma">'
    body = '<h1>H</h1><div class="byline">By Rui Ma, Heba Ledwon &amp; Suparn Patra</div>'
    assert meta_of(head, body).byline == "Rui Ma, Heba Ledwon and Suparn Patra"


def test_an_account_name_declared_gives_way_to_the_name_shown() -> None:
    obj = {"@type": "Article", "headline": "H", "author": {"name": "andrew.keaveney"}}
    body = '<h1>H</h1><span class="author-name">Denise Everheart</span>'
    assert meta_of(jsonld(obj), body).byline == "Denise Everheart"
    # A declared person stays, whoever else the page shows.
    obj["author"] = {"name": "Luke Daigle"}
    assert meta_of(jsonld(obj), body).byline == "Luke Daigle"


def test_a_house_byline_gives_way_to_a_person() -> None:
    head = '<meta name="author" content="Podium Staff">'
    assert meta_of(head, "<h1>H</h1><p>Text.</p>").byline == "Podium Staff"
    assert meta_of(head, "<h1>H</h1><p>By Kim Ode</p>").byline == "Kim Ode"
