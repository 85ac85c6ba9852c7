"""An app served from a thread of this process, on 127.0.0.1: for the load tests, the demo
steps and the browser tests, which all need a real HTTP node without a process of its own."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

START_SECONDS = 20.0


def free_port() -> int:
    """A port nothing listens on now (the system picks it), for a server started just after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # a thread cannot own the process's signals
        pass


@contextmanager
def served(app: Any, port: int | None = None, *, name: str = "the test server") -> Iterator[str]:
    """``app`` served for the ``with`` block; yields its base URL. ``port`` when the caller had
    to name it before building the app (a federation's trust list lists it)."""
    port = port or free_port()
    server = _ThreadServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
