"""Plugging the exchange into a node: ``install_app(app)`` from the app factory adds the routes
and, when ``exchange_worker`` is set, runs the delivery worker in a thread of ``kervan serve``."""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from kervan.errors import KervanError

log = logging.getLogger("kervan.exchange")

INBOX_ROUTE = "/api/v1/exchange/inbox"


def install_app(app: FastAPI) -> None:
    from kervan.exchange import routing
    from kervan.exchange.api import router

    routing.install()
    # Idempotent: installed twice, the routes would repeat their operation ids.
    if any(getattr(route, "path", "") == INBOX_ROUTE for route in app.routes):
        return
    app.include_router(router)
    if app.state.settings.exchange_worker:
        app.router.on_startup.append(lambda: _start_worker(app))
        app.router.on_shutdown.append(lambda: _stop_worker(app))


def _start_worker(app: FastAPI) -> None:
    from kervan.exchange.keys import load_signing_key
    from kervan.exchange.transport import HttpTransport
    from kervan.exchange.worker import Worker

    try:
        signing = load_signing_key(app.state.settings)
    except KervanError as exc:
        log.warning("exchange worker not started: %s", exc.detail)
        return
    stop = threading.Event()
    transport = HttpTransport()
    worker = Worker(app.state.settings, app.state.session_factory, signing, transport)
    thread = threading.Thread(
        target=worker.run_forever, args=(stop, 0.2), name="kervan-exchange-worker", daemon=True
    )
    app.state.exchange_worker = (thread, stop, transport)
    thread.start()


def _stop_worker(app: FastAPI) -> None:
    running = getattr(app.state, "exchange_worker", None)
    if running is None:
        return
    thread, stop, transport = running
    stop.set()
    thread.join(timeout=10)
    transport.close()
