"""The article's lead figure (its hero image, caption and credit), kept with the body.

News and blog pages put the lead image in the article's header or a hero block,
beside the headline, outside the element whose paragraphs readability (or another
candidate) reads as the body: the picture and its caption and credit line were lost.
`lead_figures` reads the page for the figures that could be the article's lead, before
the page is used up by the other readings; `with_lead_figure` puts the first of them
that precedes the chosen body's text at its top, when the body does not show it yet.

A figure belongs to the article when it shares the `<article>`/`<main>` of the body's
first paragraph, or when its picture is the one the page declares as the article's
(og:image, twitter:image, the JSON-LD article's `image`). Pictures in navigation,
asides, footers and the site's banner, in links to other pages, and logos, avatars,
icons, ads and tracking pixels are never taken. The caption goes through the same
conversion as any figure's (`convert`): control characters stripped, text never markup.
A lead picture without caption or credit comes as the picture alone: its alt text is
kept as its alt, not as text of the article.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml.html import HtmlElement

from reader.document import Block, Document
from reader.ingest.convert import html_to_document
from reader.ingest.convert.links import absolute_url, image_of
from reader.ingest.metadata.jsonld import JsonObject, find_article_object, jsonld_objects
from reader.ingest.metadata.metatags import first_value, meta_values
from reader.textrules import clean_line, fold_key

# How much of the page is looked at: figures are only taken near its top, and the
# body's first paragraph is looked for among this many paragraphs.
MAX_FIGURES = 8
MAX_PARAGRAPHS = 3000
# A caption longer than this is cut at a word (a caption is a line or two).
MAX_CAPTION = 600
# A wrapper with more text or elements than this is a section, not an image with its
# caption.
MAX_WRAPPER_TEXT = 800
MAX_WRAPPER_ELEMENTS = 40
MAX_FIGURE_ELEMENTS = 200
# Pictures looked at before giving up: a lead figure is near the top of the page.
MAX_PICTURES = 60
# A picture declared smaller than this (width or height attribute) is an icon,
# an avatar or a pixel.
MIN_SIDE = 120
# A paragraph that can say where the body starts: its first characters identify it.
_KEY_CHARS = 60
_MIN_KEY = 30
# A caption the body holds already (its picture dropped, its words kept) is not added
# again; one this short ("Getty") says too little to tell.
_MIN_CAPTION = 8


@dataclass(frozen=True)
class LeadFigure:
    """A figure that could be the article's lead: where it sits, its block, whether the
    page declares its picture as the article's, and the article/main elements around it
    (by their place among the page's article/main elements)."""

    position: int
    block: Block
    declared: bool
    container: int | None  # the nearest <article>/<main> around it


@dataclass(frozen=True)
class LeadFigures:
    """The page's possible lead figures, and where its paragraphs sit (to find the
    chosen body's first paragraph on the page)."""

    figures: tuple[LeadFigure, ...] = ()
    # A paragraph's key -> its position and the article/main elements around it.
    paragraphs: dict[str, tuple[int, frozenset[int]]] = dataclasses.field(default_factory=dict)


# Names of pictures and their surroundings that are not the article's picture.
_NOT_LEAD = re.compile(
    r"logo|avatar|gravatar|author|profile|headshot|byline|icon|sprite|badge|emoji|"
    r"(?:^|[\s_-])ads?(?:$|[\s_-])|advert|sponsor|promo|pixel|tracking|spacer|beacon|"
    r"doubleclick|related|recommend|teaser|sidebar|widget|comment|share|social|"
    r"newsletter|subscribe|signup",
    re.I,
)
# Elements whose pictures are the site's, not the article's.
_FURNITURE = frozenset({"nav", "aside", "footer", "menu", "form", "button", "template"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "menu"})
_CAPTION_CLASS = re.compile(r"caption|credit|copyright|photographer", re.I)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])", re.I)
# What CMSs and image servers add to one picture's name for each size they serve.
_SIZE_SUFFIX = re.compile(
    r"(?:[-_@](?:\d+x\d+|\d+w|\d+x|w\d+|h\d+|large|medium|small|thumb|scaled|full|crop\w*))+$",
    re.I,
)
_EXTENSION = re.compile(r"\.[a-z0-9]{2,5}$", re.I)
_LOOKED_AT = ("article", "main", "p", "figure", "img", "picture")


