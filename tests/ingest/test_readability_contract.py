"""What extract.py relies on in readability-lxml's private API, checked against 0.9.

`_Readability` overrides private methods of `readability.Document` (`_html`,
`score_paragraphs`, `get_link_density`, `sanitize`), re-implements `_parse` (as
`_prepare`) and `clean`/`text_length` (as `readability_length`), and reads the private
`REGEXES` and `cleaners.html_cleaner`. pyproject.toml pins the version range this was
written against; an upgrade that changes any of it must fail here, loudly, and not
quietly change what reader extracts.
"""

from __future__ import annotations

import hashlib
import inspect
import tomllib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import lxml.html
import pytest
import readability.debug as readability_debug
import readability.readability as readability_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from readability import Document as Readability
from readability import cleaners

from reader.ingest import readable as extract
from reader.ingest.parse import parse_html
from reader.ingest.readable import _Readability
from reader.ingest.readable import readability_article as _readability_article

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

STORY = "Words of a story, told at length, with commas, clauses and more. " * 6
PAGES = {
    "plain": f"<html><body><div class='post'><p>{STORY}</p><p>{STORY}</p></div></body></html>",
    "links and lists": (
        "<html><head><title>T</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Title</h1><p>{STORY}<a href='/x'>a link</a>.</p>"
        f"<ul><li>one item</li><li>two</li></ul><p>{STORY}</p></article>"
        "<div class='sidebar'><a href='/a'>Other</a> <a href='/b'>Others</a></div></body></html>"
    ),
    "whitespace runs": (
        f"<html><body><div><p>{STORY}\n\n\t  {STORY}</p>"
        f"<td>{' ' * 300}cell {STORY}</td><p><a href='/z'>{'x  ' * 40}</a>{STORY}</p>"
        "</div></body></html>"
    ),
    "hidden and display:none": (
        f"<html><body><div hidden><p>{STORY}</p></div>"
        f"<div style='display: none'><p>{STORY}</p></div><div><p>{STORY}</p>"
        f"<p>{STORY}</p></div></body></html>"
    ),
    # The ruthless first pass drops the "extra" box and finds nothing: a second pass.
    "second pass": f"<html><body><div class='extra'><p>{STORY}</p></div></body></html>",
}


def _fingerprint(obj: Callable[..., object]) -> str:
    return hashlib.sha256(" ".join(inspect.getsource(obj).split()).encode()).hexdigest()[:16]


def test_installed_readability_is_in_the_pinned_range() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = [Requirement(d) for d in dependencies if Requirement(d).name == "readability-lxml"]
    assert len(pinned) == 1
    assert pinned[0].specifier, "readability-lxml must be pinned to a range (extract.py)"
    assert version("readability-lxml") in pinned[0].specifier


