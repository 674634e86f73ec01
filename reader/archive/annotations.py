"""AnnotationStore: (to be written)."""

from __future__ import annotations

from reader.archive.base import StoreBase


class AnnotationStore(StoreBase):
    pass
