"""The welcome article: the user guide, in the archive the first time it is opened.

It is a real article imported through the normal pipeline (so it shows what an
imported page looks like, and can be highlighted, tagged, searched and deleted like
any other). The archive remembers it welcomed the user, so deleting the guide, or
emptying the archive later, never brings it back.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.archive import Archive

__all__ = ["WELCOMED", "WELCOME_TAG", "ensure_welcome", "import_welcome", "welcome_page"]

WELCOMED = "welcomed"  # the archive setting that says the guide was offered
WELCOME_TAG = "reader"
WELCOME_FILENAME = "welcome.html"


def welcome_page() -> bytes:
    """The packaged user guide (reader/data/welcome.html)."""
    return (resources.files("reader") / "data" / WELCOME_FILENAME).read_bytes()


def import_welcome(archive: Archive) -> int:
    """Import the user guide through the normal pipeline, tagged `reader`; its id.

    If it is already there (same bytes), the existing article's id. Raises IngestError
    if the packaged page cannot be imported (a packaging bug, not user input).
    """
    from reader.importer import import_bytes
    from reader.ingest.page import IngestError

    report = import_bytes(archive, welcome_page(), filename=WELCOME_FILENAME, tags=[WELCOME_TAG])
    if report.imported:
        return report.imported[0]
    if report.duplicates:
        return report.duplicates[0][1]
    raise IngestError(f"{WELCOME_FILENAME}: {report.failed[0][1]}")


def ensure_welcome(archive: Archive) -> int | None:
    """Import the user guide if this archive has never had an article; its id, else None.

    An archive that already has articles (say, filled by `reader import` before the
    TUI first opened it) is marked welcomed without a guide: its user is past the guide.
    The reader must open even if the packaged guide cannot be imported (a packaging
    bug the tests catch): then nothing is imported and the next start tries again.
    """
    if archive.get_setting(WELCOMED) is not None:
        return None  # the usual case, decided before importing the import pipeline
    from reader.ingest.page import IngestError

    article_id = None
    if archive.article_count() == 0:
        try:
            article_id = import_welcome(archive)
        except IngestError:
            return None
    archive.set_setting(WELCOMED, "1")
    return article_id
