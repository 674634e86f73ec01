"""Readers of other services' exports (Pocket, Omnivore, wallabag, Instapaper, Readwise,
Netscape bookmarks): one module a format, each pure, bytes in, `ServiceItem`s out."""

from reader.ingest.services.items import ExportReader, ItemPage, Quote, Refused, ServiceItem

__all__ = ["ExportReader", "ItemPage", "Quote", "Refused", "ServiceItem"]
