"""--template (a sandboxed Jinja2 template) and --since parsing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.export.files import ExportError
from reader.export.markdown import load_template, parse_since, render_with
from reader.export.render import article_fields
from reader.models import Annotation, ArticleSummary

ARTICLE = ArticleSummary(
    id=3, title="Title *with* stars", url="https://example.com/a", tags=("x", "y")
)
ANNOTATIONS = [
    Annotation(1, 3, 0, 5, exact="Quote\n\nmore", note="n*te", color="blue"),
    Annotation(2, 3, None, None, note="article note"),
]


def render(tmp_path: Path, source: str) -> str:
    path = tmp_path / "t.md.j2"
    path.write_text(source)
    return render_with(load_template(path), article_fields(ARTICLE, ANNOTATIONS))


def test_template_receives_the_fields(tmp_path: Path) -> None:
    out = render(
        tmp_path,
        "{{ front_matter }}# {{ title_md }}\n"
        "{% for h in highlights %}\n{{ h.quote_md }}\n({{ h.color }}) {{ h.note_md }}\n"
        "{% endfor %}"
        "{% for n in notes %}- {{ n.note | md }}\n{% endfor %}"
        "{{ tags | join(', ') }} {{ url }} {{ id }} {{ title | md }} {{ 'a: b' | yaml }}",
    )
    assert out.startswith("---\ntitle: Title *with* stars\n")
    assert "# Title \\*with\\* stars\n" in out
    assert "> Quote\n>\n> more\n(blue) n\\*te\n" in out
    assert "- article note\n" in out
    assert out.endswith("x, y https://example.com/a 3 Title \\*with\\* stars 'a: b'\n")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% for %}", "t.md.j2:1:"),
        ("ok\n{{ nonexistent_field }}", "t.md.j2: 'nonexistent_field' is undefined"),
        ("{{ ''.__class__.__mro__ }}", "t.md.j2:"),
        ("{{ highlights.append(1) }}", "t.md.j2:"),
        ("{{ 1 / 0 }}", "t.md.j2: ZeroDivisionError"),
    ],
)
def test_template_errors_are_one_line(tmp_path: Path, source: str, expected: str) -> None:
    with pytest.raises(ExportError) as error:
        render(tmp_path, source)
    message = str(error.value)
    assert message.startswith(str(tmp_path / expected)), message
    assert "\n" not in message


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read the template"):
        load_template(tmp_path / "nope.j2")


NOW = datetime(2026, 11, 24, 19, 30, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01T12:30", "2024-05-01T12:30:00+00:00"),
        ("2024-05-01T12:30:00+02:00", "2024-05-01T10:30:00+00:00"),
        ("7d", "2026-11-17T19:30:15+00:00"),
        ("12h", "2026-11-24T07:30:15+00:00"),
        ("2w", "2026-11-10T19:30:15+00:00"),
        ("today", "2026-11-24T00:00:00+00:00"),
        ("Yesterday", "2026-11-23T00:00:00+00:00"),
    ],
)
def test_parse_since(text: str, expected: str) -> None:
    assert parse_since(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["", "last week", "2024-13-01", "7y", "99999999999999d"])
def test_parse_since_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="--since"):
        parse_since(text, now=NOW)
