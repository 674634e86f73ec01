"""ImageStore: the pictures a page brought with it (#23, #24), each kept once.

`images` holds each picture once per archive, by the SHA-256 of the bytes reader
encoded (two pages showing the same picture share one row); `article_images` maps the
path each article's page named it by (a `_files/` folder's), or its figure's key (one
its original held: reader.ingest.images.figure_keys), to that row. The rows are written in the
article's own transaction (a failed import leaves no picture behind); a picture no
article names any more goes with its last mapping (a trigger, schema v5), so deleting
an article, or replacing its pictures, leaves nothing unused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reader.archive.base import StoreBase
from reader.models import StoredImage

if TYPE_CHECKING:
    from reader.models import StoredImage


def store_images(
    conn: sqlite3.Connection, article_id: int, images: Iterable[StoredImage], *, replace: bool
) -> None:
    """Give the article these pictures, inside the caller's transaction; `replace`: the
    ones it had before go (and with them any picture no other article shows)."""
    pictures = list(images)
    if replace:
        conn.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
    for image in pictures:
        conn.execute(
            # Only the same picture already kept is passed over (OR IGNORE would pass
            # over a NULL too).
            "INSERT INTO images(sha256, media_type, width, height, data)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING",
            (image.sha256, image.media_type, image.width, image.height, image.data),
        )
        conn.execute(
            "INSERT OR REPLACE INTO article_images(article_id, src, image_id)"
            " SELECT ?, ?, id FROM images WHERE sha256 = ?",
            (article_id, image.src, image.sha256),
        )


class ImageStore(StoreBase):
    """Reading the pictures an article's page brought."""

    def images_of(self, article_id: int, *, data: bool = True) -> list[StoredImage]:
        """The article's pictures, by the path its page named each one; `data=False`:
        their names and sizes only, each `data` empty (the bytes: `image_data`)."""
        column = "i.data" if data else "x''"
        with self._reading(f"the pictures of article #{article_id}"):
            rows = self.conn.execute(
                f"SELECT ai.src, i.sha256, i.media_type, i.width, i.height, {column}"
                " FROM article_images ai JOIN images i ON i.id = ai.image_id"
                " WHERE ai.article_id = ? ORDER BY ai.src",
                (article_id,),
            ).fetchall()
        return [StoredImage(*row) for row in rows]

    def image_data(self, sha256: str) -> bytes | None:
        """The bytes of the kept picture `sha256` (reader's encoding), None if gone."""
        with self._reading("a picture"):
            row = self.conn.execute(
                "SELECT data FROM images WHERE sha256 = ?", (sha256,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def image_count(self) -> int:
        """How many pictures the archive keeps (each once)."""
        return int(self.conn.execute("SELECT count(*) FROM images").fetchone()[0])
