"""Reading the next chunk while the database writes the previous one.

Parsing and validating rows is Python; writing them is mostly the database's work, during which
the importer's thread waits on a socket with the GIL released. A reader thread one chunk ahead
turns that wait into parsing time: on two cores, the server and the parser run at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from queue import Empty, Full, Queue
from typing import Generic, TypeVar

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
