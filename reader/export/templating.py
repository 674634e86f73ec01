"""The Jinja2 sandbox every export template runs in: the presets' and a user's --template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.export.files import ExportError
from reader.export.render import (
    blockquote,
    escape_text,
    inline_text,
    markdown_paragraphs,
    yaml_value,
)

if TYPE_CHECKING:  # jinja2 is imported when a template is used
    from jinja2 import Template
    from jinja2.sandbox import ImmutableSandboxedEnvironment


def environment() -> ImmutableSandboxedEnvironment:
    """A sandbox (no attribute tricks, no file access) with reader's escaping filters.

    Autoescaping is off: the output is Markdown, and the fields that need escaping come
    escaped (`*_md`) or through the `md`, `md_line`, `md_paragraphs`, `blockquote` and
    `yaml` filters.
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=escape_text,
        md_line=inline_text,
        md_paragraphs=markdown_paragraphs,
        blockquote=blockquote,
        yaml=yaml_value,
    )
    return env


@dataclass(frozen=True)
class ExportTemplate:
    """A user's --template, compiled, and where it came from (for error messages)."""

    template: Template
    path: Path


def load_template(path: Path) -> ExportTemplate:
    """A Jinja2 template from `path` in reader's sandbox (see `environment`)."""
    from jinja2 import TemplateSyntaxError

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ExportError(f"{path}: cannot read the template: {reason}") from error
    try:
        template = environment().from_string(source)
    except TemplateSyntaxError as error:
        raise ExportError(f"{path}:{error.lineno}: {error.message}") from error
    return ExportTemplate(template, path)


def render_with(template: ExportTemplate, fields: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    try:
        text = template.template.render(**fields)
    except TemplateError as error:
        message = " ".join(str(error).split()) or type(error).__name__
        raise ExportError(f"{template.path}: {message}") from error
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        raise ExportError(f"{template.path}: {type(error).__name__}: {error}") from error
    return text if text.endswith("\n") else text + "\n"
