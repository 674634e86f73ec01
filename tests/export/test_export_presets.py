"""The presets' layouts: each is one template, read back as its app reads it, with block ids."""

from __future__ import annotations

import re

import pytest
import yaml

from reader.export.blocks import LAYOUTS, id_names, note_of, parse_file
from reader.export.presets import PRESETS, block_uuid, render_preset
from reader.export.render import article_fields
from reader.models import Annotation, ArticleSummary

ARTICLE = ArticleSummary(
    12,
    "On Reading: a *guide*",
    url="https://example.com/reading",
    byline="Ann Author",
    site_name="Example",
    published="2024-05-01",
    tags=("books", "long reads"),
)
ANNOTATIONS = [
    Annotation(3, 12, 10, 20, exact="Read slowly,\nand twice.", note="Yes: #slow ^hl-3"),
    Annotation(4, 12, 30, 40, exact="Notes are yours.", color="green"),
    Annotation(5, 12, None, None, note="Whole article: worth it."),
]
KEYS = ["hl-3", "hl-4", "note-5"]


def render(preset: str, **kw: bool) -> str:
    return render_preset(preset, article_fields(ARTICLE, ANNOTATIONS, ARTICLE.tags), **kw)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_block_ends_with_its_id_and_its_note_reads_back(preset: str) -> None:
    text = render(preset)
    parsed = parse_file(text, LAYOUTS[preset], id_names(KEYS))
    assert [b.key for b in parsed.blocks] == KEYS
    notes = [note_of(LAYOUTS[preset], b.key, parsed.block_lines(b)) for b in parsed.blocks]
    # a note that quotes a block id is escaped, so it never claims a block
    assert notes == ["Yes: #slow ^hl-3", "", "Whole article: worth it."]
    assert text.endswith("\n") and "\n\n\n" not in text


@pytest.mark.parametrize("preset", ["obsidian", "plain"])
def test_obsidian_and_plain_properties(preset: str) -> None:
    text = render(preset)
    head = yaml.safe_load(text.split("---\n")[1])
    assert head["tags"] == ["books", "long reads"] and head["aliases"] == [ARTICLE.title]
    assert head["reader_id"] == 12 and str(head["published"]) == "2024-05-01"
    if preset == "obsidian":
        assert "\n^hl-4\n" in text and "<!--" not in text
    else:
        assert "\n<!-- hl-4 -->\n" in text and not re.search(r"^\^", text, re.M)


def test_obsidian_callouts() -> None:
    assert "> [!quote]\n> Notes are yours." in render("obsidian", callouts=True)
    assert "[!quote]" not in render("obsidian")


def test_logseq_layout() -> None:
    text = render("logseq")
    lines = text.splitlines()
    assert lines[:3] == [
        "title:: On Reading: a \\*guide\\*",
        "author:: [[Ann Author]]",
        "url:: https://example.com/reading",
    ]
    assert "tags:: [[books]], [[long reads]]" in lines and "reader-id:: 12" in lines
    at = lines.index("- > Notes are yours.")
    assert lines[at + 1 : at + 3] == ["  color:: green", f"  id:: {block_uuid('hl-4')}"]
    assert f"\t  id:: {block_uuid('hl-3/note')}" in lines  # the note, a child with its id


def test_readwise_layout() -> None:
    text = render("readwise")
    assert text.startswith(
        "# On Reading: a \\*guide\\*\n\n## Metadata\n- Author: [[Ann Author]]\n"
        "- Full Title: On Reading: a \\*guide\\*\n- Category: #articles\n"
        "- URL: https://example.com/reading\n"
    )
    assert (
        "## Highlights\n- Read slowly, and twice.\n    - Note: Yes: \\#slow \\^hl-3 ^hl-3\n" in text
    )
    assert "- Notes are yours. ^hl-4\n" in text


@pytest.mark.parametrize("preset", PRESETS)
def test_a_missing_pages_highlight_still_says_it_waits(preset: str) -> None:
    missing = ArticleSummary(4, "Saved in Pocket", url="https://e.org/42", missing=True)
    waiting = Annotation(7, 4, 0, 0, exact="A quote from Pocket", orphaned=True)
    text = render_preset(preset, article_fields(missing, [waiting]))
    assert "Waiting for its page" in text and "A quote from Pocket" in text
    parsed = parse_file(text, LAYOUTS[preset], id_names(["hl-7"]))
    assert [b.key for b in parsed.blocks] == ["hl-7"]


def test_the_cli_offers_every_preset() -> None:
    import click

    from reader.cli import main

    assert isinstance(main, click.Group)
    [option] = [p for p in main.commands["export"].params if p.name == "preset"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == PRESETS


@pytest.mark.parametrize("preset", PRESETS)
def test_a_highlights_own_tags_are_in_its_block_and_not_in_its_note(preset: str) -> None:
    tagged = [
        Annotation(3, 12, 10, 20, exact="Read slowly.", note="Mine", tags=("idea", "p/reader")),
        Annotation(4, 12, 30, 40, exact="Notes are yours.", tags=("later",)),
    ]
    text = render_preset(preset, article_fields(ARTICLE, tagged))
    parsed = parse_file(text, LAYOUTS[preset], id_names(["hl-3", "hl-4"]))
    assert [b.key for b in parsed.blocks] == ["hl-3", "hl-4"]
    blocks = ["".join(parsed.block_lines(b)) for b in parsed.blocks]
    assert "idea" in blocks[0] and "p/reader" in blocks[0] and "later" in blocks[1]
    notes = [note_of(LAYOUTS[preset], b.key, parsed.block_lines(b)) for b in parsed.blocks]
    assert notes == ["Mine", ""]
