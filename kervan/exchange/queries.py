"""Peer queries: a consular officer asks the host state, through their own node, for the
current stay documents of one of their nationals, giving a purpose and a legal basis.

Both the question and the answer are signed envelopes kept in both message logs, and both nodes
audit them with the purpose. The host answers only about the asker's own nationals and only so
many questions per asking state and minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, system_principal
from kervan.config import Settings
from kervan.db.ids import uuid7
from kervan.errors import Forbidden, InvalidInput, KervanError
from kervan.exchange import inbox, messages, trust_store
from kervan.exchange.envelopes import (
    Envelope,
    Rejected,
    envelope_payload,
    open_envelope,
    seal,
    sign_receipt,
)
from kervan.exchange.keys import SigningKey
from kervan.exchange.models import ExchangeMessage
from kervan.exchange.render import document_part, person_part
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument, TravelDocument


class QueryTransport(Protocol):
    def post_query(self, endpoint: str, envelope: str) -> dict[str, Any]: ...


class QueryFailed(KervanError):
    status = 502
    type_slug = "peer-query-failed"
    title = "The host state's node did not answer the query"


@dataclass(frozen=True, slots=True)
class Question:
    host_state: str
    travel_document_number: str
    primary_identifier: str
    birth_year: int | None
    purpose: str
    legal_basis: str


def _log(session: Session, envelope: Envelope, direction: str, now: dt.datetime) -> None:
    session.add(
        ExchangeMessage(
            id=envelope.id,
            direction=direction,
            type=envelope.type,
            from_state=envelope.from_state,
            to_state=envelope.to_state,
            subject_type=envelope.subject_type,
            subject_id=envelope.subject_id,
            created_at=envelope.created_at,
            envelope=envelope.compact,
            envelope_sha256=envelope.sha256,
            logged_at=now,
        )
    )
    session.flush()


# ----------------------------------------------------------------------------------------------
# The asking node


def asks_here(principal: Principal | None, node_state: str) -> bool:
    """Only this state's consuls ask from this node: a consul of another state accredited
    here asks through their own state's node."""
    return principal is not None and principal.state == node_state


def require_own_consul(principal: Principal | None, node_state: str) -> None:
    if not asks_here(principal, node_state):
        raise Forbidden(
            f"only {node_state}'s consular officers ask from this node",
            code=messages.CONSULAR_ONLY,
            params={"state": node_state},
        )


def ask(
    session: Session,
    settings: Settings,
    signing: SigningKey,
    principal: Principal,
    question: Question,
    transport: QueryTransport,
    now: dt.datetime,
) -> dict[str, Any]:
    """Sign and send the question, check and keep the signed answer; returns its body."""
    require(principal, Permission.PEER_QUERY)
    require_own_consul(principal, settings.state)
    trust = trust_store.require_current(session)
    endpoint = trust.endpoint(question.host_state)
    if endpoint is None or question.host_state == settings.state:
        raise InvalidInput(
            f"{question.host_state} is not a peer on the trust list", code=messages.NOT_A_PEER
        )
    request_id = uuid7()
    payload = envelope_payload(
        id=request_id,
        type="query.request",
        from_state=settings.state,
        to_state=question.host_state,
        created_at=now,
        subject=("query", str(request_id)),
        body={
            "question": "stay_documents_of_national",
            "person": {
                "travel_document_number": question.travel_document_number.upper(),
                "primary_identifier": question.primary_identifier,
                "birth_year": question.birth_year,
            },
            "purpose": question.purpose,
            "legal_basis": question.legal_basis,
            "officer": principal.username,
        },
    )
    request = seal(signing, payload)
    _log(session, request, "out", now)
    trace: dict[str, Any] = {
        "record_type": "peer_query",
        "record_id": request_id,
        "purpose": question.purpose,
        "details": {"host_state": question.host_state, "legal_basis": question.legal_basis},
    }
    audit.record(session, principal, "peer_query.ask", **trace)
    try:
        answer = transport.post_query(endpoint, request.compact)
        response = _check_answer(session, settings, answer, request, now)
    except Exception as exc:  # any failure of the peer is the officer's "no answer"
        # The question was asked even if the transaction now rolls back: keep its trace.
        audit.record_on_failure(session, principal, "peer_query.ask", outcome="failed", **trace)
        if isinstance(exc, QueryFailed):
            raise
        raise QueryFailed(
            f"{question.host_state} did not answer: {exc}",
            code=messages.PEER_SILENT,
            params={"state": question.host_state},
        ) from exc
    _log(session, response, "in", now)
    message = session.get_one(ExchangeMessage, request_id)
    message.receipt, message.receipt_status = answer.get("receipt"), "accepted"
    message.receipted_at = now
    return {"request_id": str(request_id), "response_id": str(response.id), **response.body}


