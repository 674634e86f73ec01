"""How screens and widgets reach the archive: the narrow protocol they are handed, and
the app's connections behind it.

Screens and widgets never reach for the app; they are given an `ArchiveAccess`:

- `archive`: the main thread's connection, for quick reads (a row, a setting);
- `background(work)`: `work` on the readers' connection, from a thread worker (searches,
  counts, pages of rows), so a slow query never blocks a key press;
- `write(work)`: `work` queued for the one writer thread. Writes run one at a time in the
  order they were queued (a highlight before its note, a delete before its undo, the
  position saved on leaving before the library reads the row back), and nothing on the
  event loop waits for them: while another program holds the write lock, the UI goes on;
- `open_archive()`: a connection of its own for a long job (an import, an export).

`ArchiveConnections` is the app's implementation: one connection per role, so two
threads never share a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from reader.archive import Archive, ReadOnlyError

T = TypeVar("T")


class ArchiveAccess(Protocol):
    """What a screen or widget may do with the archive (see the module's docstring)."""

    @property
    def archive(self) -> Archive:
        """The main thread's connection, for quick reads on the event loop."""
        ...

    def background(self, work: Callable[[Archive], T]) -> T:
        """Run `work` on the readers' connection (call from a thread worker)."""
        ...

    def write(self, work: Callable[[Archive], T]) -> Future[T]:
        """Queue `work` for the writer thread, behind every write queued before it; the
        future holds its result or its refusal. Call from any thread; it never blocks."""
        ...

    def open_archive(self) -> Archive:
        """A new connection for a long job (an import, an export); the caller closes it."""
        ...


class ArchiveConnections:
    """The app's connections to the archive at `path` (an ArchiveAccess).

    Opening it opens the main thread's connection (a file that is not an archive raises
    here, before any screen shows); the readers' and the writer's are opened on first use.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._archive = Archive(path)
        # A file or folder this process may not write is opened read-only (reader.archive
        # decides); every connection then is, and writes are refused without one.
        self.readonly = self._archive.readonly
        self._reader: Archive | None = None
        self._reader_lock = threading.Lock()
        self._writer: Archive | None = None  # used on the writer thread only
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")

    @property
    def archive(self) -> Archive:
        return self._archive

    def background(self, work: Callable[[Archive], T]) -> T:
        with self._reader_lock:
            if self._reader is None:
                self._reader = Archive(self.path, readonly=self.readonly)
            return work(self._reader)

    def write(self, work: Callable[[Archive], T]) -> Future[T]:
        if self.readonly:
            # Refused at once, in the words every write of a read-only archive gets;
            # no writer thread, no connection.
            refused: Future[T] = Future()
            refused.set_exception(ReadOnlyError.at(self.path))
            return refused
        return self._writes.submit(self._write, work)

    def _write(self, work: Callable[[Archive], T]) -> T:
        if self._writer is None:
            self._writer = Archive(self.path)
        return work(self._writer)

    def open_archive(self) -> Archive:
        return Archive(self.path, readonly=self.readonly)

    def close(self) -> None:
        """Let every queued write land, then close the connections."""
        self._writes.shutdown(wait=True)
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        self._archive.close()


def missing_among(archive: Archive, article_ids: Iterable[int]) -> set[int]:
    """Which of the articles are missing pages (known from an export, no page yet): one
    lookup by key each, for a page of list rows (an annotation's "waiting for its page")."""
    return {article_id for article_id in set(article_ids) if archive.is_missing(article_id)}


async def landed(future: Future[T]) -> T:
    """The result of a queued write, awaited on the event loop (no thread waits for it).

    Cancelling the waiter (its screen closed) leaves the write queued: it lands all the
    same; only what was to follow it on screen is dropped.
    """
    if not future.done():
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def wake(_: Future[T]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is gone: the app has quit
                loop.call_soon_threadsafe(done.set)

        future.add_done_callback(wake)
        await done.wait()
    return future.result()


def write_then(
    node: DOMNode,
    access: ArchiveAccess,
    work: Callable[[Archive], T],
    then: Callable[[T], object],
    refused: Callable[[Exception], object],
) -> Worker[None]:
    """Queue `work`; once it has landed, call `then(result)` on the event loop, or
    `refused(error)` when the archive said no (the lock held past the busy timeout, a
    full disk, a read-only file). The waiting is an async worker of `node`."""
    future = access.write(work)

    async def wait() -> None:
        try:
            result = await landed(future)
        except Exception as error:
            refused(error)
            return
        then(result)

    return node.run_worker(wait, group="write", exit_on_error=True)
