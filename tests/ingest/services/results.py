"""What the export readers' tests share beside their fixtures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.ingest.services import Refused, ServiceItem

FIXTURES = Path(__file__).parent / "fixtures"


def split(results: Iterable[ServiceItem | Refused]) -> tuple[list[ServiceItem], list[Refused]]:
    """A reader's output as (items, refusals), checking that it yields nothing else and
    that it is a generator (a big export is never held whole)."""
    assert isinstance(results, Iterator)
    items: list[ServiceItem] = []
    refused: list[Refused] = []
    for result in results:
        if isinstance(result, ServiceItem):
            items.append(result)
        else:
            assert isinstance(result, Refused), result
            refused.append(result)
    return items, refused


def by_url(items: list[ServiceItem]) -> dict[str | None, ServiceItem]:
    return {item.url: item for item in items}
