"""The field rules the readers share: times, progress, tags, web URLs, CSV rows."""

from __future__ import annotations

import pytest

from reader.ingest.services.fields import (
    csv_records,
    json_names,
    published_time,
    split_tags,
    unit_progress,
    utc_time,
    web_url,
)
from reader.ingest.services.items import Refused


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1700000000, "2023-11-14T22:13:20Z"),
        ("1700000000", "2023-11-14T22:13:20Z"),
        (1700000000123, "2023-11-14T22:13:20Z"),  # milliseconds
        (1700000000.5, "2023-11-14T22:13:20Z"),
        ("2016-04-04T10:46:45+0200", "2016-04-04T08:46:45Z"),
        ("2024-05-01T12:20:30.000+02:00", "2024-05-01T10:20:30Z"),
        ("2024-05-01T10:20:30.123Z", "2024-05-01T10:20:30Z"),
        ("2023-04-05 12:34:56+00:00", "2023-04-05T12:34:56Z"),
        ("2023-04-05 12:34:56", "2023-04-05T12:34:56Z"),  # no zone: UTC
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("Wed, 25 Nov 2026 07:00:00 -0100", "2026-11-25T08:00:00Z"),
        (0, None),  # Pocket's "unknown"
        ("0", None),
        (-5, None),
        ("", None),
        ("yesterday", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        (10**30, None),
        ("0001-01-01T00:00:00+01:00", None),  # before year 1 in UTC
    ],
)
def test_utc_time(value: object, expected: str | None) -> None:
    assert utc_time(value) == expected


def test_published_keeps_a_date_alone() -> None:
    assert published_time("2024-04-30") == "2024-04-30"
    assert published_time("2024-02-30") is None
    assert published_time("2024-04-30T08:00:00+02:00") == "2024-04-30T06:00:00Z"


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (40, 100, 0.4),
        ("45%", 1, 0.45),
        ("0.5", 1, 0.5),
        (150, 100, 1.0),
        (-3, 100, 0.0),
        ("half", 1, None),
        (None, 1, None),
        (float("inf"), 1, None),
    ],
)
def test_unit_progress(value: object, scale: float, expected: float | None) -> None:
    assert unit_progress(value, scale) == (pytest.approx(expected) if expected else expected)


def test_tags() -> None:
    assert split_tags(" a| b ||a|c ", "|") == ("a", "b", "c")
    assert json_names(["a", {"name": "b"}, {"label": "c"}, {"x": 1}, 7, None, "a"]) == (
        "a",
        "b",
        "c",
        "7",
    )
    assert json_names("not a list") == ()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://a.example/x?y#z", ""),
        ("HTTP://A.example", ""),
        ("", "no URL"),
        ("a.example/x", "not a web address"),
        ("javascript:alert(1)", "a javascript: link, not a web page"),
        ("data:text/html,x", "a data: link, not a web page"),
        ("file:///etc/passwd", "a file: link, not a web page"),
        ("https://", "a web address without a host"),
        ("http://[::1", "not a web address"),
    ],
)
def test_web_url(url: str, reason: str) -> None:
    found, why = web_url(url)
    assert why == reason
    assert (found is None) == bool(reason)


def test_csv_records_refuse_bad_rows_and_go_on() -> None:
    lines = [
        "a,b,c\n",
        "1,2,3\n",
        "\n",
        "4,5\n",
        "6,7,8,9\n",
        '"x\n',
        'y",2,3\n',
        "10,11,12\n",
    ]
    results = list(csv_records(lines, "f.csv", ["a", "b"]))
    assert results == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        Refused("f.csv:4", "a truncated row of 2 fields, the header has 3"),
        Refused("f.csv:5", "a row of 4 fields, the header has 3"),
        (6, {"a": "x\ny", "b": "2", "c": "3"}),
        (8, {"a": "10", "b": "11", "c": "12"}),
    ]


def test_csv_records_refuse_a_field_over_the_limit_and_go_on() -> None:
    lines = ["a,b\n", '"' + "x" * 200_000 + '",1\n', "2,3\n"]
    results = list(csv_records(lines, "f.csv", ["a"]))
    assert isinstance(results[0], Refused)
    assert "field larger than field limit" in results[0].reason
    assert results[-1] == (3, {"a": "2", "b": "3"})


def test_csv_records_without_the_columns() -> None:
    assert list(csv_records(["x,y\n", "1,2\n"], "f.csv", ["a"])) == [
        Refused("f.csv", "not the expected CSV: no column 'a'")
    ]
    assert list(csv_records([], "f.csv", ["a"])) == []
