"""The command-line interface: `reader` and its subcommands."""

# Each module registers its commands on `main` when imported.
from reader.cli import (  # noqa: F401
    annotations,
    articles,
    export,
    extract,
    importing,
    recover,
    search,
    serve,
    stats,
    tags,
)
from reader.cli.app import main

__all__ = ["main"]
