"""An article's kept pictures in a Markdown export (`--pictures`): files in `assets/`
beside the notes, and the Markdown that shows them.

The pictures are the ones the archive keeps (bytes reader re-encoded at import, never
the page's), matched to the article's figures as every view matches them
(reader.ingest.images.figure_pictures). Each is written once per output folder as
`assets/<sha256>.<ext>`: the name is the hash the archive keys it by and a suffix from
its media type, never anything the page wrote, so two articles showing one picture
share one file, and a file already there with those bytes is left alone (a second
export writes nothing).

A Markdown export holds highlights and notes, not the article's text, so a picture
shows with the first highlight (in reading order) that overlaps its figure's caption
or sits in the block right before or after the figure; every picture of the article is
in the template field `pictures` too (a user's template may show them all).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.document import Document
from reader.export.files import ExportError, atomic_write, check_name, read_existing
from reader.export.render import escape_text
from reader.ingest.images import SUFFIXES, figure_pictures
from reader.models import StoredImage
from reader.textrules import clean_line

if TYPE_CHECKING:
    from reader.archive import Archive

ASSETS = "assets"
MAX_ALT_CHARS = 300  # a caption is a line, not a page
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Picture:
    """A kept picture a figure of the article shows."""

    block: int  # the figure's index in the document
    sha256: str
    name: str  # `assets/<sha256>.<ext>`, relative to the output folder
    alt: str  # the figure's caption, else its alt text: one clean line
    width: int
    height: int


def pictures_of(document: Document, stored: Sequence[StoredImage]) -> list[Picture]:
    """The kept pictures `document`'s figures show, in reading order (a picture two
    figures show, once); one whose hash or media type reader does not know is left out."""
    found: list[Picture] = []
    seen: set[str] = set()
    for index, image in sorted(figure_pictures(document, stored).items()):
        suffix = SUFFIXES.get(image.media_type)
        if suffix is None or not _SHA256.fullmatch(image.sha256) or image.sha256 in seen:
            continue
        seen.add(image.sha256)
        block = document.blocks[index]
        alt = clean_line(block.text or block.alt)[:MAX_ALT_CHARS]
        name = f"{ASSETS}/{image.sha256}.{suffix}"
        found.append(Picture(index, image.sha256, name, alt, image.width, image.height))
    return found


@dataclass(frozen=True)
class KeptPictures:
    """An article's pictures and its document (which block each highlight covers)."""

    pictures: list[Picture]
    document: Document


def kept_pictures(archive: Archive, article_id: int) -> KeptPictures | None:
    """The article's pictures (their names only: the bytes are read when written), or
    None; the document is read only for an article that has some."""
    stored = archive.images_of(article_id, data=False)
    if not stored:
        return None
    article = archive.get_article(article_id)
    found = [] if article is None else pictures_of(article.document, stored)
    return KeptPictures(found, article.document) if article is not None and found else None


def picture_markdown(picture: Picture, prefix: str = "") -> str:
    """`![alt](prefix + assets/<sha256>.<ext>)`: the alt text escaped (it is the page's),
    the path reader's own (hex digits and a suffix: nothing to escape)."""
    return f"![{escape_text(picture.alt)}]({prefix}{picture.name})"


def picture_fields(picture: Picture, prefix: str) -> dict[str, Any]:
    return {
        "path": prefix + picture.name,
        "alt": picture.alt,
        "md": picture_markdown(picture, prefix),
        "sha256": picture.sha256,
        "width": picture.width,
        "height": picture.height,
    }


def relative_prefix(name: str) -> str:
    """What leads from the file `name` (relative to the output folder, `/` between
    parts) back to the folder: `../` per subfolder."""
    return "../" * name.count("/")


def with_pictures(
    fields: dict[str, Any], pictures: Sequence[Picture], document: Document, prefix: str = ""
) -> dict[str, Any]:
    """`fields` (reader.export.render.article_fields) with the article's `pictures` and,
    on each highlight, those it shows (see the module docstring); `prefix` leads from
    the note's file to the output folder."""
    if not pictures:
        return fields
    out = dict(fields)
    out["pictures"] = [picture_fields(p, prefix) for p in pictures]
    blocks = _highlight_blocks(document)
    claimed: set[str] = set()
    highlights = []
    for highlight in fields["highlights"]:
        shown: list[dict[str, Any]] = []
        start, end = highlight.get("start"), highlight.get("end")
        if start is not None and end is not None and not highlight.get("orphaned"):
            first, last = blocks.block_range(start, end)
            for picture in pictures:
                if picture.sha256 in claimed or not first - 1 <= picture.block <= last + 1:
                    continue
                claimed.add(picture.sha256)
                shown.append(picture_fields(picture, prefix))
        highlights.append({**highlight, "pictures": shown} if shown else highlight)
    out["highlights"] = highlights
    return out


