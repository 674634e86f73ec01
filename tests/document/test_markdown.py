"""The document's Markdown: text shows as typed in CommonMark, and reads as typed too
(`&` is `&`, not `&amp;`: `reader show` and `reader extract` print it for people)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.cli import main
from reader.document.markdown import escape_markdown

MD = MarkdownIt("commonmark")


def test_an_ampersand_is_printed_as_one() -> None:
    assert escape_markdown("AT&T & Johnson & Johnson") == "AT&T & Johnson & Johnson"
    assert escape_markdown("say &copy; or &#38; or &#x26;") == (
        "say \\&copy; or \\&#38; or \\&#x26;"
    )


@given(st.text(alphabet=st.sampled_from(list("ab &#;x1cpoy")), max_size=30))
def test_ampersands_and_references_read_back_as_typed(text: str) -> None:
    markdown = escape_markdown(text)
    html = MD.renderInline(markdown)
    assert unescape(html) == text.strip() or unescape(html) == text


def test_show_and_extract_print_an_ampersand_as_typed(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    words = " ".join(["Tom & Jerry keep running through the house again."] * 12)
    page.write_text(
        f"<html><head><title>Tom &amp; Jerry</title></head><body><article>"
        f"<h1>Tom &amp; Jerry</h1><p>{words}</p><p>{words}</p></article></body></html>"
    )
    result = CliRunner().invoke(main, ["extract", "--format", "markdown", str(page)])
    assert result.exit_code == 0, result.output
    assert "# Tom & Jerry" in result.output and "&amp;" not in result.output
    assert "Tom & Jerry keep running" in result.output
