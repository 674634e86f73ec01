"""Worker processes for CPU-bound work, owned from start to end by one `WorkerPool`.

The pool starts `jobs` processes, sends each one task at a time (a few items) over a
pipe of its own, and gives the results back in input order, an item at a time: between
two items it hands the caller, it takes in finished tasks and sends new ones, so a
worker waits at most for one of the caller's writes. Because a worker holds one task,
the pool knows what every worker is doing: one that dies (a crash inside lxml, the OOM
killer) or runs past its time (a pathological page) is blamed for exactly that task.
It is killed and replaced, the others go on, and a task of several items is retried an
item at a time, so the one to blame is named (`CRASHED`, or a timeout) and the rest
still come back.

Workers die with the process that started them, however it ends: a SIGKILLed import
must not leave workers behind holding the archive open. On Linux the kernel kills
them (PR_SET_PDEATHSIG, set as each worker starts); everywhere, a thread in each
worker waits on a pipe whose only writer is the parent and exits when it closes.

How workers start (`_pool_context`): on Linux, fork when the parent runs a single
thread (the CLI): workers begin with the work's modules already imported, at no
start-up cost. From a threaded parent (the TUI imports in a worker thread), forking
could copy a lock another thread holds, so forkserver, which preloads those modules
once. Elsewhere the platform's default (spawn).
"""

from __future__ import annotations

import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import DefaultContext, ForkContext, ForkServerContext

    Context: TypeAlias = DefaultContext | ForkContext | ForkServerContext

__all__ = ["CRASHED", "PAGE_TIMEOUT", "PoolUnavailable", "WorkerPool", "pool_outcomes"]

Item = TypeVar("Item")  # what a worker is given: a path, or an article id
Arg = TypeVar("Arg")  # what every task shares: the size limit, or the archive's path
Result = TypeVar("Result")  # what a worker makes of one item

CRASHED = "the extractor crashed on this file"
# Seconds a worker may spend on one item before it is stopped: far beyond any real
# page at the 50 MB limit, short enough that one pathological page cannot stall a batch.
PAGE_TIMEOUT = 300.0
# Seconds a new worker may take to say it is ready (spawn re-imports everything).
START_TIMEOUT = 120.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def timed_out(timeout: float) -> str:
    return f"extracting took longer than {timeout:g} seconds (skipped)"


class PoolUnavailable(Exception):
    """No worker process could be started here (no /dev/shm, a sandbox without fork, a
    `__main__` that workers cannot re-import): the caller does the work itself."""


def _pool_context() -> Context:
    """How workers start (see the module's docstring for why)."""
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context()
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


# --- worker side ---------------------------------------------------------------------


