"""Export annotations: Markdown for notes apps, JSON for backups, and importing that JSON.

- `render_article_markdown(article, annotations)`: one article's file, pure.
- `export_markdown(archive, article_ids, out, ...)`: files into a folder (in a preset's
  layout, merged into the user's edits), one file, or `-`; `pictures=True` puts the
  articles' kept pictures in `assets/` beside them (reader.export.pictures).
- `export_json(archive, out, ...)` / `import_annotations(archive, data)`: the user's data.
- `epub_bytes(archive, ids, title=...)` / `write_epub(...)` / `export_epub(...)`: the
  articles themselves as EPUB books (`chapter_xhtml` is one chapter's markup).

Files are written only inside the output folder and never over a file reader did not
write itself (see `reader.export.files`); a file the user edited is merged into, never
replaced (`reader.export.folder`); errors are `ExportError` with one line.
"""

from reader.export.epub import chapter_xhtml, epub_bytes, export_epub, write_epub
from reader.export.files import MANIFEST_NAME, ExportError
from reader.export.gather import gather
from reader.export.markdown import (
    ExportReport,
    export_markdown,
    output_kind,
    parse_since,
)
from reader.export.names import article_filename, slugify
from reader.export.presets import DEFAULT_PRESET, PRESETS
from reader.export.render import (
    article_fields,
    blockquote,
    escape_text,
    render_article_markdown,
)
from reader.export.templating import load_template
from reader.export.userdata import (
    ImportAnnotationsReport,
    export_data,
    export_json,
    import_annotations,
)
from reader.export.userdata_file import ImportFormatError

__all__ = [
    "DEFAULT_PRESET",
    "MANIFEST_NAME",
    "PRESETS",
    "ExportError",
    "ExportReport",
    "ImportAnnotationsReport",
    "ImportFormatError",
    "article_fields",
    "article_filename",
    "blockquote",
    "chapter_xhtml",
    "epub_bytes",
    "escape_text",
    "export_data",
    "export_epub",
    "export_json",
    "export_markdown",
    "gather",
    "import_annotations",
    "load_template",
    "output_kind",
    "parse_since",
    "render_article_markdown",
    "slugify",
    "write_epub",
]