def lead_figures(page: HtmlElement, base: str | None) -> LeadFigures:
    """The figures near the top of `page` that could be its article's lead (at most
    `MAX_FIGURES`), and where its paragraphs sit. `page` is only read."""
    declared, captions = _declared_images(page, base)
    containers: dict[HtmlElement, int] = {}
    figures: list[LeadFigure] = []
    paragraphs: dict[str, tuple[int, frozenset[int]]] = {}
    taken: set[HtmlElement] = set()  # images already part of a figure found
    looked = 0
    body = page.find("body")
    root = body if body is not None else page
    # Positions count these elements only, in page order (lxml picks them, not Python).
    for position, el in enumerate(root.iter(*_LOOKED_AT)):
        tag = el.tag
        if tag in ("article", "main"):
            containers[el] = len(containers)
        elif tag == "p" and len(paragraphs) < MAX_PARAGRAPHS:
            key = _key(el.text_content())
            if key and key not in paragraphs:
                paragraphs[key] = (position, _containers_of(el, containers))
        elif tag in ("figure", "img", "picture") and len(figures) < MAX_FIGURES:
            if el in taken or looked >= MAX_PICTURES:
                continue
            looked += 1
            found = _figure_at(el, base, declared, captions)
            if found is None:
                continue
            block, img, is_declared = found
            taken.add(img)
            for inner in el.iter("img", "picture"):
                taken.add(inner)
            nearest = _containers_of(el, containers, nearest=True)
            container = next(iter(nearest), None)
            figures.append(LeadFigure(position, block, is_declared, container))
    return LeadFigures(tuple(figures), paragraphs)


def with_lead_figure(document: Document, found: LeadFigures) -> Document:
    """`document` with the article's lead figure at its top, when the figure sits above
    the body's first paragraph on the page and the body does not show it already."""
    if not found.figures or not document.blocks:
        return document
    anchor = _anchor(document, found)
    lead = None
    for figure in found.figures:
        if anchor is not None:
            position, around = anchor
            if figure.position >= position:
                break
            owned = figure.declared or (figure.container is not None and figure.container in around)
        else:
            owned = figure.declared  # where the body starts is unknown: the page must say
        if owned:
            lead = figure
            break
    if lead is None or _shows(document, lead.block):
        return document
    return Document((lead.block, *document.blocks))


# --- where the body starts --------------------------------------------------------


def _key(text: str) -> str:
    # Its first few hundred characters give the key, unless they are mostly spaces.
    squashed = fold_key(text[: _KEY_CHARS * 4])
    if len(squashed) < _KEY_CHARS and len(text) > _KEY_CHARS * 4:
        squashed = fold_key(text)
    return squashed[:_KEY_CHARS] if len(squashed) >= _MIN_KEY else ""


def _anchor(document: Document, found: LeadFigures) -> tuple[int, frozenset[int]] | None:
    """Where the body's first paragraph sits on the page (of its first few that can be
    found there), and the article/main elements around it."""
    tried = 0
    for block in document.blocks:
        if block.kind not in ("paragraph", "quote", "list_item"):
            continue
        key = _key(block.text)
        if not key:
            continue
        place = found.paragraphs.get(key)
        if place is not None:
            return place
        tried += 1
        if tried >= 3:
            break
    return None


def _containers_of(
    el: HtmlElement, containers: dict[HtmlElement, int], nearest: bool = False
) -> frozenset[int]:
    out = []
    for ancestor in el.iterancestors("article", "main"):
        index = containers.get(ancestor)
        if index is not None:
            out.append(index)
            if nearest:
                break
    return frozenset(out)


# --- what the body shows already --------------------------------------------------


