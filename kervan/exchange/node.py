"""Plugging the exchange into a node: ``install_app(app)`` from the app factory adds the routes
and, when ``exchange_worker`` is set, runs the delivery worker in a thread of ``kervan serve``."""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from kervan.errors import KervanError

log = logging.getLogger("kervan.exchange")

INBOX_ROUTE = "/api/v1/exchange/inbox"
QUERY_ROUTE = "/api/v1/exchange/query"
# A query body is one envelope and its JSON wrapping.
QUERY_OVERHEAD_BYTES = 1024


def install_app(app: FastAPI) -> None:
    from kervan.exchange import routing
    from kervan.exchange.api import router
    from kervan.exchange.limits import BodyLimit

    routing.install()
    # Idempotent: installed twice, the routes would repeat their operation ids.
    if any(getattr(route, "path", "") == INBOX_ROUTE for route in app.routes):
        return
    app.include_router(router)
    settings = app.state.settings
    limits = {
        INBOX_ROUTE: settings.exchange_max_request_bytes,
        QUERY_ROUTE: settings.exchange_max_envelope_bytes + QUERY_OVERHEAD_BYTES,
    }
    app.add_middleware(BodyLimit, limits=limits)
    if app.state.settings.exchange_worker:
        app.router.on_startup.append(lambda: _start_worker(app))
        app.router.on_shutdown.append(lambda: _stop_worker(app))


def _start_worker(app: FastAPI) -> None:
    from kervan.db.base import utcnow
    from kervan.exchange.keys import NodeKeys
    from kervan.exchange.transport import HttpTransport
    from kervan.exchange.worker import Worker

    keys = NodeKeys(app.state.settings)
    try:
        keys.for_signing(None, utcnow())
    except KervanError as exc:
        log.warning("exchange worker not started: %s", exc.detail)
        return
    stop = threading.Event()
    transport = HttpTransport()
    worker = Worker(app.state.settings, app.state.session_factory, keys, transport)
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
