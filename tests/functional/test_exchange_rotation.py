"""Key rotation on running nodes (issue 9, case 8): a node signs with the key the trust list in
force accepts, picks up a newly installed list and its own new key without a restart, and a
message refused for its key is, when retried, signed again with the new key — same id, a new
envelope — while the refused envelope stays in the evidence. KAZ runs on each test database,
UZB on a SQLite file of its own; the same worker and apps throughout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import compact, keys
from kervan.exchange.envelopes import open_receipt
from kervan.exchange.evidence import verify_message
from kervan.exchange.keys import NodeKeys, SigningKey
from kervan.exchange.models import ExchangeMessage, OutboxMessage, ReplacedEnvelope
from kervan.exchange.trust_store import current, install
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from tests.functional import test_exchange_delivery as delivery
from tests.functional.conftest import ClientFactory
from tests.functional.exchange_support import Loopback, federation_fixture, uzb_fixture
from tests.functional.register_data import document_body, person_body
from tests.unit.exchange.support import ENDPOINTS

# The two nodes and the line between them: the delivery tests' fixtures.
fed, settings, app, uzb, line = (
    federation_fixture,
    delivery.settings,
    delivery.app,
    uzb_fixture,
    delivery.line,
)


def _kid(token: str) -> str:
    kid: str = json.loads(compact.b64url_decode(token.split(".")[0]))["kid"]
    return kid


def _rotated_list(fed: tuple, new: dict[str, SigningKey]) -> dict[str, Any]:
    """Version 2: KAZ's new key listed and its old key revoked a minute ago (a compromised key:
    revoked at once), UZB's new key listed from tomorrow (a planned rotation: every node has
    the list before the key is used); signed by the secretariat, UZB and TUR with the keys of
    version 1."""
    signers = fed[1]
    now = utcnow()
    since = now - dt.timedelta(minutes=5)
    entries = {s: [key_entry(k, since)] for s, k in signers.items()}
    entries["KAZ"] = [
        key_entry(signers["KAZ"], since, revoked_at=now - dt.timedelta(minutes=1)),
        key_entry(new["KAZ"], since),
    ]
    entries["UZB"].append(key_entry(new["UZB"], now + dt.timedelta(days=1)))
    content = trust_content(2, 2, ENDPOINTS, entries, now)
    return signed(content, [signers["OTS"], signers["UZB"], signers["TUR"]])


def _install(node: FastAPI, document: dict[str, Any]) -> None:
    with unit_of_work(node.state.session_factory) as session:
        install(session, document, utcnow())


def test_node_keys_follow_the_keys_folder_and_the_list_in_force(
    fed: tuple, settings: Settings, app: FastAPI
) -> None:
    ring = NodeKeys(settings)
    with app.state.session_factory() as session:
        first = current(session)
    old = fed[1]["KAZ"]
    assert ring.for_signing(first, utcnow()).kid == old.kid
    rotated, previous = keys.rotate(settings.keys_dir, "KAZ")  # type: ignore[arg-type]
    assert previous == old.kid
    # On disk and current, but not on the list yet: peers would not know it.
    assert ring.for_signing(first, utcnow()).kid == old.kid
    assert ring.for_signing(None, utcnow()).kid == rotated.kid
    uzb_new = keys.new_key("UZB")
    _install(app, _rotated_list(fed, {"KAZ": rotated, "UZB": uzb_new}))
    with app.state.session_factory() as session:
        assert ring.for_signing(current(session), utcnow()).kid == rotated.kid


def test_a_message_refused_for_its_key_is_signed_again_after_rotation(
    fed: tuple,
    settings: Settings,
    app: FastAPI,
    uzb: FastAPI,
    line: Loopback,
    client_as: ClientFactory,
    tmp_path: Path,
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    person = officer.post("/api/v1/persons", json=person_body()).json()
    officer.post(f"/api/v1/persons/{person['id']}/stay-documents", json=document_body())
    worker = Worker(settings, app.state.session_factory, NodeKeys(settings), line)
    old_kid = fed[1]["KAZ"].kid
    new_kaz, _ = keys.rotate(settings.keys_dir, "KAZ")  # type: ignore[arg-type]
    new_uzb, _ = keys.rotate(tmp_path / "keys" / "UZB", "UZB")
    rotated = _rotated_list(fed, {"KAZ": new_kaz, "UZB": new_uzb})
    _install(uzb, rotated)  # UZB learns first that KAZ's old key is revoked

    assert worker.drain(max_rounds=3).rejected == 1
    with app.state.session_factory() as session:
        (message,) = session.scalars(select(ExchangeMessage)).all()
        assert _kid(message.envelope) == old_kid and message.receipt_reason == "key-not-valid"
        first_envelope = message.envelope
        # UZB's new key is current on its disk, but valid from tomorrow only: not used yet.
        assert _kid(message.receipt or "") == fed[1]["UZB"].kid != new_uzb.kid

    _install(app, rotated)  # now KAZ has the list too: the same worker switches keys
    admin = client_as(Role.ADMIN)
    retried = admin.post("/api/v1/exchange/dead-letters/retry", json={"peer": "UZB"})
    assert retried.json() == {"queued": 1}
    assert worker.drain(max_rounds=3).delivered == 1

    with app.state.session_factory() as session:
        (message,) = session.scalars(select(ExchangeMessage)).all()
        outbox = session.scalars(select(OutboxMessage)).one()
        assert message.id == outbox.id and outbox.status == "delivered"
        assert _kid(message.envelope) == new_kaz.kid and message.envelope != first_envelope
        assert open_receipt(message.receipt or "", current(session)).status == "accepted"
        (replaced,) = session.scalars(select(ReplacedEnvelope)).all()
        assert replaced.message_id == message.id and replaced.envelope == first_envelope
        assert replaced.receipt_reason == "key-not-valid" and replaced.receipt is not None
        evidence = verify_message(session, message.id)
        assert evidence.proven, evidence.as_dict()
        assert evidence.facts["replaced"][0]["receipt_reason"] == "key-not-valid"
    with uzb.state.session_factory() as session:
        received = session.get(ExchangeMessage, message.id)
        assert received is not None and _kid(received.envelope) == new_kaz.kid
