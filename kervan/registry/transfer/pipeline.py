"""Reading the next chunk while the database writes the previous one.

Parsing and validating rows is Python; writing them is mostly the database's work, during which
the importer's thread waits on a socket with the GIL released. A reader thread one chunk ahead
turns that wait into parsing time: on two cores, the server and the parser run at once.

A thread still shares the GIL with the importer's own Python (statements, conversions, driver):
a large file is read and parsed in a process of its own instead (``ProcessPrefetched``)."""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import threading
from collections.abc import Callable, Iterator
from queue import Empty, Full, Queue
from typing import Any, Generic, TypeVar

from kervan.errors import KervanError

T = TypeVar("T")
_POLL = 0.1  # seconds between checks that the consumer still wants items


class _Done:
    pass


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Prefetched(Generic[T]):
    """Iterate ``items`` in a thread of its own, at most ``depth`` items ahead of the consumer.
    Exceptions reach the consumer at the point they occurred; ``close`` stops the thread."""

    def __init__(self, items: Iterator[T], depth: int = 1) -> None:
        self._items = items
        self._queue: Queue[T | _Done | _Failed] = Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="import-reader", daemon=True)
        self._thread.start()

    def _put(self, item: T | _Done | _Failed) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=_POLL)
                return True
            except Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(_Failed(exc))
            return
        self._put(_Done())

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._queue.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item

    def close(self) -> None:
        self._stopped.set()
        while True:  # unblock a producer waiting to put
            try:
                self._queue.get_nowait()
            except Empty:
                break
        self._thread.join()


# ----------------------------------------------------------------------------------------------
# A reader process: the Python work of a large import on the second core


class _Raised:
    """An exception of the reader process, carried as what rebuilds it: a domain error's
    keyword-only ``code``, ``params`` and extras are lost by pickling the exception itself."""

    def __init__(self, error: BaseException) -> None:
        self.detail = str(error)
        self.kind: type[BaseException] = type(error)
        self.coded: KervanError | None = None
        if isinstance(error, KervanError):
            self.coded = KervanError(error.detail, code=error.code, params=error.params)
            self.coded.errors, self.coded.extra = error.errors, error.extra
        try:
            pickle.dumps(self.kind)
        except Exception:  # a class the parent cannot import: raised as what it said
            self.kind = RuntimeError

    def rebuild(self) -> BaseException:
        coded = self.coded
        try:
            if coded is not None and issubclass(self.kind, KervanError):
                return self.kind(
                    coded.detail,
                    code=coded.code,
                    params=coded.params,
                    errors=coded.errors,
                    **coded.extra,
                )
            return self.kind(self.detail)
        except Exception:
            return RuntimeError(self.detail)


def _produce_in_process(
    make: Callable[[], Iterator[Any]], queue: Any, stopped: Any, depth: int
) -> None:
    def put(item: Any) -> bool:
        while not stopped.is_set():
            try:
                queue.put(item, timeout=_POLL)
                return True
            except Full:
                continue
        return False

    try:
        for item in make():
            if not put(item):
                break
        else:
            put(_Done())
    except BaseException as exc:  # handed to the parent, raised there
        put(_Raised(exc))
    queue.close()
    queue.join_thread()


class ProcessPrefetched(Generic[T]):
    """``Prefetched`` in a forked process: the items of ``make()`` are made there (at most
    ``depth`` ahead) and pickled to the consumer. Worth it when making an item costs far more
    than pickling it, as parsing and converting a chunk of rows does; the items are made in
    order, by one process, so ids drawn while making them stay in order too.

    Forked, so ``make`` and what it reads (an open file, a reader's state) need no pickling;
    the child touches nothing of the parent's database connections."""

    def __init__(self, make: Callable[[], Iterator[T]], depth: int = 2) -> None:
        context = multiprocessing.get_context("fork")
        self._queue: Any = context.Queue(maxsize=depth)
        self._stopped = context.Event()
        self._process = context.Process(
            target=_produce_in_process,
            args=(make, self._queue, self._stopped, depth),
            name="import-reader",
            daemon=True,
        )
        self._process.start()

    def _get(self) -> Any:
        while True:
            try:
                return self._queue.get(timeout=_POLL * 10)
            except Empty:
                if not self._process.is_alive() and self._queue.empty():
                    raise RuntimeError(
                        f"the import's reader process ended unexpectedly "
                        f"(exit code {self._process.exitcode})"
                    ) from None

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._get()
            if isinstance(item, _Done):
                return
            if isinstance(item, _Raised):
                raise item.rebuild()
            yield item

    def close(self) -> None:
        self._stopped.set()
        while self._process.is_alive():
            with contextlib.suppress(Empty):  # unblock a producer waiting to put
                self._queue.get(timeout=_POLL)
            self._process.join(timeout=_POLL)
        self._queue.close()
        self._queue.join_thread()
