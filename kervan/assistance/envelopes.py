"""``case.*`` envelopes between the two states of a case (its host and home state): written
to the outbox in the transaction of the change, applied when they arrive.

Only what the partner needs travels: the shared fields, the consent that allows it, notes and
aid; never this node's workflow (status, assignment, SLA) or the register link. Applying is
idempotent (changes, notes and aid by id), so a retried or duplicated envelope changes
nothing twice, and changes merge by what they were based on (``merge.py``), so an envelope
arriving late or out of order cannot overwrite a newer change."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.assistance.fields import SHARED_FIELDS
from kervan.assistance.models import (
    Case,
    CaseAid,
    CaseChange,
    CaseNote,
    CaseStatus,
    Referral,
    Requester,
    Source,
    Urgency,
)
from kervan.assistance.service import (
    Merged,
    aid_of,
    changes_of,
    merge_changes,
    merge_records,
    notes_of,
)
from kervan.assistance.sla import sla_of
from kervan.exchange import outbox
from kervan.exchange.envelopes import Envelope, iso
from kervan.exchange.trust import parse_time
from kervan.registry.codes import SECRETARIAT
from kervan.wiring import wiring_of

log = logging.getLogger("kervan.assistance")

REFERRED, ACCEPTED, DECLINED = "case.referred", "case.accepted", "case.declined"
UPDATED, CLOSED = "case.updated", "case.closed"
TYPES = (REFERRED, ACCEPTED, DECLINED, UPDATED, CLOSED)
SUBJECT = "assistance_case"


def _send(
    session: Session, type_name: str, case: Case, body: dict[str, Any], now: dt.datetime
) -> None:
    assert case.partner_state is not None
    outbox.add(
        session, type_name, case.partner_state, (SUBJECT, case.id), head_of(case) | body, at=now
    )


def _change(c: CaseChange) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "field": c.field,
        "value": c.value,
        "bases": [b for b in c.bases.split(",") if b],
        "author": c.author,
        "state": c.author_state,
        "at": iso(c.made_at),
    }


def _note(n: CaseNote) -> dict[str, Any]:
    return {
        "id": str(n.id),
        "text": n.text,
        "author": n.author,
        "state": n.author_state,
        "at": iso(n.written_at),
    }


def _aid(a: CaseAid) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "kind": a.kind,
        "quantity": a.quantity,
        "amount": None if a.amount is None else str(a.amount),
        "currency": a.currency,
        "description": a.description,
        "given_by": a.given_by,
        "state": a.given_state,
        "at": iso(a.given_at),
    }


def referred_body(
    case: Case, changes: list[CaseChange], notes: list[CaseNote], aid: list[CaseAid]
) -> dict[str, Any]:
    """What a referral carries: the shared fields, the consent that allows it, and what was
    recorded so far (the head fields are added by ``_send``)."""
    assert case.consent_at is not None  # the service refuses a referral without it
    return {
        "case": {
            "reference": case.reference,
            "requester": case.requester.value,
            "full_name": case.full_name,
            "birth_date": case.birth_date.isoformat() if case.birth_date else None,
            "document_number": case.document_number,
            "needs": case.need_list,
            "vulnerabilities": case.vulnerability_list,
            "urgency": case.urgency.value,
            "region": case.region,
            "city": case.city,
            "language": case.language,
            "contact": case.contact,
            "description": case.description,
            "outcome": case.outcome,
            "opened_at": iso(case.opened_at),
        },
        "consent": {
            "given_by": case.consent_by,
            "how": case.consent_how,
            "at": iso(case.consent_at),
            "recorded_by": case.consent_recorded_by,
        },
        "reason": case.referral_reason,
        "changes": [_change(c) for c in changes],
        "notes": [_note(n) for n in notes],
        "aid": [_aid(a) for a in aid],
    }


def head_of(case: Case) -> dict[str, Any]:
    return {"case_id": str(case.id), "home_state": case.nationality, "host_state": case.host_state}


def send_referred(session: Session, case: Case, now: dt.datetime) -> None:
    recorded = changes_of(session, case.id), notes_of(session, case.id), aid_of(session, case.id)
    _send(session, REFERRED, case, referred_body(case, *recorded), now)


def send_updated(session: Session, case: Case, merged: Merged, now: dt.datetime) -> None:
    body = {
        "changes": [_change(c) for c in merged.changes],
        "notes": [_note(n) for n in merged.notes],
        "aid": [_aid(a) for a in merged.aid],
    }
    _send(session, UPDATED, case, body, now)


def send_decision(
    session: Session, case: Case, *, accept: bool, reason: str, now: dt.datetime
) -> None:
    _send(session, ACCEPTED if accept else DECLINED, case, {"reason": reason, "at": iso(now)}, now)


def send_closed(session: Session, case: Case, now: dt.datetime) -> None:
    _send(session, CLOSED, case, {"at": iso(now)}, now)


# ----------------------------------------------------------------------------------------------
# Who may receive them: the two states of the case, and only they (checked by both sides).


def between_the_two_states(payload: dict[str, Any], receiver: str) -> str | None:
    body, sender = payload["body"], payload["from"]
    if SECRETARIAT in (receiver, sender):
        return "assistance cases are between member states only"
    states = {body["home_state"], body["host_state"]}
    if len(states) != 2 or {sender, receiver} != states:
        case = f"a case of {body['home_state']} in {body['host_state']}"
        return f"{case} is not {sender}'s to send to {receiver}"
    return None


# ----------------------------------------------------------------------------------------------
# Applying what arrived.


def _time(value: str) -> dt.datetime:
    parsed = parse_time(value)
    assert parsed is not None  # the schema checked the format
    return parsed


def _changes(case_id: uuid.UUID, items: list[dict[str, Any]]) -> list[CaseChange]:
    found = []
    for item in items:
        try:
            value = SHARED_FIELDS[item["field"]](item["value"])
        except (ValueError, KeyError):
            log.warning("case %s: change %s of %s refused", case_id, item["id"], item["field"])
            continue
        found.append(
            CaseChange(
                id=uuid.UUID(item["id"]),
                case_id=case_id,
                field=item["field"],
                value=value,
                bases=",".join(sorted(item["bases"])),
                author=item["author"],
                author_state=item["state"],
                made_at=_time(item["at"]),
            )
        )
    return found


def _notes(case_id: uuid.UUID, items: list[dict[str, Any]]) -> list[CaseNote]:
    return [
        CaseNote(
            id=uuid.UUID(i["id"]),
            case_id=case_id,
            text=i["text"],
            author=i["author"],
            author_state=i["state"],
            written_at=_time(i["at"]),
        )
        for i in items
    ]


def _aid_records(case_id: uuid.UUID, items: list[dict[str, Any]]) -> list[CaseAid]:
    return [
        CaseAid(
            id=uuid.UUID(i["id"]),
            case_id=case_id,
            kind=i["kind"],
            quantity=i["quantity"],
            amount=None if i["amount"] is None else Decimal(i["amount"]),
            currency=i["currency"],
            description=i["description"],
            given_by=i["given_by"],
            given_state=i["state"],
            given_at=_time(i["at"]),
        )
        for i in items
    ]


def _merge(session: Session, case: Case, body: dict[str, Any], now: dt.datetime) -> None:
    sla = sla_of(getattr(wiring_of(session), "settings", None))
    merge_changes(session, case, _changes(case.id, body.get("changes", [])), sla, now)
    merge_records(
        session,
        case,
        _notes(case.id, body.get("notes", [])),
        _aid_records(case.id, body.get("aid", [])),
    )


def _partner_case(session: Session, envelope: Envelope) -> Case | None:
    case = session.get(Case, uuid.UUID(envelope.body["case_id"]))
    if case is None or case.partner_state != envelope.from_state:
        log.warning(
            "case %s from %s: not a case shared with it",
            envelope.body["case_id"],
            envelope.from_state,
        )
        return None
    return case


def apply_referred(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    body, shared = envelope.body, envelope.body["case"]
    case_id = uuid.UUID(body["case_id"])
    case = session.get(Case, case_id)
    if case is None:
        reference = shared["reference"]
        if session.scalar(select(Case.id).where(Case.reference == reference)) is not None:
            reference = f"{reference[:11]}-{envelope.from_state}"  # a clash between two nodes
        sla = sla_of(getattr(wiring_of(session), "settings", None))
        urgency = Urgency(shared["urgency"])
        warn_at, due_at = sla.due(now, urgency)
        consent = body["consent"]
        case = Case(
            id=case_id,
            reference=reference,
            origin_state=envelope.from_state,
            host_state=body["host_state"],
            source=Source.REFERRAL,
            requester=Requester(shared["requester"]),
            full_name=SHARED_FIELDS["full_name"](shared["full_name"]),
            nationality=body["home_state"],
            birth_date=dt.date.fromisoformat(shared["birth_date"])
            if shared["birth_date"]
            else None,
            document_number=shared["document_number"],
            needs=SHARED_FIELDS["needs"](",".join(shared["needs"])),
            vulnerabilities=SHARED_FIELDS["vulnerabilities"](",".join(shared["vulnerabilities"])),
            urgency=urgency,
            region=shared["region"],
            city=shared["city"],
            language=shared["language"],
            contact=shared["contact"],
            description=shared["description"],
            outcome=shared["outcome"],
            consent_at=_time(consent["at"]),
            consent_by=consent["given_by"],
            consent_how=consent["how"],
            consent_recorded_by=f"{consent['recorded_by']} ({envelope.from_state})",
            status=CaseStatus.NEW,  # in this node's queue to triage: accept or decline
            opened_at=now,
            warn_at=warn_at,
            due_at=due_at,
            updated_at=now,
            created_by=f"{envelope.from_state} node",
            referral=Referral.PENDING,
            partner_state=envelope.from_state,
            referral_reason=body["reason"],
        )
        session.add(case)
        session.flush()
    elif case.partner_state != envelope.from_state:
        log.warning(
            "case %s referred by %s, which is not its partner", case_id, envelope.from_state
        )
        return
    elif case.referral is Referral.DECLINED and case.source is Source.REFERRAL:
        # Referred again after a decline: waiting for a decision once more.
        case.referral, case.status, case.closed_at = Referral.PENDING, CaseStatus.NEW, None
        case.referral_reason = body["reason"]
    _merge(session, case, body, now)


def _apply_decision(session: Session, envelope: Envelope, accepted: bool) -> None:
    case = _partner_case(session, envelope)
    if case is None or case.source is Source.REFERRAL or case.referral is not Referral.PENDING:
        return  # a duplicate, or a decision on a referral this node did not make
    case.referral = Referral.ACCEPTED if accepted else Referral.DECLINED
    case.referral_reason = envelope.body["reason"]
    if not accepted and case.status is CaseStatus.REFERRED:
        case.status = CaseStatus.IN_PROGRESS  # back to this node to work on
    case.updated_at = _time(envelope.body["at"])


def apply_accepted(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    _apply_decision(session, envelope, True)


def apply_declined(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    _apply_decision(session, envelope, False)


def apply_updated(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    case = _partner_case(session, envelope)
    if case is not None:
        _merge(session, case, envelope.body, now)


def apply_closed(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    case = _partner_case(session, envelope)
    if case is not None:
        case.partner_closed_at = case.partner_closed_at or _time(envelope.body["at"])
        case.updated_at = now


def install() -> None:
    """Register the five message types with the exchange (idempotent)."""
    from kervan.exchange import apply
    from kervan.exchange.message_types import MessageType, register

    for name, handler in (
        (REFERRED, apply_referred),
        (ACCEPTED, apply_accepted),
        (DECLINED, apply_declined),
        (UPDATED, apply_updated),
        (CLOSED, apply_closed),
    ):
        register(MessageType(name, (1,), between_the_two_states))
        apply.on_envelope(name, handler)
