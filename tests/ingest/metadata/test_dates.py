"""Dates as ISO 8601, as precise as the page was."""

from __future__ import annotations

import pytest

from reader.ingest.metadata.dates import clean_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T09:30", "2024-03-05T09:30"),
        ("2024-03-05 09:30:15", "2024-03-05T09:30:15"),
        ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
        ("2019-01-03T07:00:02.000Z", "2019-01-03T07:00:02.000Z"),
        ("Thu, 05 Apr 2018 06:00:00 GMT", "2018-04-05T06:00:00+00:00"),
        ("April 5, 2018", "2018-04-05"),
        ("5 April 2018", "2018-04-05"),
        ("yesterday", None),
        ("2024-13-40", None),
    ],
)
def test_clean_date(raw: str, expected: str | None) -> None:
    assert clean_date(raw) == expected
