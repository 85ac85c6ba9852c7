"""Envelopes for the exchange tests: a federation in a temporary folder and realistic bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.demo.trust_setup import make_federation
from kervan.exchange import trust
from kervan.exchange.envelopes import ReceiverContext, envelope_payload, sign_envelope
from kervan.exchange.keys import SigningKey
from kervan.exchange.trust import TrustList

ENDPOINTS = {
    "OTS": "http://127.0.0.1:8100",
    "KAZ": "http://127.0.0.1:8101",
    "UZB": "http://127.0.0.1:8102",
    "TUR": "http://127.0.0.1:8103",
}


def federation(tmp_path: Path) -> tuple[dict[str, Any], dict[str, SigningKey], TrustList]:
    document, signers = make_federation(tmp_path, ENDPOINTS, threshold=2)
    parsed = trust.verify(document, None, utcnow()).trust
    assert parsed is not None
    return document, signers, parsed


def stay_body(
    nationality: str = "UZB",
    host: str = "KAZ",
    valid_until: str = "2027-06-30",
    document_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "person": {
            "id": str(person_id or uuid.uuid4()),
            "primary_identifier": "KARIMOV",
            "secondary_identifier": "ULUGBEK",
            "nationality": nationality,
            "birth_year": 1990,
            "travel_document_number": "FA1234567",
        },
        "documents": [
            {
                "id": str(document_id or uuid.uuid4()),
                "kind": "temporary_residence",
                "number": "KZ-0001",
                "host_state": host,
                "purpose": "work",
                "valid_from": "2026-01-01",
                "valid_until": valid_until,
                "status": "active",
            }
        ],
        "event": {
            "kind": "extended",
            "at": "2026-11-27T08:00:00Z",
            "measure_id": None,
            "measure": None,
        },
    }


def question_body(travel_document_number: str = "FA1234567") -> dict[str, Any]:
    """The body of a ``query.request``."""
    return {
        "question": "stay_documents_of_national",
        "person": {
            "travel_document_number": travel_document_number,
            "primary_identifier": "",
            "birth_year": None,
        },
        "purpose": "consular assistance",
        "legal_basis": "VCCR art. 5",
        "officer": "consul",
    }


def envelope(
    signing: SigningKey,
    to: str = "UZB",
    type: str = "stay.extended",
    body: dict[str, Any] | None = None,
    created_at: dt.datetime | None = None,
    id: uuid.UUID | None = None,
    subject_id: str | None = None,
    **payload_overrides: Any,
) -> str:
    body = body or stay_body(host=signing.state)
    payload = envelope_payload(
        id=id or uuid7(),
        type=type,
        from_state=signing.state,
        to_state=to,
        created_at=created_at or utcnow(),
        subject=("person", subject_id or body.get("person", {}).get("id", "x")),
        body=body,
    )
    payload.update(payload_overrides)
    return sign_envelope(signing, payload)


def context(
    trust_list: TrustList, me: str = "UZB", now: dt.datetime | None = None
) -> ReceiverContext:
    return ReceiverContext(
        me=me,
        trust=trust_list,
        now=now or utcnow(),
        replay_window=dt.timedelta(hours=168),
        clock_skew=dt.timedelta(seconds=300),
    )
