"""The document model, the shared language of the app: ingest produces it, the archive
stores it, the reading view, export and the CLI read it. It imports nothing of reader."""

from reader.document.model import (
    BLOCK_KINDS,
    BLOCK_SEPARATOR,
    MARK_KINDS,
    Block,
    Document,
    Mark,
    Span,
)

__all__ = ["BLOCK_KINDS", "BLOCK_SEPARATOR", "MARK_KINDS", "Block", "Document", "Mark", "Span"]
