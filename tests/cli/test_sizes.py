"""`--max-size` values: parse_size."""

from __future__ import annotations

import pytest

from reader.cli.sizes import parse_size


@pytest.mark.parametrize(
    ("text", "size"),
    [("50MB", 50 * 2**20), ("200k", 200 * 1024), ("1.5 GiB", 3 * 2**29), ("4096", 4096)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "-1", "0", "12 parsecs", "1e9"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)
