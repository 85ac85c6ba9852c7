"""The exchange between nodes: keys and the trust list, signed envelopes and receipts, the
transactional outbox and its delivery worker, the inbox, peer queries, the consular view of
nationals abroad, foreign measures and dead letters. The API, the pages and the CLI call
``service.py``; the API's shapes are ``schemas.py``, the envelopes' JSON Schemas
``envelope_schemas/``. See docs/exchange.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Outbox listeners, the delivery job, the exchange API and the consular pages."""
    from kervan.exchange.node import install as install_exchange

    install_exchange(app)
