"""The trust lists a node accepted, in its database (they hold public keys only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.errors import Conflict, NotFound
from kervan.exchange import messages, trust
from kervan.exchange.messages import NOT_CONFIGURED
from kervan.exchange.models import TrustListVersion
from kervan.exchange.trust import TrustDecision, TrustList

# Parsed lists by hash: the receiver needs the current list for every batch, and parsing it
# (importing every key) costs more than the look-up of its version.
_parsed: dict[str, TrustList] = {}
_lock = threading.Lock()


def _parse(document: str, sha256: str) -> TrustList:
    with _lock:
        cached = _parsed.get(sha256)
    if cached is not None:
        return cached
    parsed = trust.parse_content(trust.content_of(json.loads(document)))
    with _lock:
        _parsed[sha256] = parsed
    return parsed


def current_row(session: Session) -> TrustListVersion | None:
    return session.scalars(
        select(TrustListVersion).order_by(TrustListVersion.version.desc()).limit(1)
    ).first()


def current(session: Session) -> TrustList | None:
    # Every batch sent or received asks for the list in force: read its hash, and its
    # document (several kB of signed JSON) only when that version is not parsed yet.
    latest = session.execute(
        select(TrustListVersion.version, TrustListVersion.sha256)
        .order_by(TrustListVersion.version.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    with _lock:
        cached = _parsed.get(latest.sha256)
    if cached is not None:
        return cached
    row = session.get_one(TrustListVersion, latest.version)
    return _parse(row.document, row.sha256)


def require_current(session: Session) -> TrustList:
    found = current(session)
    if found is None:
        raise NotFound(
            "this node has no trust list yet; run `kervan trust install`", code=NOT_CONFIGURED
        )
    return found


def current_document(session: Session) -> dict[str, Any]:
    row = current_row(session)
    if row is None:
        raise NotFound("this node has no trust list yet", code=NOT_CONFIGURED)
    document: dict[str, Any] = json.loads(row.document)
    return document


def install(
    session: Session, document: dict[str, Any], now: dt.datetime, *, bootstrap: bool = False
) -> TrustDecision:
    """Accept ``document`` if it verifies against the list in force (or, with ``bootstrap``
    on a node that has none, against itself). Refusals raise ``Conflict`` explaining why."""
    existing = current(session)
    if existing is None and not bootstrap:
        raise Conflict(
            "no trust list installed yet: install the first one with --bootstrap",
            code=messages.TRUST_NONE_YET,
        )
    decision = trust.verify(document, existing, now)
    if not decision.accepted or decision.trust is None:
        raise Conflict(
            "trust list refused: " + decision.explain(),
            code=messages.TRUST_REFUSED,
            params={"reason": "; ".join(decision.reasons)},
        )
    text = json.dumps(document, sort_keys=True)
    session.add(
        TrustListVersion(
            version=decision.trust.version,
            document=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            installed_at=now,
        )
    )
    session.flush()
    return decision
