"""`reader` commands: tags (to be written)."""

from reader.cli.app import main  # noqa: F401
