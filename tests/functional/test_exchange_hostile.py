"""The inbox and the query endpoint under attack, over HTTP on both databases (issue 9): bodies
bounded while they stream in, refusals stored as bounded digests and rate-limited per address,
one impossible date refusing one envelope and not its batch, signed refusals that repeat
nothing unauthenticated, query requests kept out of the inbox, non-canonical copies of a real
envelope refused so both sides keep the same evidence, and ids from the far future refused."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.demo.trust_setup import signed
from kervan.errors import Conflict
from kervan.exchange import compact
from kervan.exchange.envelopes import ENVELOPE_TYP, canonical_json, open_receipt
from kervan.exchange.inbox import KEPT_HEAD, UNKNOWN_STATE
from kervan.exchange.keys import SigningKey
from kervan.exchange.models import ExchangeMessage, ExchangeRejection, NationalAbroadDocument
from kervan.exchange.trust import TrustList
from kervan.exchange.trust_store import install
from kervan.uow import unit_of_work
from tests.functional import test_exchange_inbox as inbox_tests
from tests.functional.exchange_support import exchange_node, federation_fixture
from tests.unit.exchange.support import envelope, question_body, stay_body
from tests.unit.exchange.test_hostile_envelopes import _id_at, non_canonical_variants

INBOX = "/api/v1/exchange/inbox"
QUERY = "/api/v1/exchange/query"
SMALL = {
    "exchange_max_request_bytes": 200_000,
    "exchange_max_envelope_bytes": 20_000,
    "exchange_max_batch_envelopes": 5,
}


fed, settings = federation_fixture, inbox_tests.settings  # UZB's node, as the inbox tests make it


def _node(settings: Settings, fed: tuple, **changes: Any) -> Iterator[TestClient]:
    app = exchange_node(settings.model_copy(update=changes), fed[0])
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def peer(settings: Settings, fed: tuple) -> Iterator[TestClient]:
    yield from _node(settings, fed)


@pytest.fixture
def small(settings: Settings, fed: tuple) -> Iterator[TestClient]:
    yield from _node(settings, fed, **SMALL)


def _sessions(client: TestClient) -> sessionmaker[Session]:
    app: FastAPI = client.app  # type: ignore[assignment]
    factory: sessionmaker[Session] = app.state.session_factory
    return factory


def _receipts(response: Any, trust_list: TrustList) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    opened = [open_receipt(r, trust_list) for r in response.json()["receipts"]]
    return [(r.status, r.reason) for r in opened]


# ----------------------------------------------------------------------------------------------
# Bounded bodies


def test_a_declared_body_over_the_limit_is_413_before_anything_is_read(small: TestClient) -> None:
    body = json.dumps({"envelopes": ["x" * 250_000]})
    response = small.post(INBOX, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["limit"] == SMALL["exchange_max_request_bytes"]


def test_a_streamed_body_without_length_is_cut_at_the_limit(small: TestClient) -> None:
    sent = []

    def chunks() -> Iterator[bytes]:
        yield b'{"envelopes": ["'
        for _ in range(100):  # 1 MB, five times the limit
            sent.append(1)
            yield b"A" * 10_000
        yield b'"]}'

    response = small.post(INBOX, content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")


def test_too_many_envelopes_is_413(small: TestClient, fed: tuple) -> None:
    response = small.post(INBOX, json={"envelopes": ["x"] * 6})
    assert response.status_code == 413 and response.json()["limit"] == 5


def test_the_query_endpoint_is_bounded_too(small: TestClient) -> None:
    response = small.post(QUERY, json={"envelope": "x" * 30_000})
    assert response.status_code == 413


def test_an_envelope_over_its_own_limit_is_refused_alone_unread(
    small: TestClient, fed: tuple
) -> None:
    _, signers, trust_list = fed
    huge = "A" * 25_000
    good = envelope(signers["KAZ"])
    response = small.post(INBOX, json={"envelopes": [huge, good]})
    assert _receipts(response, trust_list) == [("rejected", "too-large"), ("accepted", None)]


def test_a_50_megabyte_body_with_default_settings_is_refused(peer: TestClient) -> None:
    body = b'{"envelopes": ["' + b"A" * (50 * 1024 * 1024) + b'"]}'
    response = peer.post(INBOX, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413


# ----------------------------------------------------------------------------------------------
# Bounded refusals


def _huge_alg(signers: dict[str, SigningKey], size: int) -> str:
    header = compact.b64url(json.dumps({"alg": "E" * size, "typ": ENVELOPE_TYP}).encode())
    payload = compact.b64url(canonical_json({"id": str(uuid7()), "from": "KAZ"}))
    return f"{header}.{payload}.{compact.b64url(b'x' * 64)}"


def test_refused_envelopes_are_kept_as_bounded_digests_and_short_log_lines(
    peer: TestClient, fed: tuple, caplog: pytest.LogCaptureFixture
) -> None:
    _, signers, trust_list = fed
    big = _huge_alg(signers, 40_000)
    caplog.set_level(logging.WARNING, logger="kervan.exchange.inbox")
    response = peer.post(INBOX, json={"envelopes": [big] * 3})
    assert _receipts(response, trust_list) == [("rejected", "malformed")] * 3
    with _sessions(peer)() as session:
        rows = session.scalars(select(ExchangeRejection)).all()
    assert len(rows) == 3
    for row in rows:
        assert len(row.envelope) == KEPT_HEAD and row.envelope_size == len(big)
        assert row.envelope_sha256 == open_receipt(row.receipt, trust_list).envelope_sha256
        assert len(row.reason) < 400 and row.source == "testclient"
    lines = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert len(lines) == 3 and all(len(line) < 300 for line in lines)


def test_refusals_are_rate_limited_per_address(settings: Settings, fed: tuple) -> None:
    for client in _node(settings, fed, exchange_refusals_per_minute=4):
        assert client.post(INBOX, json={"envelopes": ["garbage"] * 3}).status_code == 200
        assert client.post(INBOX, json={"envelopes": ["garbage"] * 3}).status_code == 200
        refused = client.post(INBOX, json={"envelopes": [envelope(fed[1]["KAZ"])]})
        assert refused.status_code == 429
        assert refused.json()["type"].endswith("/too-many-refusals")
        assert client.post(QUERY, json={"envelope": "garbage"}).status_code == 429


# ----------------------------------------------------------------------------------------------
# One bad envelope, its own refusal


def test_an_impossible_date_refuses_one_envelope_not_its_batch(
    peer: TestClient, fed: tuple
) -> None:
    _, signers, trust_list = fed
    body = stay_body()
    body["documents"][0]["valid_until"] = "2031-02-30"
    bad_body = envelope(signers["KAZ"], body=body)
    bad_time = envelope(signers["KAZ"], body=stay_body())
    parts = bad_time.split(".")
    payload = json.loads(compact.b64url_decode(parts[1]))
    payload["created_at"] = payload["created_at"][:11] + "25:00:00Z"
    from tests.unit.exchange.test_hostile_envelopes import _raw_token

    header = json.loads(compact.b64url_decode(parts[0]))
    bad_time = _raw_token(signers["KAZ"], header, payload)
    goods = [envelope(signers["KAZ"]) for _ in range(3)]
    response = peer.post(
        INBOX, json={"envelopes": [goods[0], bad_body, goods[1], bad_time, goods[2]]}
    )
    assert _receipts(response, trust_list) == [
        ("accepted", None),
        ("rejected", "schema"),
        ("accepted", None),
        ("rejected", "schema"),
        ("accepted", None),
    ]


# ----------------------------------------------------------------------------------------------
# What a refusal signs, and what the inbox takes


def test_a_signed_refusal_of_an_impostor_names_only_the_bytes(peer: TestClient, fed: tuple) -> None:
    from tests.unit.exchange.test_hostile_envelopes import _garbage_from_an_impostor

    _, signers, trust_list = fed
    forged = _garbage_from_an_impostor(signers)
    (receipt,) = peer.post(INBOX, json={"envelopes": [forged]}).json()["receipts"]
    opened = open_receipt(receipt, trust_list)
    assert (opened.status, opened.reason) == ("rejected", "unknown-key")
    assert opened.envelope_id is None and opened.to_state == UNKNOWN_STATE
    assert "script" not in opened.detail and "ATTACKER" not in receipt
    payload = json.loads(compact.b64url_decode(receipt.split(".")[1]))
    assert "script" not in json.dumps(payload) and "ATTACKER" not in json.dumps(payload)


def test_a_query_request_through_the_inbox_is_refused(peer: TestClient, fed: tuple) -> None:
    _, signers, trust_list = fed
    asked = envelope(signers["KAZ"], type="query.request", body=question_body(), subject_id="q")
    response = peer.post(INBOX, json={"envelopes": [asked]})
    assert _receipts(response, trust_list) == [("rejected", "wrong-endpoint")]
    with _sessions(peer)() as session:
        assert session.scalars(select(ExchangeMessage)).all() == []


def test_non_canonical_copies_are_refused_and_the_genuine_envelope_is_applied(
    peer: TestClient, fed: tuple
) -> None:
    """The reported split: a copy with another last character reached the receiver first, was
    applied, and the genuine envelope was then refused as a reused id."""
    _, signers, trust_list = fed
    genuine = envelope(signers["KAZ"])
    copies = [v for _, v in non_canonical_variants(genuine)]
    response = peer.post(INBOX, json={"envelopes": [*copies[:40], genuine]})
    statuses = _receipts(response, trust_list)
    assert statuses[:-1] == [("rejected", "malformed")] * len(copies[:40])
    assert statuses[-1] == ("accepted", None)
    with _sessions(peer)() as session:
        (logged,) = session.scalars(select(ExchangeMessage)).all()
        assert logged.envelope == genuine  # byte for byte what the sender logged
    answer = peer.post(QUERY, json={"envelope": copies[0]}).json()
    assert answer["rejected"] == "malformed"


def test_an_id_from_the_far_future_cannot_freeze_a_document(peer: TestClient, fed: tuple) -> None:
    """'Newest wins' by id: a far-future id is refused, so later updates still apply."""
    _, signers, trust_list = fed
    document_id, person_id = uuid.uuid4(), uuid.uuid4()

    def report(valid_until: str, **kwargs: Any) -> str:
        body = stay_body(document_id=document_id, person_id=person_id, valid_until=valid_until)
        return envelope(signers["KAZ"], body=body, **kwargs)

    far = report("2099-12-31", id=_id_at(utcnow().replace(year=2090)))
    assert _receipts(peer.post(INBOX, json={"envelopes": [far]}), trust_list) == [
        ("rejected", "id-out-of-window")
    ]
    later = report("2027-06-30")
    assert _receipts(peer.post(INBOX, json={"envelopes": [later]}), trust_list) == [
        ("accepted", None)
    ]
    with _sessions(peer)() as session:
        view = session.get(NationalAbroadDocument, ("KAZ", document_id))
        assert view is not None and str(view.valid_until) == "2027-06-30"


def test_a_back_dated_list_cannot_be_installed_and_the_revoked_key_stays_refused(
    peer: TestClient, fed: tuple
) -> None:
    """The reported attack end to end: the node refuses to install the back-dated list, and
    envelopes signed with the revoked key stay refused."""
    from tests.unit.exchange.test_hostile_trust_lists import _content

    _, signers, trust_list = fed
    now = utcnow()
    revoked_at = now - dt.timedelta(hours=1)
    revoking = signed(_content(signers, 2, now, {"KAZ": revoked_at}), list(signers.values()))
    with unit_of_work(_sessions(peer)) as session:
        install(session, revoking, now)
    back_dated = _content(signers, 3, revoked_at - dt.timedelta(days=1))
    forged = signed(back_dated, [signers["OTS"], signers["TUR"], signers["KAZ"]])
    with unit_of_work(_sessions(peer)) as session, pytest.raises(Conflict, match="refused"):
        install(session, forged, utcnow())
    response = peer.post(INBOX, json={"envelopes": [envelope(signers["KAZ"])]})
    assert _receipts(response, trust_list) == [("rejected", "key-not-valid")]
