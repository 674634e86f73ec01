"""An article's pictures in the reading view (which figure shows which:
reader.ingest.images.figure_pictures): how many rows one takes at a width, and its rows
drawn as Unicode half-blocks.

Only pictures the archive keeps are drawn, and those are bytes reader encoded itself
(reader.ingest.images), never the page's. A picture is decoded the first time one of
its rows is on screen, in a thread (the view draws blank rows until then), and kept
per size; one that fails to decode stays blank, and its figure keeps its caption.

Half-blocks (`▀`, the upper pixel as foreground, the lower as background) work in any
terminal with colour and draw the same everywhere, so tests can compare them.
textual-image draws the same way, but its renderer asks the terminal for its cell size
(an escape sequence when ioctl gives none) from the render path, which must not happen
while Textual owns the terminal; Pillow scales, and we make the segments.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Mapping

from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from reader.models import StoredImage

#: The most rows one picture takes (a tall picture is scaled down to it).
MAX_ROWS = 20
HALF_BLOCK = "▀"

Rows = list[list[Segment]]


def picture_cells(width: int, height: int, column: int) -> tuple[int, int]:
    """(columns, rows) a `width` x `height` pixel picture takes in a `column` cells wide:
    never wider than the column nor than its pixels, at most MAX_ROWS rows; a cell is
    about twice as tall as wide, so it shows two pixels, one above the other."""
    if width < 1 or height < 1 or column < 1:
        return (0, 0)
    cols = min(column, width)
    rows = max(1, math.ceil(cols * height / width / 2))
    if rows > MAX_ROWS:
        rows = MAX_ROWS
        cols = max(1, min(cols, round(rows * 2 * width / height)))
    return (cols, rows)


def half_block_rows(data: bytes, cols: int, rows: int) -> Rows | None:
    """The picture `data` (bytes reader encoded) scaled to `cols` x `rows` cells, a
    list of segments per row; None when it does not decode."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
            pixels = image.convert("RGB").resize((cols, rows * 2), Image.Resampling.LANCZOS)
    except Exception:  # kept bytes are ours, but a damaged file must not stop the view
        return None
    data_rgb = pixels.tobytes()
    out: Rows = []
    for row in range(rows):
        segments: list[Segment] = []
        top_at = row * 2 * cols * 3
        bottom_at = top_at + cols * 3
        for x in range(cols):
            top = data_rgb[top_at + x * 3 : top_at + x * 3 + 3]
            bottom = data_rgb[bottom_at + x * 3 : bottom_at + x * 3 + 3]
            style = Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom))
            segments.append(Segment(HALF_BLOCK, style))
        out.append(list(Segment.simplify(segments)))
    return out


def pictures_on(app: object) -> bool:
    """Whether the app's settings draw pictures (the config's `pictures`; on unless off)."""
    defaults = getattr(app, "defaults", None)
    return bool(getattr(defaults, "pictures", True))


class PictureRows:
    """The drawn rows of an article's pictures, made on first need, in a thread.

    `row()` answers at once: the segments of one row, or None while the picture is
    being decoded (or could not be); `done` is called (from the thread) when a
    picture's rows are ready, so the view can draw again. `load` gives a picture's
    bytes by its SHA-256, in the thread (the pictures may come without their bytes:
    opening an article reads only their sizes); by default, the picture's own `data`.
    """

    def __init__(
        self,
        pictures: Mapping[int, StoredImage],
        done: Callable[[], None],
        load: Callable[[str], bytes | None] | None = None,
    ) -> None:
        self.pictures = dict(pictures)
        self._done = done
        self._load = load
        self._rows: dict[tuple[int, int, int], Rows | None] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def sizes(self) -> dict[int, tuple[int, int]]:
        """Each figure's picture's size in pixels, by block index."""
        return {index: (p.width, p.height) for index, p in self.pictures.items()}

    def row(self, block: int, k: int, cols: int, rows: int) -> list[Segment] | None:
        key = (block, cols, rows)
        with self._lock:
            if key in self._rows:
                drawn = self._rows[key]
                return drawn[k] if drawn is not None and k < len(drawn) else None
            self._rows[key] = None  # asked for: decoding
        picture = self.pictures.get(block)
        if picture is not None:
            thread = threading.Thread(target=self._decode, args=(key, picture), daemon=True)
            self._threads.append(thread)
            thread.start()
        return None

    def _decode(self, key: tuple[int, int, int], picture: StoredImage) -> None:
        try:
            data = self._load(picture.sha256) if self._load else picture.data
        except Exception:  # the archive closed under us, say: the picture stays blank
            data = None
        drawn = half_block_rows(data, key[1], key[2]) if data else None
        with self._lock:
            self._rows[key] = drawn
        if drawn is not None:
            self._done()

    def wait(self) -> None:
        """Until every picture asked for is decoded (for tests and benchmarks)."""
        for thread in list(self._threads):
            thread.join()
