"""Missing pages (known from an export, their page not imported yet) in a Markdown
export: their highlights are exported, each marked as waiting for its page, and the
article says it is missing; everything else keeps its layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive, KnownItem
from reader.export import export_markdown
from reader.export.markdown import load_template, render_with
from reader.export.render import article_fields, render_article_markdown, render_collection
from reader.models import Annotation, ArticleSummary

URL = "https://news.example.org/story/42"


def missing_article(**kw: object) -> ArticleSummary:
    base: dict[str, object] = {"id": 4, "title": "Saved in Pocket", "url": URL, "missing": True}
    base.update(kw)
    return ArticleSummary(**base)  # type: ignore[arg-type]


def quote(i: int, exact: str, note: str = "", orphaned: bool = True) -> Annotation:
    # What ItemStore.add_quote keeps for a quote it could not place: an empty range.
    return Annotation(
        id=i, article_id=4, start=0, end=0, exact=exact, note=note, color="blue", orphaned=orphaned
    )


def test_a_waiting_highlight_says_it_waits_for_its_page(md_parse) -> None:
    text = render_article_markdown(
        missing_article(), [quote(1, "A quote from Pocket", note="mine")]
    )
    parsed = md_parse(text)
    assert parsed.meta["missing"] is True
    assert parsed.meta["site"] == "news.example.org"  # no site name: the URL's host
    [kept] = parsed.highlights
    assert kept["quote"] == "A quote from Pocket" and kept["note"] == "mine"
    assert "Waiting for its page" in kept["meta"]
    assert "Not found in the current text" not in kept["meta"]


def test_an_orphan_on_a_present_page_keeps_its_label(md_parse) -> None:
    text = render_article_markdown(missing_article(missing=False), [quote(1, "gone words")])
    parsed = md_parse(text)
    assert "missing" not in parsed.meta
    assert "Not found in the current text" in parsed.highlights[0]["meta"]
    assert "Waiting" not in text


def test_one_file_names_the_missing_page(md_parse_collection) -> None:
    fields = [
        article_fields(missing_article(), [quote(1, "A quote")]),
        article_fields(
            missing_article(id=5, url=None, missing=False), [quote(2, "Other", orphaned=False)]
        ),
    ]
    _, (first, second) = md_parse_collection(render_collection(fields))
    assert any(b.text == "Page: not in the archive yet" for b in first.blocks)
    assert "Waiting for its page" in first.highlights[0]["meta"]
    assert not any("Page:" in b.text for b in second.blocks)
    assert second.highlights[0]["meta"] == "Color: blue"


def test_a_template_is_told_which_page_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.md.j2"
    path.write_text("{{ missing }}{% for h in highlights %} {{ h.waiting }}{% endfor %}\n")
    template = load_template(path)
    fields = article_fields(missing_article(), [quote(1, "q")])
    assert render_with(template, fields) == "True True\n"
    present = article_fields(missing_article(missing=False), [quote(1, "q")])
    assert render_with(template, present) == "False False\n"


@pytest.fixture
def missing_page(archive: Archive) -> int:
    with archive.write():
        article_id = archive.add_missing(
            KnownItem(url=URL, title="Saved in Pocket", tags=("pocket",))
        )
        archive.add_quote(article_id, "It waits for the page", note="why", color="green")
        archive.add_note_once(article_id, "Read it one day")
    return article_id


def test_export_into_a_folder_includes_missing_pages(
    archive: Archive, missing_page: int, tmp_path: Path, md_parse
) -> None:
    report = export_markdown(archive, None, tmp_path / "notes")
    assert (report.articles, report.highlights, report.notes) == (1, 1, 1)
    [written] = report.written
    parsed = md_parse(written.read_text(encoding="utf-8"))
    assert parsed.meta["missing"] is True and parsed.meta["tags"] == ["pocket"]
    assert parsed.highlights[0]["quote"] == "It waits for the page"
    assert "Waiting for its page" in parsed.highlights[0]["meta"]
    assert parsed.notes == ["Read it one day"]
