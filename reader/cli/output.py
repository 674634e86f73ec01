"""Standard output that fails in one line: a full disk, a closed pipe.

Every printing command writes to standard output, and any write can fail: `reader show
1 > /dev/full` (no space left), `reader list | head` (the reader of the pipe is gone).
Rather than each command guarding its prints, the `reader` group routes what it
prints through a standard output whose write errors are `StandardOutputError`s
(`guard_standard_output`), and turns one raised anywhere in a run into its exit
(`standard_output_errors`):

- a closed pipe ends the run quietly with status 141 (128 + SIGPIPE), what a shell
  reports for `cat` or `grep` cut off by `| head`: nothing on standard error, and a
  script with `set -o pipefail` can still tell output cut short from output complete
  (status 0 would say every line was delivered);
- any other failure (ENOSPC, EIO, a quota) says `standard output: No space left on
  device` on standard error and exits with status 1, as any other error of reader.

Only a write to file descriptor 1 is tagged, so an OSError from anything else (a file
being exported, the archive) is never taken for standard output's.
"""

from __future__ import annotations

import errno
import io
import os
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "CLOSED_PIPE_STATUS",
    "StandardOutputError",
    "guard_standard_output",
    "standard_output_errors",
]

CLOSED_PIPE_STATUS = 128 + 13  # 128 + SIGPIPE, as a shell reports a process it killed


class StandardOutputError(OSError):
    """A write to standard output failed (errno and strerror as the system said)."""


class _StandardOutputFile(io.FileIO):
    """File descriptor 1, whose write errors say they are standard output's.

    A write writes all it is given: the kernel may take part of it (a pipe whose
    reader leaves mid-write), and an unbuffered text layer (python -u) would drop
    the rest without a word.
    """

    def write(self, data: ReadableBuffer, /) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            try:
                written = super().write(view[done:])
            except OSError as error:
                raise StandardOutputError(error.errno, error.strerror) from None
            if written is None:  # a non-blocking descriptor that is full: wait for room
                select.select([], [self], [])
                continue
            done += written
        return done


def guard_standard_output() -> None:
    """Make `sys.stdout` the process's own standard output with tagged write errors.

    Only when `sys.stdout` is the process's standard output (a test runner's capture
    is left alone); same encoding, error handler and buffering as before.
    """
    stdout = sys.stdout
    if stdout is not sys.__stdout__ or not isinstance(stdout, io.TextIOWrapper):
        return
    try:
        if stdout.fileno() != 1:
            return
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return
    stdout.flush()
    raw = _StandardOutputFile(1, "w", closefd=False)
    binary: io.RawIOBase | io.BufferedWriter = raw
    if isinstance(stdout.buffer, io.BufferedWriter):  # python -u: unbuffered, as asked
        binary = io.BufferedWriter(raw)
    sys.stdout = io.TextIOWrapper(
        binary,
        encoding=stdout.encoding,
        errors=stdout.errors,
        line_buffering=stdout.line_buffering,
        write_through=getattr(stdout, "write_through", False),
    )


@contextmanager
def standard_output_errors() -> Iterator[None]:
    """Run the block and flush standard output; a failure there ends the run (see the
    module doc): click's Exit(141) for a closed pipe, else a one-line ClickException."""
    try:
        try:
            yield
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()  # what is still buffered fails here, not at exit
    except StandardOutputError as error:
        _discard_standard_output()
        if error.errno == errno.EPIPE:
            raise click.exceptions.Exit(CLOSED_PIPE_STATUS) from None
        reason = error.strerror or os.strerror(error.errno or errno.EIO)
        raise click.ClickException(f"standard output: {reason}") from None


def _discard_standard_output() -> None:
    """Point file descriptor 1 at /dev/null: what is still buffered (and the
    interpreter's flush at exit) goes nowhere instead of failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, 1)
    except OSError:
        pass
    finally:
        os.close(devnull)
