"""The kinds of HTML elements, as the conversion to blocks sees them."""

from __future__ import annotations

# Whose subtree holds nothing a reader wants as text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "button",
        "input",
        "select",
        "option",
        "textarea",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "map",
        "area",
        "source",
        "rp",
        "track",
        "dialog",
    }
)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that end a run of inline text (a new block starts after them).
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "address",
        "details",
        "summary",
        "center",
        "form",
        "fieldset",
        "legend",
        "dl",
        "dt",
        "dd",
        "hgroup",
        "body",
        "html",
        "figcaption",
        "caption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "menu",
        "noframes",
        "frameset",
        "frame",
    }
)
LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
# Inline elements that become marks, and the mark each becomes (links are their own).
MARK_TAGS = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "dfn": "em",
    "var": "em",
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
}
