"""Sizes on the command line: `--max-size 50MB`, `200k`, `1.5 GiB` or `1048576`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeAlias

import click

__all__ = ["SizeParam", "parse_size"]

if TYPE_CHECKING:
    _IntParam: TypeAlias = click.ParamType[int]
else:  # ParamType is generic only from click 8.4, and this runs on 8.1
    _IntParam = click.ParamType

_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]?)(i?b)?", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A byte count from `50MB`, `200k`, `1.5 GiB` or `1048576` (k/M/G are powers of 1024).

    Sizes of files are what people compare against, and `ls -lh` shows powers of 1024.
    Raises ValueError with a one-line message.
    """
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a size: {text!r} (use e.g. 50MB, 200k, 1048576)")
    number, unit = float(match[1]), match[2].lower()
    size = int(number * 1024 ** " kmgt".index(unit or " "))
    if size < 1:
        raise ValueError(f"not a size: {text!r} (it must be at least 1 byte)")
    return size


class SizeParam(_IntParam):
    """A size option's type (`parse_size`): a bad size is a usage error (exit 2)."""

    name = "size"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)