def _shows(document: Document, lead: Block) -> bool:
    """Whether the body shows the lead's picture or its caption already, or opens with
    a picture of its own."""
    name = picture_name(lead.src)
    for block in document.blocks:
        same = block.src == lead.src or (name and picture_name(block.src) == name)
        if block.kind == "figure" and same:
            return True
    for block in document.blocks:
        if block.kind == "figure":
            return True  # the body opens with a picture: it needs no other above it
        if block.text:
            break
    caption = fold_key(lead.text) if lead.text != lead.alt else ""
    return len(caption) >= _MIN_CAPTION and caption in fold_key(document.text)


def picture_name(src: str) -> str:
    """A picture's name across the sizes a site serves it in: its file name without
    extension or size suffix ("hero-1200x630.jpg" and "hero-800w.webp": "hero");
    "" when that says too little to tell pictures apart."""
    try:
        path = urlsplit(src).path
    except ValueError:
        return ""
    name = path.rstrip("/").rsplit("/", 1)[-1].casefold()
    name = _SIZE_SUFFIX.sub("", _EXTENSION.sub("", name))
    if len(name) < 5 or name in ("image", "images", "photo", "picture", "default"):
        return ""
    return name


# --- the page's declared picture --------------------------------------------------


def _declared_images(page: HtmlElement, base: str | None) -> tuple[set[str], dict[str, str]]:
    """The names (`picture_name`, or whole URLs) of the pictures the page declares as
    the article's, and the JSON-LD caption (with its credit) of each that has one."""
    urls: list[str] = []
    captions: dict[str, str] = {}
    values = meta_values(page)
    for key in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image"):
        value = first_value(values, key)
        if value:
            urls.append(value)
    article = find_article_object(jsonld_objects(page))
    if article is not None:
        for image in _jsonld_images(article.get("image")):
            url = image.get("url") or image.get("contentUrl")
            if not isinstance(url, str):
                continue
            urls.append(url)
            text = _jsonld_caption(image)
            if text:
                captions.setdefault(_name_or_url(url, base), text)
    names = {_name_or_url(url, base) for url in urls}
    names.discard("")
    return names, captions


def _jsonld_images(value: object) -> list[JsonObject]:
    items = value if isinstance(value, list) else [value]
    out: list[JsonObject] = []
    for item in items[:10]:
        if isinstance(item, str):
            out.append({"url": item})
        elif isinstance(item, dict):
            out.append(item)
    return out


def _jsonld_caption(image: JsonObject) -> str:
    caption = image.get("caption") or image.get("description")
    credit = image.get("creditText") or image.get("copyrightHolder") or image.get("author")
    if isinstance(credit, dict):
        credit = credit.get("name")
    parts = [clean_line(v) for v in (caption, credit) if isinstance(v, str)]
    parts = [p for p in parts if p]
    if len(parts) == 2 and parts[1].casefold() in parts[0].casefold():
        parts = parts[:1]
    return " ".join(parts)


def _name_or_url(url: str, base: str | None) -> str:
    resolved = absolute_url(url, base) or ""
    return picture_name(resolved) or resolved


# --- a figure on the page ---------------------------------------------------------


