"""Plugging the exchange into a node: ``install(app)`` (see ``kervan.wiring``) adds the
listeners that write the outbox, the delivery job, and the routes and pages."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from kervan.errors import KervanError

if TYPE_CHECKING:
    from kervan.config import Settings
    from kervan.exchange.transport import HttpTransport
    from kervan.exchange.worker import Worker
    from kervan.wiring import Wiring

log = logging.getLogger("kervan.exchange")

INBOX_ROUTE = "/api/v1/exchange/inbox"
QUERY_ROUTE = "/api/v1/exchange/query"
# A query body is one envelope and its JSON wrapping.
QUERY_OVERHEAD_BYTES = 1024


def install(app: Wiring) -> None:
    from kervan.exchange import routing
    from kervan.exchange.messages import MESSAGES
    from kervan.messages import add_messages

    add_messages(MESSAGES)
    routing.install(app)
    if app.settings is not None:
        app.add_job("exchange.deliver", Delivery(app.settings))
    if app.web is not None:
        from kervan.exchange.api import router
        from kervan.exchange.limits import BodyLimit
        from kervan.exchange.views.pages import router as pages

        app.include_router(router)
        app.include_router(pages)
        app.add_templates("kervan.exchange.views")
        settings = app.web.state.settings
        # The public endpoints' bodies are bounded while they are read (413 before parsing).
        limits = {
            INBOX_ROUTE: settings.exchange_max_request_bytes,
            QUERY_ROUTE: settings.exchange_max_envelope_bytes + QUERY_OVERHEAD_BYTES,
        }
        app.web.add_middleware(BodyLimit, limits=limits)


class Delivery:
    """The delivery worker as a job: built on first use (it needs the node's signing key; a
    node without one delivers nothing and says so once)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.worker: Worker | None = None
        self.transport: HttpTransport | None = None
        self.unavailable = False

    def __call__(self, factory: sessionmaker[Session]) -> bool:
        worker = self._worker(factory)
        return bool(worker.run_once().peers) if worker is not None else False

    def _worker(self, factory: sessionmaker[Session]) -> Worker | None:
        if self.worker is None and not self.unavailable:
            from kervan.db.base import utcnow
            from kervan.exchange.keys import NodeKeys
            from kervan.exchange.transport import HttpTransport
            from kervan.exchange.worker import Worker

            # The keys folder, re-read as keys rotate and trust lists change: no restart.
            signing = NodeKeys(self.settings)
            try:
                signing.for_signing(None, utcnow())
            except KervanError as exc:
                log.warning("exchange delivery not started: %s", exc.detail)
                self.unavailable = True
                return None
            self.transport = HttpTransport()
            self.worker = Worker(self.settings, factory, signing, self.transport)
        return self.worker

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
