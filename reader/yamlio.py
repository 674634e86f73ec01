"""YAML as reader reads and writes it: the safe subset, through libyaml when PyYAML was
built with it (a folder export reads and writes front matter for every file: the pure
Python loader and dumper took most of a re-export's time), else PyYAML's own."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["dump_yaml", "load_yaml"]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`: plain data only, never a Python object."""
    return yaml.load(text, Loader=_LOADER)


def dump_yaml(value: Any, **options: Any) -> str:
    """`yaml.safe_dump(value, **options)`."""
    return str(yaml.dump(value, Dumper=_DUMPER, **options))