# The code of readability-lxml 0.9 that extract.py overrides, re-implements or relies
# on. A new version that changes one of them fails here: read the new code against
# extract.py (the override named beside it), then update the fingerprint.
FINGERPRINTS = {
    # _Readability._html replaces it (our tree, read once; a fresh one for pass two).
    "Document._html": (Readability._html, "b6c88365a9653638"),
    # _Readability._prepare does what it does, in place and without links.
    "Document._parse": (Readability._parse, "0e43562cad2aded2"),
    # _Readability.get_link_density computes the same, faster.
    "Document.get_link_density": (Readability.get_link_density, "a7c1a2d79705561f"),
    # _Readability.score_paragraphs caches lengths: scoring must not edit the tree.
    "Document.score_paragraphs": (Readability.score_paragraphs, "6dabf5afc86ffee1"),
    # _Readability.sanitize keeps the node it is given: it must be the article.
    "Document.sanitize": (Readability.sanitize, "116bbfe562fe3b03"),
    # summary calls _html(True) for each pass, then sanitize once on the article.
    "Document.summary": (Readability.summary, "23990d70249b750b"),
    # _Readability.get_clean_html stands in for it when the article has the text.
    "Document.get_clean_html": (Readability.get_clean_html, "229a57ffe9b86ee1"),
    # describe keeps the last tree in module globals; _forget_described_nodes drops it.
    "debug.describe": (readability_debug.describe, "ba88b48c0e79e97b"),
    # readability_length is len(clean(text)), computed faster.
    "clean": (readability_module.clean, "b8fb38ca8cccb480"),
    "text_length": (readability_module.text_length, "695d7810dec9aecc"),
}


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_the_code_we_override_is_the_code_we_read(name: str) -> None:
    function, expected = FINGERPRINTS[name]
    assert _fingerprint(function) == expected, (
        f"readability-lxml {version('readability-lxml')} changed {name}: check "
        "reader/ingest/readable.py against it, then update the fingerprint"
    )


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("__init__", "(self, input, positive_keywords=None, negative_keywords=None, url=None,"),
        ("_html", "(self, force=False)"),
        ("_parse", "(self, input)"),
        ("score_paragraphs", "(self)"),
        ("get_link_density", "(self, elem)"),
        ("sanitize", "(self, node, candidates, keep_all_images=False)"),
        ("summary", "(self, html_partial=False, keep_all_images=False)"),
        ("get_clean_html", "(self)"),
    ],
)
def test_overridden_methods_keep_their_signatures(name: str, signature: str) -> None:
    upstream = inspect.signature(getattr(Readability, name))
    assert str(upstream).startswith(signature)
    if name != "__init__":  # ours take what readability passes them
        ours = inspect.signature(getattr(_Readability, name))
        assert [(p.name, p.default) for p in ours.parameters.values()] == [
            (p.name, p.default) for p in upstream.parameters.values()
        ]


def test_the_attributes_we_set_and_read_exist() -> None:
    upstream = Readability("<p>x</p>")
    assert upstream.html is None and upstream.encoding is None  # _html fills both
    ours = _Readability(parse_html("<p>x</p>"), lambda: parse_html("<p>x</p>"))
    assert ours.html is None
    assert ours._html() is ours.html is not None
    assert ours.encoding == "utf-8"


def test_display_none_regex_and_cleaner_are_where_we_read_them() -> None:
    pattern = readability_module.REGEXES["displayNoneRe"]
    assert pattern is extract._DISPLAY_NONE
    for style in ("display:none", "color: red; display : none !important", "visibility:hidden"):
        assert pattern.search(style), style
    assert not pattern.search("display: block")
    # Our cleaner is readability's own but for the javascript pass.
    upstream = vars(cleaners.html_cleaner)
    ours = vars(extract._CLEANER)
    assert upstream["javascript"] is True and ours["javascript"] is False
    assert {k: v for k, v in ours.items() if k != "javascript"} == {
        k: v for k, v in upstream.items() if k != "javascript"
    }


@pytest.mark.parametrize("name", sorted(PAGES))
def test_prepare_is_readabilitys_parse_without_the_link_pass(name: str) -> None:
    html = PAGES[name]
    ours = _Readability(parse_html(html), lambda: parse_html(html))._html()
    upstream = Readability("")._parse(parse_html(html))
    assert lxml.html.tostring(ours) == lxml.html.tostring(upstream)


