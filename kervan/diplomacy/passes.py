"""Passes: issuing one on approval, revoking it (alone, or every pass of a withdrawn
accreditation in one statement), and the signed revocation list verifiers download."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.db.ids import uuid7
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy import messages
from kervan.diplomacy.accreditations import require
from kervan.diplomacy.codec import PassClaims, sign_pass
from kervan.diplomacy.models import AccessRequest, Accreditation, DiplomaticPass, RequestStatus
from kervan.diplomacy.rendering import MAX_QR_VERSION, qr_version
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.exchange import compact
from kervan.exchange.envelopes import iso
from kervan.identity.translit import mrz_components
from kervan.messages import RECORD_NOT_FOUND

REVOCATIONS_TYP = "kervan-pass-revocations+jws"
# A revoked pass stays listed this long after its end, so a verifier with a slow clock still
# refuses it; afterwards it is refused as expired anyway.
LISTED_AFTER_EXPIRY = dt.timedelta(days=2)


def mrz_name(primary: str, secondary: str) -> str:
    """``PRIMARY<<SECONDARY`` in ICAO 9303 letters, unpadded (a pass has no fixed width)."""
    first, second = "<".join(mrz_components(primary)), "<".join(mrz_components(secondary))
    return f"{first}<<{second}" if second else first


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), dt.UTC)


def pass_claims(
    request: AccessRequest, accreditation_end: dt.date | None, pass_id: uuid.UUID, now: dt.datetime
) -> PassClaims:
    until = request.window_end
    if accreditation_end is not None:
        until = min(until, end_of(accreditation_end))  # a pass never outlives its accreditation
    return PassClaims(
        pass_id=pass_id,
        issuing_state=request.controlling_state,
        home_state=request.home_state,
        holder_mrz=mrz_name(request.holder_primary, request.holder_secondary),
        holder_native=request.holder_as_written,
        accreditation=request.card_number,
        airports=(request.airport,),
        zones=tuple(request.zone_list),
        terminal=request.terminal,
        valid_from=request.window_start,
        valid_until=until,
        purpose=request.purpose,
        issued_at=now,
    )


def fitted_text(claims: PassClaims, signing: Any) -> tuple[PassClaims, str]:
    """The signed text, shortening the purpose (then dropping the native-script name, which
    the holder's card shows anyway) until the QR code fits version 15 at level M."""
    candidates = [claims]
    for limit in (160, 80, 30):
        if len(claims.purpose) > limit:
            candidates.append(replace(claims, purpose=claims.purpose[: limit - 1] + "…"))
    candidates.append(replace(candidates[-1], holder_native=claims.holder_mrz))
    for candidate in candidates:
        text = sign_pass(candidate, signing.kid, signing.private_key)
        if qr_version(text) <= MAX_QR_VERSION:
            return candidate, text
    raise InvalidInput(
        "the pass does not fit a QR code of version 15; shorten the names", code=codes.PASS_TOO_LONG
    )


def pass_record(claims: PassClaims, request_id: uuid.UUID, kid: str, text: str) -> DiplomaticPass:
    return DiplomaticPass(
        id=claims.pass_id,
        request_id=request_id,
        issuing_state=claims.issuing_state,
        kid=kid,
        text=text,
        issued_at=claims.issued_at,
        valid_from=claims.valid_from,
        valid_until=claims.valid_until,
    )


def issue_pass(
    session: Session,
    principal: Principal,
    request: AccessRequest,
    *,
    signing: Any,
    now: dt.datetime,
) -> DiplomaticPass:
    accreditation = (
        session.get(Accreditation, request.accreditation_id) if request.accreditation_id else None
    )
    claims = pass_claims(
        request,
        accreditation.valid_until if accreditation else None,
        uuid7(),
        now.replace(microsecond=0),
    )
    claims, text = fitted_text(claims, signing)
    issued = pass_record(claims, request.id, signing.kid, text)
    session.add(issued)
    session.flush()
    _audit(session, principal, "pass.issued", issued, {"request_id": str(request.id)})
    return issued


def _audit(
    session: Session,
    actor: Principal,
    action: str,
    issued: DiplomaticPass,
    details: dict[str, Any],
) -> None:
    audit.record(
        session,
        actor,
        action,
        record_type="diplomatic_pass",
        record_id=issued.id,
        details={"kid": issued.kid, **details},
    )


def pass_in_scope(
    session: Session, principal: Principal, id: uuid.UUID, *, node_state: str
) -> tuple[DiplomaticPass, AccessRequest]:
    """A pass of a request its reader may see (a mission's own, an airport's), and that
    request; the look-up of the request is audited (``service.get_request``)."""
    from kervan.diplomacy.service import get_request

    found = session.get(DiplomaticPass, id)
    if found is None:
        raise NotFound(f"no pass {id}", code=RECORD_NOT_FOUND, params={"id": str(id)})
    return found, get_request(session, principal, found.request_id, node_state=node_state)


def revoke_pass(
    session: Session,
    principal: Principal,
    pass_id: uuid.UUID,
    reason: str,
    *,
    node_state: str,
    now: dt.datetime,
) -> DiplomaticPass:
    require(principal, Permission.AIRPORT_ACCESS_DECIDE)
    found, _ = pass_in_scope(session, principal, pass_id, node_state=node_state)
    if found.issuing_state != node_state:
        raise NotFound(
            f"no pass {pass_id} issued by this node",
            code=RECORD_NOT_FOUND,
            params={"id": str(pass_id)},
        )
    if found.revoked_at is not None:
        raise Conflict(
            f"pass {pass_id} is already revoked",
            code=codes.PASS_REVOKED,
            params={"id": str(pass_id)},
        )
    _revoke(session, principal, [found], reason, now)
    return found


def revoke_for_accreditation(
    session: Session,
    actor: Principal,
    accreditation_id: uuid.UUID,
    reason: str,
    now: dt.datetime,
    *,
    valid_after: dt.datetime | None = None,
) -> int:
    """Every live pass this node issued on the accreditation (only those valid after
    ``valid_after`` when given: an accreditation that now ends sooner)."""
    requests = select(AccessRequest.id).where(AccessRequest.accreditation_id == accreditation_id)
    live = select(DiplomaticPass).where(
        DiplomaticPass.request_id.in_(requests),
        DiplomaticPass.revoked_at.is_(None),
        DiplomaticPass.issuing_state == actor.state,
    )
    if valid_after is not None:
        live = live.where(DiplomaticPass.valid_until > valid_after)
    affected = list(session.scalars(live))
    _revoke(session, actor, affected, reason, now)
    return len(affected)


def _revoke(
    session: Session,
    actor: Principal,
    affected: list[DiplomaticPass],
    reason: str,
    now: dt.datetime,
) -> None:
    """Revoke passes this node issued: one UPDATE for the passes and one for their requests
    (the revocation list verifiers download reads them); each is audited, and the node a
    request came from is told (``airport_access.revoked``)."""
    if not affected:
        return
    session.execute(
        update(DiplomaticPass)
        .where(DiplomaticPass.id.in_([p.id for p in affected]))
        .values(revoked_at=now, revocation_reason=reason)
    )
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.id.in_([p.request_id for p in affected]))
        .values(status=RequestStatus.REVOKED)
    )
    for issued in affected:
        request = session.get_one(AccessRequest, issued.request_id)
        if request.origin_node != issued.issuing_state:
            messages.send_revoked(session, request, issued, reason=reason, at=now)
        _audit(session, actor, "pass.revoked", issued, {"reason": reason})


def revoked_ids(session: Session, issuing_state: str, now: dt.datetime) -> list[str]:
    rows = session.scalars(
        select(DiplomaticPass.id)
        .where(
            DiplomaticPass.issuing_state == issuing_state,
            DiplomaticPass.revoked_at.is_not(None),
            DiplomaticPass.valid_until > now - LISTED_AFTER_EXPIRY,
        )
        .order_by(DiplomaticPass.id)
    )
    return [str(i) for i in rows]


def revocation_list(session: Session, signing: Any, now: dt.datetime) -> str:
    """The node's revoked passes, signed with its key (compact JWS): verifiers check the
    signature against the trust list and show how old the list is."""
    payload = {
        "state": signing.state,
        "issued_at": iso(now),
        "revoked": revoked_ids(session, signing.state, now),
    }
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return str(
        compact.sign(signing.private_key, kid=signing.kid, typ=REVOCATIONS_TYP, payload=body)
    )


def passes_of(session: Session, request_id: uuid.UUID) -> list[DiplomaticPass]:
    return list(
        session.scalars(select(DiplomaticPass).where(DiplomaticPass.request_id == request_id))
    )