def _figure_at(
    el: HtmlElement, base: str | None, declared: set[str], captions: dict[str, str]
) -> tuple[Block, HtmlElement, bool] | None:
    """The figure `el` (a <figure>, or a picture with a caption beside it, or the
    page's declared picture) as a block, its image element, and whether the page
    declares its picture; None when `el` is no lead figure."""
    if el.tag == "figure":
        if not _small(el, MAX_FIGURE_ELEMENTS):
            return None  # a figure of a section's size is no picture with its caption
        img = next((e for e in el.iter("img") if image_of(e, base)), None)
        wrapper: HtmlElement | None = el
    else:
        img = el if el.tag == "img" else next(el.iter("img"), None)
        wrapper = None
    if img is None:
        return None
    src = (image_of(img, base) or ("", ""))[0]
    if not src:
        return None
    name = _name_or_url(src, base)
    is_declared = name in declared
    if wrapper is None:
        wrapper = _caption_wrapper(el)
    if (wrapper is None and not is_declared) or _not_a_picture(img) or _in_furniture(img):
        return None
    caption_parts = _caption_elements(wrapper) if wrapper is not None else []
    figure = lxml.html.Element("figure")
    picture = copy.deepcopy(img)
    picture.tail = None
    figure.append(picture)
    caption = lxml.html.Element("figcaption")
    figure.append(caption)
    if caption_parts:
        for part in caption_parts:
            part = copy.deepcopy(part)
            part.tag = "span"
            part.tail = " "
            caption.append(part)
    else:
        try:
            caption.text = captions.get(name, "")
        except ValueError:  # text XML cannot hold (a lone surrogate): no caption
            caption.text = ""
    blocks = html_to_document(figure, base).blocks
    if len(blocks) != 1 or blocks[0].kind != "figure":
        return None
    block = blocks[0]
    if not clean_line(caption.text_content()):
        # No caption: the picture alone. Its alt text stays its alt (the reading view
        # and Markdown show it), not article text: a hero's alt is the headline again
        # or a stock photo's description, which no reader came for.
        block = dataclasses.replace(block, text="", marks=())
    if len(block.text) > MAX_CAPTION:
        cut = block.text[:MAX_CAPTION].rsplit(" ", 1)[0] + "…"
        block = dataclasses.replace(block, text=cut, marks=())
    return block, img, is_declared


def _not_a_picture(img: HtmlElement) -> bool:
    """A logo, avatar, icon, ad or pixel, by its names, its URL or its declared size."""
    # Names cut short (the regex is tried at every character): a URL by its path's end.
    urls = [(img.get(k) or "").split("?")[0][-120:] for k in ("src", "data-src")]
    names = " ".join([*((img.get(k) or "")[:120] for k in ("class", "id", "alt")), *urls])
    if _NOT_LEAD.search(names) or (img.get("src") or "").lower().split("?")[0].endswith(".svg"):
        return True
    for side in ("width", "height"):
        value = (img.get(side) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_SIDE:
            return True
    return False


def _caption_wrapper(el: HtmlElement) -> HtmlElement | None:
    """The element around a picture (up to two levels up) that also holds its caption
    or credit, when it is small enough to be the picture's own."""
    parent = el.getparent()
    for wrapper in (parent, parent.getparent() if parent is not None else None):
        if wrapper is None or wrapper.tag in ("body", "html", "article", "main"):
            return None
        if not _small(wrapper, MAX_WRAPPER_ELEMENTS):
            return None
        if len(wrapper.text_content()) > MAX_WRAPPER_TEXT:
            return None
        if _caption_elements(wrapper):
            return wrapper
    return None


def _small(el: HtmlElement, limit: int) -> bool:
    """Whether `el` holds at most `limit` elements (counting no further)."""
    return sum(1 for _ in itertools.islice(el.iter(), limit + 1)) <= limit


def _caption_elements(wrapper: HtmlElement) -> list[HtmlElement]:
    """The figure's caption and credit: its <figcaption>, and elements named as a
    caption or credit outside it (outermost only; none that holds the picture)."""
    found: list[HtmlElement] = []
    for el in wrapper.iter():
        if not isinstance(el.tag, str) or el is wrapper:
            continue
        if el.tag != "figcaption" and not _CAPTION_CLASS.search(el.get("class") or ""):
            continue
        if any(el in part.iterdescendants() for part in found):
            continue
        if next(el.iter("img"), None) is not None:
            continue
        found.append(el)
    return found


def _in_furniture(img: HtmlElement) -> bool:
    """Whether the picture sits in the site's furniture, or in a link to another page
    (a teaser), or among things named as not the article's."""
    for ancestor in img.iterancestors():
        tag = ancestor.tag
        if tag in ("article", "main", "body", "html"):
            return False
        if tag in _FURNITURE or (ancestor.get("role") or "").lower() in _FURNITURE_ROLES:
            return True
        if tag == "header" and next(ancestor.iter("nav"), None) is not None:
            return True
        if tag == "a" and not _IMAGE_FILE.search(ancestor.get("href") or ".jpg"):
            return True
        if _NOT_LEAD.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"):
            return True
    return False
