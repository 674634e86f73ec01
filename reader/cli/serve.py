"""`reader serve --opds`: the archive as an OPDS catalogue for e-readers, until Ctrl-C.

Opt-in (`--opds` must be said), read-only, on the interface `--host` names (default
loopback). Off loopback every address carries a token, made at start (or `--token`)
and printed with the address; on loopback none is needed unless one is given. The
address is printed at start; Ctrl-C (or SIGTERM) stops it with one line, exit 0.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from reader.cli.app import main, open_archive

DEFAULT_PORT = 8080
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) stops the server as Ctrl-C does; and Ctrl-C
    stops it even when the shell started it with SIGINT ignored (a background job of
    a script inherits that, and Python then never raises KeyboardInterrupt)."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@main.command("serve")
@click.option("--opds", is_flag=True, help="Serve the archive as an OPDS 1.2 catalogue.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address of the interface to listen on (off loopback, a token is required).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="The port (0: any free one).",
)
@click.option(
    "--token",
    help="The token every address must carry (16-128 letters, digits, - or _); "
    "default: a new one off loopback, none on it.",
)
@click.pass_context
def serve_command(ctx: click.Context, opds: bool, host: str, port: int, token: str | None) -> None:
    """Serve the archive to e-readers (KOReader, Calibre...) as an OPDS catalogue.

    \b
    Read-only: feeds of unread, starred and recent articles, a feed per tag and
    search (reader's search language); each article, or a feed's first articles,
    as an EPUB made on request. Stop it with Ctrl-C.
    """
    from reader.serve.http import CatalogueServer, choose_token

    if not opds:
        raise click.UsageError("say what to serve: --opds (an OPDS catalogue for e-readers)", ctx)
    if token is not None and not _TOKEN.fullmatch(token):
        raise click.BadParameter("16 to 128 letters, digits, - or _", ctx, param_hint="--token")
    with open_archive(ctx) as archive:  # is there an archive, can it be read: fail now
        path = archive.path
    try:
        server = CatalogueServer((host, port), path, token=choose_token(host, token))
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host} port {port}: {error.strerror}"
        ) from error
    click.echo(f"Serving {path.absolute()} as an OPDS catalogue at {server.url}")
    if server.token:
        click.echo("The address carries a token: whoever has it can read the archive.")
    click.echo("Ctrl-C stops it.")
    try:
        with _sigterm_as_interrupt():
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo("Stopped serving.")