def _die_with_parent(parent_alive: Connection) -> None:
    """End this worker when the process that started it ends, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        try:  # the kernel's way; it fires when the parent (thread) that forked us exits
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl in this libc: the watch below still ends us

    def watch() -> None:
        # The parent never writes; a read returns only when its end closes, which the
        # kernel does when it dies, whatever kills it (and also if it died already).
        try:
            while True:
                parent_alive.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(
    tasks: Connection,
    parent_alive: Connection,
    inherited: list[Connection],
    preload: Sequence[str],
    work: Callable[[list[Item], Arg], list[Result]],
    arg: Arg,
) -> None:
    """A worker's life: say it is ready, then run `work(items, arg)` on each list of items
    it is sent, sending back the results, until it is sent None."""
    # Ctrl-C is the parent's: it stops the import and reports what was saved, where
    # every worker would otherwise print its own KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for connection in inherited:  # a forked worker's copies of the parent's ends
        connection.close()
    _die_with_parent(parent_alive)
    for module in preload:  # before the first task, not during it (spawn)
        importlib.import_module(module)
    try:
        tasks.send("ready")
        while (items := tasks.recv()) is not None:
            tasks.send(work(items, arg))
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass  # the parent closed its end: it is done with this worker, or gone


# --- parent side ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Task(Generic[Item]):
    """Items sent to a worker at once: part or all of one chunk of the input."""

    chunk: int  # which chunk of the input
    offset: int  # where in that chunk the items start
    items: list[Item]


@dataclass(eq=False)
class _Worker(Generic[Item]):
    process: BaseProcess
    tasks: Connection
    task: _Task[Item] | None = None  # what it is working on
    deadline: float = 0.0  # when that task is overdue (time.monotonic)


class WorkerPool(Generic[Item, Arg, Result]):
    """`jobs` processes running `work(items, arg)`, a picklable module-level function (so
    that a forkserver or spawned worker can receive it), which must turn each item into a
    result and never raise for one item.

    `with WorkerPool(...) as pool: for item, result in pool.run(items): ...` starts the
    workers, and stops them on the way out: at once if they still hold work (an early
    stop: Ctrl-C, or the caller gave up), else when they finish. A result is the work's
    or, for an item its worker died on or spent over `timeout` seconds on, a one-line
    reason. `preload` names modules workers import before any task (the work's own is
    always one). `start` raises PoolUnavailable when not one worker can start.
    """

    def __init__(
        self,
        work: Callable[[list[Item], Arg], list[Result]],
        arg: Arg,
        jobs: int,
        *,
        timeout: float = PAGE_TIMEOUT,
        preload: Sequence[str] = (),
    ) -> None:
        self.work = work
        self.arg = arg
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.preload = list(dict.fromkeys([work.__module__, *preload]))
        self._workers: list[_Worker[Item]] = []
        self._context: Context | None = None
        self._parent_alive: tuple[Connection, Connection] | None = None  # (read, write)

    def __enter__(self) -> WorkerPool[Item, Arg, Result]:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- lifetime ------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers and wait until they are ready; PoolUnavailable if none is."""
        try:
            self._context = context = _pool_context()
            if context.get_start_method() == "fork":
                for module in self.preload:  # imported once here, inherited by every worker
                    importlib.import_module(module)
            elif context.get_start_method() == "forkserver":
                context.set_forkserver_preload(self.preload)
            self._parent_alive = context.Pipe(duplex=False)
            for _ in range(self.jobs):
                self._workers.append(self._launch())
        except Exception as error:  # e.g. OSError from a sandbox, ValueError from sys.stderr
            self.close()
            raise PoolUnavailable(str(error)) from error
        launched, self._workers = self._workers, []
        self._workers = [worker for worker in launched if self._ready(worker)]
        if not self._workers:
            self.close()
            raise PoolUnavailable("no worker process could start")

    def close(self) -> None:
        """Stop every worker: a busy one at once (no one will read its work), an idle one
        when it has read that it is done."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if worker.task is not None:
                worker.process.kill()
            else:
                try:
                    worker.tasks.send(None)
                except OSError:  # it is gone already
                    pass
        for worker in workers:
            self._end(worker, wait=5.0)
        if self._parent_alive is not None:
            for end in self._parent_alive:
                end.close()
            self._parent_alive = None

    def _launch(self) -> _Worker[Item]:
        assert self._context is not None and self._parent_alive is not None
        parent_alive, keep_alive = self._parent_alive
        ours, theirs = self._context.Pipe()
        inherited: list[Connection] = []
        if self._context.get_start_method() == "fork":
            # A forked worker holds copies of every descriptor the parent has; it closes
            # the parent's pipe ends, or the parent's death would not close them.
            inherited = [keep_alive, ours, *(worker.tasks for worker in self._workers)]
        process = self._context.Process(
            target=_serve,
            args=(theirs, parent_alive, inherited, self.preload, self.work, self.arg),
            name="reader-worker",
            daemon=True,
        )
        try:
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # the worker has its own; a pipe with none left means it died
        return _Worker(process, ours)

    def _ready(self, worker: _Worker[Item]) -> bool:
        """Whether a launched worker said it is ready (else it is ended)."""
        try:
            if worker.tasks.poll(START_TIMEOUT):
                worker.tasks.recv()
                return True
        except (EOFError, OSError):  # it died starting
            pass
        self._end(worker, wait=0)
        return False

    def _replace(self) -> None:
        """A new worker in a dead one's place, if one can start."""
        try:
            new = self._launch()
        except Exception:
            return  # the others carry on; with none left, the rest runs in this process
        if self._ready(new):
            self._workers.append(new)

    def _end(self, worker: _Worker[Item], *, wait: float) -> None:
        worker.process.join(wait)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.tasks.close()
        worker.process.close()

    # -- supervision -----------------------------------------------------------------

    def run(self, items: list[Item]) -> Iterator[tuple[Item, Result | str]]:
        """Each item with its result, in input order.

        Items go out in chunks (a few items a round trip on big batches; one at a time on
        small ones so the workers share them evenly: page sizes vary 100x). At most
        `jobs * 3` chunks are out or waiting to be given back at once, so 10,000 items
        never queue 10,000 results in memory.
        """
        size = max(1, min(8, len(items) // (self.jobs * 16)))
        batch: _Batch[Item, Result] = _Batch(
            [items[at : at + size] for at in range(0, len(items), size)]
        )
        while batch.given < len(batch.chunks):
            batch.take(self.jobs * 3)
            self._assign(batch)
            self._collect(batch, block=not batch.head_done())
            if batch.head_done():
                yield batch.give_next()

    def _assign(self, batch: _Batch[Item, Result]) -> None:
        """Send queued tasks to idle workers; with no worker left, run them here."""
        while batch.queue:
            if not self._workers:
                task = batch.queue.popleft()
                batch.store(task, self.work(task.items, self.arg))
                continue
            idle = next((worker for worker in self._workers if worker.task is None), None)
            if idle is None:
                return
            task = batch.queue.popleft()
            try:
                idle.tasks.send(task.items)
            except OSError:  # it died while idle: nothing to blame
                batch.queue.appendleft(task)
                self._lose(idle, CRASHED, batch)
                continue
            idle.task = task
            idle.deadline = time.monotonic() + self.timeout * len(task.items)

    def _collect(self, batch: _Batch[Item, Result], *, block: bool) -> None:
        """Take in what workers sent back, waiting (if `block`) until one sends, dies or
        runs out of time; a dead or overdue worker is replaced."""
        busy = [worker for worker in self._workers if worker.task is not None]
        timeout = 0.0
        if block and busy:
            deadline = min(worker.deadline for worker in busy)
            timeout = max(0.0, deadline - time.monotonic())
        handles = [h for w in self._workers for h in (w.tasks, w.process.sentinel)]
        ready = wait(handles, timeout) if handles else []
        heard = [w for w in self._workers if w.tasks in ready or w.process.sentinel in ready]
        for worker in heard:
            if not self._receive(worker, batch):
                self._lose(worker, CRASHED, batch)
        now = time.monotonic()
        for worker in busy:
            overdue = worker.task is not None and now >= worker.deadline
            if overdue and worker in self._workers:
                self._lose(worker, timed_out(self.timeout), batch)

    def _receive(self, worker: _Worker[Item], batch: _Batch[Item, Result]) -> bool:
        """Store what `worker` sent back; False when it has died."""
        try:
            if worker.tasks.poll() and worker.task is not None:
                batch.store(worker.task, worker.tasks.recv())
                worker.task = None
        except (EOFError, OSError):
            return False
        return worker.process.is_alive()

    def _lose(self, worker: _Worker[Item], reason: str, batch: _Batch[Item, Result]) -> None:
        """End a worker that died or ran out of time and replace it. The task it was
        running is to blame: one item is failed with `reason`; several go back to the
        front of the queue an item at a time."""
        self._workers.remove(worker)
        worker.process.kill()
        self._end(worker, wait=0)
        running = worker.task
        if running is not None and len(running.items) == 1:
            batch.store(running, [reason])
        elif running is not None:
            batch.queue.extendleft(
                _Task(running.chunk, running.offset + index, [item])
                for index, item in reversed(list(enumerate(running.items)))
            )
        self._replace()


class _Batch(Generic[Item, Result]):
    """One `run`: the input in chunks, what is queued to send, and the results that came
    back, kept until every chunk before theirs has been given to the caller."""

    def __init__(self, chunks: list[list[Item]]) -> None:
        self.chunks = chunks
        self.queue: deque[_Task[Item]] = deque()  # to send: retries first, then new chunks
        self.results: dict[int, dict[int, Result | str]] = {}  # chunk -> offset -> result
        self.taken = 0  # chunks queued so far
        self.given = 0  # chunks given back to the caller in full
        self.offset = 0  # items of the next chunk given back so far

    def take(self, window: int) -> None:
        """Queue new chunks while fewer than `window` are out and not yet given back."""
        while self.taken < len(self.chunks) and self.taken - self.given < window:
            self.queue.append(_Task(self.taken, 0, self.chunks[self.taken]))
            self.taken += 1

    def store(self, task: _Task[Item], results: Sequence[Result | str]) -> None:
        slots = self.results.setdefault(task.chunk, {})
        for index, result in enumerate(results):
            slots[task.offset + index] = result

    def head_done(self) -> bool:
        """Whether every result of the next chunk to give back is in."""
        return len(self.results.get(self.given, ())) == len(self.chunks[self.given])

    def give_next(self) -> tuple[Item, Result | str]:
        """The next item in input order with its result (its chunk must be done)."""
        chunk = self.chunks[self.given]
        item, result = chunk[self.offset], self.results[self.given][self.offset]
        self.offset += 1
        if self.offset == len(chunk):
            del self.results[self.given]
            self.given, self.offset = self.given + 1, 0
        return item, result


def pool_outcomes(
    items: list[Item],
    jobs: int,
    arg: Arg,
    work: Callable[[list[Item], Arg], list[Result]],
    *,
    timeout: float = PAGE_TIMEOUT,
    preload: Sequence[str] = (),
) -> Generator[tuple[Item, Result | str], None, None]:
    """Each item with `work`'s result for it (or why there is none), in input order,
    made by a `WorkerPool` of `jobs` processes, or in this process if none can start.
    Close the iterator (or run it to the end) to stop the workers."""
    pool = WorkerPool(work, arg, jobs, timeout=timeout, preload=preload)
    try:
        pool.start()
    except PoolUnavailable:
        for item in items:
            yield item, work([item], arg)[0]
        return
    try:
        yield from pool.run(items)
    finally:
        pool.close()