@dataclass(frozen=True)
class _Blocks:
    """Where each non-empty block starts in the document's text, for finding the blocks
    a highlight's offsets cover."""

    starts: list[int]
    indexes: list[int]

    def block_range(self, start: int, end: int) -> tuple[int, int]:
        """The indexes of the first and last blocks `text[start:end]` touches."""
        if not self.starts:
            return (-2, -2)
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        last = max(0, bisect.bisect_right(self.starts, max(start, end - 1)) - 1)
        return (self.indexes[first], self.indexes[last])


def _highlight_blocks(document: Document) -> _Blocks:
    spans = list(document.spans())
    return _Blocks([s.start for s in spans], [s.index for s in spans])


# --- Writing the files ---------------------------------------------------------------


@dataclass
class PictureWrites:
    """What writing the pictures did: files written, files already there."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.written) + len(self.unchanged)


@dataclass
class _Planned:
    picture: Picture
    target: Path
    present: bool


def plan_pictures(folder: Path, pictures: Iterable[Picture], *, force: bool) -> list[_Planned]:
    """Each picture's file in `folder/assets/`, checked before anything is written: a
    file there that does not hold the picture's bytes (or a symlink, or an `assets`
    that is not a folder) stops the export, unless `force` (it is then replaced)."""
    assets = check_name(folder, ASSETS)
    if assets.is_symlink() or (assets.exists() and not assets.is_dir()):
        raise ExportError(f"{assets}: not a folder inside the export folder {folder}")
    planned: list[_Planned] = []
    seen: set[str] = set()
    for picture in pictures:
        if picture.sha256 in seen:
            continue
        seen.add(picture.sha256)
        target = check_name(assets, picture.name.split("/", 1)[1])
        current = read_existing(target) if assets.exists() else None
        present = current is not None and hashlib.sha256(current).hexdigest() == picture.sha256
        if current is not None and not present and not force:
            raise ExportError(
                f"{target}: exists and is not the picture reader writes there;"
                " use --force to overwrite it"
            )
        planned.append(_Planned(picture, target, present))
    return planned


class PictureSet:
    """The pictures of the articles an export writes, into `folder/assets/`: their
    fields for each article's file, their files checked (`plan`) then written (`write`)."""

    def __init__(self, archive: Archive, folder: Path, article_ids: Iterable[int]) -> None:
        self.archive = archive
        self.folder = folder
        self.kept: dict[int, KeptPictures] = {}
        for article_id in dict.fromkeys(article_ids):
            found = kept_pictures(archive, article_id)
            if found is not None:
                self.kept[article_id] = found
        self.result = PictureWrites()
        self._planned: list[_Planned] | None = None

    def fields(self, fields: dict[str, Any], name: str = "") -> dict[str, Any]:
        """`fields` of an article with its pictures, linked from the file `name`."""
        kept = self.kept.get(fields["id"])
        if kept is None:
            return fields
        return with_pictures(fields, kept.pictures, kept.document, relative_prefix(name))

    def plan(self, *, force: bool) -> None:
        """Check every picture's file before anything is written (see `plan_pictures`)."""
        pictures = [p for kept in self.kept.values() for p in kept.pictures]
        self._planned = plan_pictures(self.folder, pictures, force=force) if pictures else []

    def write(self) -> PictureWrites:
        if self._planned is None:
            raise RuntimeError("plan() first")
        self.result = write_pictures(self.archive, self.folder, self._planned)
        return self.result


def write_pictures(archive: Archive, folder: Path, planned: Sequence[_Planned]) -> PictureWrites:
    """Write the planned pictures that are not there yet, each through a temporary file
    renamed into place; a picture gone from the archive meanwhile is skipped."""
    result = PictureWrites()
    todo = [plan for plan in planned if not plan.present]
    for plan in planned:
        if plan.present:
            result.unchanged.append(plan.target)
    if not todo:
        return result
    assets = folder / ASSETS
    try:
        assets.mkdir(exist_ok=True)
    except OSError as error:
        raise ExportError(f"{assets}: cannot create the folder: {error.strerror}") from error
    for plan in todo:
        data = archive.image_data(plan.picture.sha256)
        if data is None or hashlib.sha256(data).hexdigest() != plan.picture.sha256:
            continue
        atomic_write(plan.target, data)
        result.written.append(plan.target)
    return result