def _check_answer(
    session: Session,
    settings: Settings,
    answer: dict[str, Any],
    request: Envelope,
    now: dt.datetime,
) -> Envelope:
    if answer.get("rejected"):
        reason = str(answer["rejected"])[:64]  # the peer's words, bounded
        raise QueryFailed(
            f"{request.to_state} refused the query: {reason}",
            code=messages.QUERY_RATE_LIMITED
            if reason == "rate-limited"
            else messages.QUERY_REFUSED,
            params={"state": request.to_state, "reason": reason},
        )
    try:
        response = open_envelope(
            str(answer.get("response")), inbox.receiver_context(session, settings, now)
        )
    except Rejected as exc:
        raise QueryFailed(
            f"the answer does not verify: {exc}", code=messages.ANSWER_UNVERIFIED
        ) from exc
    if (
        response.type != "query.response"
        or response.from_state != request.to_state
        or response.body["request_id"] != str(request.id)
    ):
        raise QueryFailed(
            "the answer is not the answer to this question", code=messages.ANSWER_UNVERIFIED
        )
    return response


# ----------------------------------------------------------------------------------------------
# The host node


def _rate_limited(session: Session, settings: Settings, asker: str, now: dt.datetime) -> bool:
    recent = session.scalar(
        select(func.count())
        .select_from(ExchangeMessage)
        .where(
            ExchangeMessage.type == "query.request",
            ExchangeMessage.from_state == asker,
            ExchangeMessage.direction == "in",
            ExchangeMessage.logged_at > now - dt.timedelta(minutes=1),
        )
    )
    return (recent or 0) >= settings.exchange_query_rate_per_minute


def _refuse(
    session: Session,
    signing: SigningKey,
    compact: str,
    rejected: Rejected,
    now: dt.datetime,
    source: str | None,
) -> dict[str, Any]:
    outcome = inbox.reject(session, signing, compact, rejected, now, source)
    return {"rejected": rejected.code, "detail": rejected.detail, "receipt": outcome.receipt}


def answer(
    session: Session,
    settings: Settings,
    signing: SigningKey,
    compact: str,
    now: dt.datetime,
    source: str | None = None,
) -> dict[str, Any]:
    """Check the question like any envelope, then answer from the register, signed."""
    try:
        context = inbox.receiver_context(session, settings, now)
        opened = inbox.open_checked(compact, context, settings.exchange_max_envelope_bytes)
        if isinstance(opened, Rejected):
            raise opened
        request = opened
        claimed = {"id": str(request.id), "from": request.from_state}
        if request.type != "query.request":
            raise Rejected(
                "wrong-endpoint", "only query.request envelopes are answered here", claimed
            )
        if session.get(ExchangeMessage, request.id) is not None:
            raise Rejected("replayed", f"query {request.id} was already asked", claimed)
        if _rate_limited(session, settings, request.from_state, now):
            raise Rejected(
                "rate-limited",
                f"more than {settings.exchange_query_rate_per_minute} "
                f"queries from {request.from_state} in a minute",
                claimed,
            )
    except Rejected as rejected:
        return _refuse(session, signing, compact, rejected, now, source)
    _log(session, request, "in", now)
    person, documents = _lookup(session, request)
    peer = system_principal(settings.state, f"peer:{request.from_state}")
    audit.record(
        session,
        peer,
        "peer_query.answer",
        record_type="person" if person else "peer_query",
        record_id=person.id if person else request.id,
        purpose=request.body["purpose"],
        details={
            "asking_state": request.from_state,
            "officer": request.body["officer"],
            "legal_basis": request.body["legal_basis"],
            "request_id": str(request.id),
            "found": person is not None,
        },
    )
    response = seal(
        signing,
        envelope_payload(
            id=uuid7(),
            type="query.response",
            from_state=settings.state,
            to_state=request.from_state,
            created_at=now,
            subject=("query", str(request.id)),
            body=_response_body(request, person, documents, session),
        ),
    )
    _log(session, response, "out", now)
    receipt = sign_receipt(
        signing,
        to_state=request.from_state,
        envelope_compact=compact,
        envelope_id=str(request.id),
        status="accepted",
        now=now,
    )
    logged = session.get_one(ExchangeMessage, request.id)
    logged.receipt, logged.receipt_status, logged.receipted_at = receipt, "accepted", now
    return {"receipt": receipt, "response": response.compact}


def _lookup(session: Session, request: Envelope) -> tuple[Person | None, list[StayDocument]]:
    """Only the asker's own nationals: anyone else is 'not found', not 'forbidden', so the
    answer reveals nothing about foreigners of a third state."""
    number = request.body["person"]["travel_document_number"]
    person = session.scalars(
        select(Person)
        .join(TravelDocument, TravelDocument.person_id == Person.id)
        .where(TravelDocument.number == number, Person.nationality == request.from_state)
    ).first()
    if person is None:
        return None, []
    documents = session.scalars(
        select(StayDocument)
        .where(
            StayDocument.person_id == person.id,
            StayDocument.status == StayStatus.ACTIVE,
            StayDocument.valid_until >= request.created_at.date(),
        )
        .order_by(StayDocument.valid_until.desc())
        .limit(100)
    ).all()
    return person, list(documents)


def _response_body(
    request: Envelope, person: Person | None, documents: list[StayDocument], session: Session
) -> dict[str, Any]:
    number = request.body["person"]["travel_document_number"]
    return {
        "request_id": str(request.id),
        "found": person is not None,
        "person": person_part(person, number) if person else None,
        "documents": [document_part(d) for d in documents],
    }