def test_prepare_differs_from_readability_only_in_link_targets_and_handlers() -> None:
    html = (
        "<html><body><p onclick='x()'>Click <a href='javascript:go()'>here</a></p>"
        "<base href='https://cdn.example/'><p><a href='rel'>rel</a></p></body></html>"
    )
    ours = _Readability(parse_html(html), lambda: parse_html(html))._html()
    upstream = Readability("")._parse(parse_html(html))
    assert ours.text_content() == upstream.text_content()
    assert ours.find(".//p").get("onclick") == "x()"  # convert never reads it
    assert upstream.find(".//p").get("onclick") is None
    # No base to resolve against (we resolve links ourselves, against a base we trust).
    assert ours.find(".//base") is None
    assert [a.get("href") for a in ours.iter("a")] == ["javascript:go()", "rel"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_link_density_is_readabilitys_own(name: str) -> None:
    html = PAGES[name]
    reader = _Readability(parse_html(html), lambda: parse_html(html))
    for elem in reader._html().iter():
        if isinstance(elem.tag, str):
            assert reader.get_link_density(elem) == Readability.get_link_density(reader, elem)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_scores_are_readabilitys_own(name: str) -> None:
    html = PAGES[name]
    ours = _Readability(parse_html(html), lambda: parse_html(html))
    upstream = Readability("")
    upstream.html = _Readability(parse_html(html), lambda: parse_html(html))._html()

    def scores(reader: Readability) -> dict[str, float]:
        tree = reader._html().getroottree()
        found = reader.score_paragraphs()
        return {tree.getpath(elem): found[elem]["content_score"] for elem in found}

    assert scores(ours) == scores(upstream)
    assert ours._lengths is None  # the cache lives only while scoring


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_article_is_what_readability_summarises(name: str) -> None:
    html = PAGES[name]
    fresh_calls: list[int] = []

    def fresh() -> lxml.html.HtmlElement:
        fresh_calls.append(1)
        return parse_html(html)

    found = _readability_article(parse_html(html), fresh)
    assert found is not None
    ours = lxml.html.tostring(found, encoding="unicode")
    assert ours == Readability(html).summary(html_partial=True)
    assert fresh_calls == ([1] if name == "second pass" else [])


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_stand_in_for_the_serialised_article_decides_as_readability_does(name: str) -> None:
    """readability serialises the sanitized article only to compare its length with
    retry_length; ours serialises only an article with less text than that."""
    html = PAGES[name]
    reader = _Readability(parse_html(html), lambda: parse_html(html))
    reader.summary(html_partial=True)  # reader.html is the sanitized article now
    ours, upstream = reader.get_clean_html(), Readability.get_clean_html(reader)
    retry = reader.retry_length
    assert (len(ours) >= retry) == (len(upstream) >= retry)
    assert len(upstream) >= extract.text_length(reader.html)  # what the stand-in rests on


def test_readability_forgets_the_trees_it_described() -> None:
    html = PAGES["links and lists"]
    readability_debug.describe(parse_html(html))
    assert readability_debug.uids_document is not None  # what would keep a tree alive
    _readability_article(parse_html(html), lambda: parse_html(html))
    assert readability_debug.uids_document is None and readability_debug.uids == {}


def test_readability_length_of_an_element_is_text_length() -> None:
    root = lxml.html.fromstring(PAGES["whitespace runs"])
    for elem in root.iter():
        assert extract.readability_text_length(elem) == readability_module.text_length(elem)


def test_the_logger_we_quieten_is_readabilitys() -> None:
    assert readability_module.log.name == "readability.readability"


# Moved from test_extract.py, unchanged.


def test_readability_second_pass_reads_a_fresh_tree() -> None:
    import lxml.html
    from readability import Document as Readability

    from reader.ingest.parse import parse_html
    from reader.ingest.readable import readability_article as _readability_article

    # Its ruthless first pass drops the "extra" box and finds nothing; the second
    # pass needs the page as it was, which `fresh` gives.
    story = "Words of a story, told at length. " * 10
    html = f"<html><body><div class='extra'><p>{story}</p></div></body></html>"
    fresh_calls: list[int] = []

    def fresh() -> lxml.html.HtmlElement:
        fresh_calls.append(1)
        return parse_html(html)

    found = _readability_article(parse_html(html), fresh)
    assert fresh_calls == [1]
    assert found is not None
    ours = lxml.html.tostring(found, encoding="unicode")
    assert ours == Readability(html).summary(html_partial=True)


_SPACE = st.sampled_from(
    [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u3000", "\u2028", "\x85"]
)


@given(
    st.lists(
        st.one_of(
            st.text(st.sampled_from("ab,."), max_size=3),
            st.text(_SPACE, max_size=4),
            st.builds(lambda ch, n: ch * n, _SPACE, st.integers(250, 600)),
        ),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_readability_length_is_readabilitys_own(text: str) -> None:
    from readability.readability import clean

    from reader.ingest.readable import readability_length

    assert readability_length(text) == len(clean(text))
