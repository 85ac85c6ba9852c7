"""Sample passes of every kind a verifier must tell apart — valid, revoked, expired, not yet
valid, for another airport, forged — issued by a node's own key into its database. For the
browser tests, the benchmark and trying the verifier by hand; never used by the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from kervan.db.ids import uuid7
from kervan.diplomacy.codec import PassClaims, sign_pass
from kervan.diplomacy.models import AccessRequest, DiplomaticPass, RequestStatus
from kervan.diplomacy.passes import pass_claims, pass_record

KINDS = ("valid", "revoked", "expired", "not-yet-valid", "wrong-airport", "forged")


def _request(state: str, airport: str, start: dt.datetime, end: dt.datetime) -> AccessRequest:
    return AccessRequest(
        id=uuid7(),
        requesting_state="UZB",
        origin_node=state,
        mission="Consulate of Uzbekistan",
        card_number="KZ-DC-004512",
        accredited_in="KAZ",
        home_state="UZB",
        holder_primary="ALIMOV",
        holder_secondary="BOBUR",
        holder_as_written="Алимов Бобур",
        airport=airport,
        controlling_state=state,
        terminal="T1",
        zones="transit,departures",
        window_start=start,
        window_end=end,
        purpose="Repatriation flight HY-278 to TAS",
        status=RequestStatus.GRANTED,
        decision_due_at=start,
        created_by="sample",
        created_at=start,
    )


def issue(
    session: Session,
    signing: Any,
    request: AccessRequest,
    now: dt.datetime,
    key: Ed25519PrivateKey | None = None,
) -> tuple[PassClaims, str]:
    claims = pass_claims(request, None, uuid7(), now.replace(microsecond=0))
    text = sign_pass(claims, signing.kid, key or signing.private_key)
    session.add(request)
    session.flush()
    session.add(pass_record(claims, request.id, signing.kid, text))
    session.flush()
    return claims, text


def sample_passes(session: Session, signing: Any, now: dt.datetime) -> dict[str, str]:
    """One pass of each of ``KINDS`` for an airport of the signing node's state (``airport``)."""
    from kervan.diplomacy.airports import airports_of

    here, elsewhere = airports_of(signing.state)[:2]
    hour = dt.timedelta(hours=1)
    windows = {
        "valid": (here, now - hour, now + 24 * hour),
        "revoked": (here, now - hour, now + 24 * hour),
        "expired": (here, now - 48 * hour, now - 24 * hour),
        "not-yet-valid": (here, now + 24 * hour, now + 48 * hour),
        "wrong-airport": (elsewhere, now - hour, now + 24 * hour),
        "forged": (here, now - hour, now + 24 * hour),
    }
    texts = {}
    for kind, (airport, start, end) in windows.items():
        key = Ed25519PrivateKey.generate() if kind == "forged" else None
        claims, texts[kind] = issue(
            session, signing, _request(signing.state, airport, start, end), now, key
        )
        if kind == "revoked":
            issued = session.get_one(DiplomaticPass, claims.pass_id)
            issued.revoked_at, issued.revocation_reason = now - hour / 2, "sample revocation"
    session.flush()
    return texts
