"""Missing pages (articles known from an export, their page not imported yet) through
the CLI: `list` marks them and `list --json is:missing` gives the URLs still to save,
`show` says what to do, `annotations` shows their highlights as waiting for the page,
`highlight` says why it cannot, and `check` finds nothing wrong with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive, KnownItem
from tests.archive.conftest import make_page

URL = "https://www.news.example.org/story/42?utm_source=pocket"
BARE = "https://blog.example.net/p"


def run(db: Path, *args: str) -> Result:
    from reader.cli import main

    return CliRunner().invoke(main, ["--db", str(db), *args], env={"COLUMNS": "120"})


@pytest.fixture
def db(archive_path: Path) -> Path:
    """#1 a page that is here (one highlight placed, one orphaned); #2 a missing page
    with quotes and a note; #3 a bare bookmark (no title); #4 a book with no URL."""
    with Archive(archive_path) as archive:
        present = archive.add_article(*make_page("Here in full", url="https://e.com/a"))
        with archive.write():
            archive.add_quote(present, "Second paragraph", note="placed")
            archive.add_quote(present, "Words on no page at all", note="lost")
            missing = archive.add_missing(
                KnownItem(
                    url=URL,
                    title="A story from Pocket",
                    tags=("pocket",),
                    starred=True,
                    added_at="2020-01-02T03:04:05+00:00",
                )
            )
            archive.add_quote(missing, "A quote that waits", note="my note", color="blue")
            archive.add_note_once(missing, "Read it one day")
            archive.add_missing(KnownItem(url=BARE))
            archive.add_missing(KnownItem(title="A book", byline="Ann Author"))
    return archive_path


def test_list_marks_missing_pages_and_names_their_host(db: Path) -> None:
    result = run(db, "list", "sort:added")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "[missing]" not in rows["1"] and "Here in full" in rows["1"]
    assert "[missing] A story from Pocket" in rows["2"] and "news.example.org" in rows["2"]
    assert "[missing] https://blog.example" in rows["3"]  # no title: its URL
    assert "blog.example.net" in rows["3"]
    assert "[missing] A book" in rows["4"]


def test_list_json_says_missing_and_gives_the_urls_to_save(db: Path) -> None:
    everything = json.loads(run(db, "list", "--json").stdout)
    assert {a["id"]: a["missing"] for a in everything} == {1: False, 2: True, 3: True, 4: True}
    to_save = json.loads(run(db, "list", "--json", "is:missing").stdout)
    assert sorted(a["url"] or "" for a in to_save) == ["", BARE, URL]
    search = json.loads(run(db, "search", "--json", "pocket").stdout)
    assert [(a["id"], a["missing"]) for a in search] == [(2, True)]


def test_search_says_a_hit_is_a_missing_page(db: Path) -> None:
    result = run(db, "search", "pocket")
    assert result.exit_code == 0, result.output
    assert "missing page · news.example.org · 2020-01-02 · pocket" in result.stdout


def test_show_a_missing_page_its_details_highlights_and_what_to_do(db: Path) -> None:
    result = run(db, "show", "2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# A story from Pocket\n")
    assert f"<{URL}>" in out and "missing page · added 2020-01-02 · tags: pocket" in out
    assert "min read" not in out
    assert "> A quote that waits\n" in out and "**Note:** my note" in out
    assert "Waiting for its page" in out
    assert "## Notes\n\nRead it one day" in out
    [line] = result.stderr.splitlines()
    assert "not in the archive yet" in line and URL in line and "reader import" in line


def test_show_a_missing_page_without_url_or_title(db: Path) -> None:
    book = run(db, "show", "4")
    assert book.exit_code == 0 and "no URL is known" in book.stderr
    bare = run(db, "show", "3", "--format", "text")
    assert bare.exit_code == 0 and bare.stdout == "(untitled)\n"
    assert BARE in bare.stderr


def test_show_json_of_a_missing_page(db: Path) -> None:
    result = run(db, "show", "2", "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["missing"] is True and data["text"] == ""
    assert [(a["exact"], a["waiting"]) for a in data["annotations"]] == [
        ("A quote that waits", True),
        ("", False),
    ]
    present = json.loads(run(db, "show", "1", "-f", "json").stdout)
    assert present["missing"] is False
    assert [a["waiting"] for a in present["annotations"]] == [False, False]  # one orphaned


def test_annotations_show_waiting_highlights_as_such(db: Path) -> None:
    result = run(db, "annotations")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    waiting = next(line for line in lines if "A quote that waits" in line)
    assert "[waiting for its page]" in waiting and "[orphaned]" not in waiting
    lost = next(line for line in lines if "Words on no page" in line)
    assert "[orphaned]" in lost and "waiting" not in lost
    placed = next(line for line in lines if "Second paragraph" in line)
    assert "[" not in placed


def test_annotations_json_says_which_wait(db: Path) -> None:
    data = json.loads(run(db, "annotations", "--json").stdout)
    by_id = {article["id"]: article for article in data}
    assert by_id[2]["missing"] is True and by_id[1]["missing"] is False
    assert [(a["orphaned"], a["waiting"]) for a in by_id[2]["annotations"]] == [
        (True, True),
        (False, False),  # the article note
    ]
    assert sorted((a["orphaned"], a["waiting"]) for a in by_id[1]["annotations"]) == [
        (False, False),
        (True, False),
    ]


def test_highlight_on_a_missing_page_says_why_not(db: Path) -> None:
    result = run(db, "highlight", "2", "A quote")
    assert result.exit_code == 1
    assert "article #2 is a missing page" in result.stderr
    assert "reader show 2" in result.stderr


def test_check_finds_nothing_wrong_with_missing_pages(db: Path) -> None:
    result = run(db, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok\n"


def test_reindex_passes_over_missing_pages(db: Path) -> None:
    result = run(db, "reindex", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Reindexed 1 article, 0 failed, 3 missing pages passed over" in result.output
