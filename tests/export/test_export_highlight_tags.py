"""A highlight's own tags in an export: the field `tags` a template gets, and the line
of #tags the built-in layout writes under its note (nothing when it has none)."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from reader.export.markdown import load_template, render_with
from reader.export.render import article_fields, render_article_markdown
from reader.models import Annotation, ArticleSummary

ARTICLE = ArticleSummary(id=1, title="T", url="https://e.com/a", tags=("article-tag",))


def highlight(note: str = "", tags: tuple[str, ...] = ()) -> Annotation:
    return Annotation(7, 1, 0, 5, "words", note=note, tags=tags)


def test_the_layout_writes_tags_under_the_note() -> None:
    text = render_article_markdown(
        ARTICLE, [highlight(note="why", tags=("idea", "work/reader"))], tags=["article-tag"]
    )
    assert "**Note:** why\n\n#idea #work/reader\n" in text
    # One paragraph of plain text (no heading, no escape), as notes apps read tags.
    tokens = MarkdownIt().parse(text.split("**Note:** why\n\n", 1)[1])
    assert [t.type for t in tokens[:3]] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[1].content == "#idea #work/reader"


def test_no_tags_no_line() -> None:
    plain = render_article_markdown(ARTICLE, [highlight(note="why")], tags=[])
    assert plain.rstrip().endswith("**Note:** why")


def test_templates_get_a_highlights_tags_apart_from_the_articles(tmp_path: Path) -> None:
    fields = article_fields(ARTICLE, [highlight(tags=("idea",))])
    assert fields["tags"] == ["article-tag"]
    assert fields["highlights"][0]["tags"] == ["idea"]
    path = tmp_path / "t.j2"
    path.write_text("{% for h in highlights %}{{ h.tags | join(',') }}{% endfor %}")
    assert render_with(load_template(path), fields) == "idea\n"
