"""Telling a plain file's kind: HTML page, plain-text or Markdown article, or data file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from reader.ingest.formats import article_kind
from reader.ingest.page import IngestError
from reader.ingest.sources import parse_page

from .text_articles import NEWS_TXT, OBSIDIAN_MD, PLAIN_MD

REFUSAL = (
    "not an article nor an export reader knows"
    " (Pocket, Omnivore, wallabag, Instapaper, Readwise, bookmarks)"
)
PAGE = "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Hello.</p></body></html>"


@pytest.mark.parametrize(
    ("text", "filename", "kind"),
    [
        # By extension, when the content does not say otherwise.
        (NEWS_TXT, "news.txt", "text"),
        (NEWS_TXT, "news.text", "text"),
        (OBSIDIAN_MD, "clip.md", "markdown"),
        (OBSIDIAN_MD, "clip.markdown", "markdown"),
        (PLAIN_MD, "notes.TXT", "text"),  # named text: Markdown signs do not override it
        # By content, without a telling name (standard input, "article", "story.dat").
        (NEWS_TXT, "-", "text"),
        (OBSIDIAN_MD, "-", "markdown"),
        (PLAIN_MD, "article", "markdown"),  # a heading first
        ("Intro with a [link](https://e.x/) and **bold** words.\n", "story.dat", "markdown"),
        ("Just a [link](https://e.x/) in prose.\n", "-", "text"),  # one sign is not enough
        ("---\ntitle: X\n---\nBody.\n", "-", "markdown"),  # front matter
        # HTML is never text, whatever the name.
        (PAGE, "page.txt", "html"),
        (PAGE, "page.md", "html"),
        (PAGE, "-", "html"),
        ("\ufeff  <!-- saved from url=(0014)about:internet -->\n<html><p>x</p>", "a.md", "html"),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "a.txt", "html"),
        ("<p>A fragment of a page.</p>", "-", "html"),
        ("<div><p>Saved as text by mistake.</p></div>", "a.txt", "html"),
        ("Some words first.\n<html><body><p>x</p></body></html>", "-", "html"),
        # ... but Markdown may start with an HTML block, and text may hold inline tags.
        ('<p align="center"><img src="logo.png"></p>\n\n# Project\n', "README.md", "markdown"),
        ("<div><p>A page's fragment, no Markdown.</p></div>", "saved.md", "html"),
        ("He <u>said</u> so.\n\nAnd <b>left</b>.\n", "said.txt", "text"),
        ("<Jane Doe> wrote this line.\n", "-", "text"),  # not an element: text
        # A saved page's name keeps its meaning.
        ("No markup at all.\n", "page.html", "html"),
        ("Content-Type: text/html\n", "cut.mhtml", "html"),
    ],
)
def test_kind_by_content_then_name(text: str, filename: str, kind: str) -> None:
    assert article_kind(text, filename) == kind


@pytest.mark.parametrize(
    ("text", "filename", "what"),
    [
        (json.dumps({"list": [{"url": "https://e.x/", "title": "T"}]}), "export.json", "JSON"),
        (json.dumps([{"url": "https://e.x/"}]), "data", "JSON"),
        (json.dumps({"a": 1}), "looks-like.txt", "JSON"),
        (json.dumps({"a": 1}), "named.md", "JSON"),
        ('{"a": 1}\n{"b": 2}\n', "-", "JSON Lines"),
        ("not even JSON", "broken.json", "JSON"),
        ('{"a": 1}\n', "items.jsonl", "JSON Lines"),
        ("title,url,time_added,tags,status\nA,https://e.x/,1,,unread\n", "pocket.csv", "CSV"),
        (
            "title,url,time_added,tags,status\nA,https://e.x/a,1,,unread\nB,https://e.x/b,2,,read\n",
            "-",
            "CSV",
        ),
        ("URL\tTitle\tSelection\nhttps://e.x/\tT\t\nhttps://e.y/\tU\t\n", "export.txt", "CSV"),
    ],
)
def test_data_files_are_refused_with_one_line(text: str, filename: str, what: str) -> None:
    with pytest.raises(IngestError) as caught:
        article_kind(text, filename)
    message = str(caught.value)
    assert message.startswith(f"a {what} file, ") and message.endswith(REFUSAL)
    assert "\n" not in message and filename not in message


@pytest.mark.parametrize(
    "text",
    [
        "[Editor's note] This story was updated.\n\nIt goes on.\n",  # a bracket, not JSON
        "{Draft} A title in braces\n\nBody.\n",
        "Apples, pears, and plums, said she,\nare ripe, and sweet, and cheap,\nso buy, eat.\n",
        "One, two, three\n\nfour, five, six\n\nseven, eight, nine\n",  # blank lines: prose
    ],
)
def test_prose_that_starts_like_data_is_text(text: str) -> None:
    assert article_kind(text, "-") == "text"


def zip_of(name: str, data: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("filename", ["export.zip", "pocket.html", "-", "notes.md"])
def test_a_zip_is_refused_whatever_its_name(filename: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_page(zip_of("ril_export.html", "<p>x</p>"), filename)
    assert str(caught.value) == f"a ZIP archive, {REFUSAL}"


def test_parse_page_says_text_or_markdown_and_keeps_the_bytes() -> None:
    data = NEWS_TXT.encode("utf-8")
    page = parse_page(data, "news.txt")
    assert page.kind == "text" and page.data == data and page.html is data
    assert page.url is None
    markdown = parse_page(OBSIDIAN_MD.encode(), "clip.md")
    assert markdown.kind == "markdown"


def test_json_refused_through_parse_page() -> None:
    with pytest.raises(IngestError, match=r"^a JSON file, not an article"):
        parse_page(b'{"articles": []}', "export.json")


def test_binary_named_txt_is_still_binary() -> None:
    with pytest.raises(IngestError, match="binary data"):
        parse_page(bytes(range(256)) * 4, "notes.txt")


def test_a_text_file_in_a_legacy_encoding_is_text() -> None:
    text = "Привет из Москвы\n\nЭто статья, сохранённая как текст в кодировке windows-1251.\n"
    page = parse_page(text.encode("cp1251"), "статья.txt")
    assert page.kind == "text"


def test_no_corpus_page_is_taken_for_text_whatever_its_name(corpus_dir: Path) -> None:
    """Every page of the Readability corpus, and every expected output (fragments that
    start with a <div>), is HTML named `-`, `.txt` or `.md`."""
    files = sorted(corpus_dir.glob("*/source.html")) + sorted(corpus_dir.glob("*/expected.html"))
    assert files
    kinds = {
        (path.parent.name, path.name, name): parse_page(path.read_bytes(), name).kind
        for path in files
        for name in ("-", "page.txt", "page.md")
    }
    assert {key: kind for key, kind in kinds.items() if kind != "html"} == {}


def test_many_comments_before_the_text_are_read_at_once() -> None:
    # `<!--.*?-->` repeated could split 40 comments in 2^40 ways: hours for one page.
    head = "<!-- a note -->\n" * 40 + "Plain words after the comments, as a text file has them."
    assert article_kind(head, "notes.txt") == "html"  # a comment first: HTML, as before
    assert article_kind(head.replace("Plain", "<html><body>Plain"), "page") == "html"
