"""Merging a fresh render into an edited file, and the three-way note decision (pure)."""

from __future__ import annotations

from reader.export.blocks import LAYOUTS, id_names, parse_file
from reader.export.merge import merge_text
from reader.export.notesync import decide, text_hash

OBSIDIAN = LAYOUTS["obsidian"]
NAMES = id_names(["hl-1", "hl-2", "hl-3", "note-9"])


def block(key: str, quote: str, note: str = "") -> str:
    note_part = f"**Note:** {note}\n\n" if note else ""
    return f"> {quote}\n\n*Color: yellow*\n\n{note_part}^{key}\n"


HEAD = "---\ntitle: T\ntags:\n- a\nhighlights: 2\nreader_id: 7\n---\n"


def render(*blocks: str, head: str = HEAD) -> str:
    return head + "\n# T\n\n## Highlights\n\n" + "\n".join(blocks)


def merge(current: str, fresh: str, first: dict[str, list[str]] | None = None) -> str:
    old_keys = ["title", "tags", "highlights", "reader_id", "gone"]
    return merge_text(current, fresh, OBSIDIAN, NAMES, first or {}, old_keys)


def test_user_lines_stay_where_they_were() -> None:
    old = render(block("hl-1", "one"), block("hl-3", "three"))
    edited = (
        old.replace("# T\n", "# T\n\nMine above.\n").replace("^hl-1\n", "^hl-1\nUnder one.\n")
        + "\nMine after.\n"
    )
    fresh = render(block("hl-1", "one", "n1"), block("hl-2", "two"), block("hl-3", "three"))
    merged = merge(edited, fresh)
    assert "Mine above.\n" in merged and merged.endswith("\nMine after.\n")
    assert merged.index("^hl-1\nUnder one.\n") < merged.index("> two")
    assert merged.index("> two") < merged.index("> three")
    assert "**Note:** n1\n\n^hl-1" in merged


def test_a_block_gone_from_reader_goes_with_one_blank_line() -> None:
    old = render(block("hl-1", "one"), block("hl-2", "two"), block("hl-3", "three"))
    merged = merge(old + "\nMine.\n", render(block("hl-1", "one"), block("hl-3", "three")))
    assert merged == render(block("hl-1", "one"), block("hl-3", "three")) + "\nMine.\n"


def test_head_keys_reader_wrote_update_and_the_users_stay_in_place() -> None:
    edited_head = (
        "---\ntitle: T\n# my comment\nmood: good\ntags:\n- a\ngone: 1\nhighlights: 2\n---\n"
    )
    fresh_head = "---\ntitle: New\ntags:\n- a\n- b\nhighlights: 3\nreader_id: 7\n---\n"
    body = render(block("hl-1", "one"), head="")
    merged = merge(edited_head + body, fresh_head + body)
    assert merged.startswith(
        "---\ntitle: New\n# my comment\nmood: good\ntags:\n- a\n- b\nhighlights: 3\n"
        "reader_id: 7\n---\n"
    )


def test_a_copied_id_is_the_users_and_the_first_line_finds_the_start() -> None:
    old = render(block("hl-1", "one"))
    # the user copied the block below; the copy is theirs, never replaced
    edited = old + "\nQuoted again:\n> one\n\n^hl-1\n"
    merged = merge(edited, render(block("hl-1", "one", "new")), {"hl-1": ["> one"]})
    assert merged.endswith("\nQuoted again:\n> one\n\n^hl-1\n")
    assert merged.count("**Note:** new") == 1


def test_a_new_block_goes_under_its_heading_when_none_is_left() -> None:
    old = render(block("hl-1", "one")) + "\n## Later\n\nMine.\n"
    edited = old.replace(block("hl-1", "one"), "")
    merged = merge(edited, render(block("hl-2", "two")))
    assert merged.index("## Highlights") < merged.index("> two") < merged.index("## Later")


def base(reader: str, file: str) -> dict[str, str]:
    return {"note": text_hash(reader), "file": text_hash(file)}


def test_three_way_note_decisions() -> None:
    kw = {"fresh_note": None, "where": "a.md", "today": "2026-01-02"}
    assert decide("old", "old", base("old", "old"), **kw).action == "keep"
    assert decide("new", "old", base("old", "old"), **kw).action == "keep"  # reader wins
    pulled = decide("old", "mine", base("old", "old"), **kw)
    assert (pulled.action, pulled.note) == ("pull", "mine")
    both = decide("reader's", "file's", base("old", "old"), **kw)
    assert both.action == "conflict"
    assert both.note == "reader's\n\n--- edited in a.md on 2026-01-02:\nfile's"
    # settled (after --pull), an emptied note, and an unreadable one change nothing
    assert decide(str(both.note), "file's", base("old", "old"), **kw).action == "keep"
    assert decide("old", "", base("old", "old"), **kw).action == "keep"
    assert decide("old", None, base("old", "old"), **kw).action == "keep"


def test_a_users_head_that_is_not_yaml_is_refused() -> None:
    import pytest

    from reader.export.blocks import HeadError

    with pytest.raises(HeadError):
        parse_file("---\n: [\n---\nbody\n", OBSIDIAN, NAMES)
    with pytest.raises(HeadError):
        parse_file("---\n- a list\n---\nbody\n", OBSIDIAN, NAMES)
