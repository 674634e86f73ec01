"""`reader` commands: extract (to be written)."""

from reader.cli.app import main  # noqa: F401
