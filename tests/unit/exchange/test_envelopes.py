"""Envelopes and receipts: what the receiver accepts, what it refuses and why, and that a second,
independent JOSE implementation (joserfc; Kervan signs with its own codec over ``cryptography``)
verifies what Kervan signs."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey

from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, trust_content
from kervan.exchange import keys, trust
from kervan.exchange.envelopes import (
    Rejected,
    open_envelope,
    open_receipt,
    sha256_hex,
    sign_receipt,
)
from kervan.exchange.message_types import schema_names, schema_text
from tests.unit.exchange.support import ENDPOINTS, context, envelope, federation, stay_body

DOCS_SCHEMAS = Path(__file__).resolve().parents[3] / "docs" / "exchange" / "schemas"


@pytest.fixture
def fed(tmp_path: Path) -> tuple:
    return federation(tmp_path)


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def independent_verify(compact: str, public_jwk: dict) -> dict:
    """joserfc, a JOSE library Kervan does not sign with, checks the JWS from the public JWK."""
    assert public_jwk["crv"] == "Ed25519" and "d" not in public_jwk
    token = jws.deserialize_compact(compact, OKPKey.import_key(public_jwk), algorithms=["EdDSA"])
    assert token.headers()["alg"] == "EdDSA"
    return json.loads(token.payload)


def test_envelope_opens_and_verifies_independently(fed: tuple) -> None:
    _, signers, trust_list = fed
    compact = envelope(signers["KAZ"])
    opened = open_envelope(compact, context(trust_list))
    assert opened.from_state == "KAZ" and opened.type == "stay.extended"
    payload = independent_verify(compact, signers["KAZ"].public_jwk())
    assert set(payload) == {"id", "type", "schema", "from", "to", "created_at", "subject", "body"}
    assert payload["id"] == str(opened.id) and opened.id.version == 7
    tampered = compact.split(".")
    tampered[1] = (
        base64.urlsafe_b64encode(json.dumps({**payload, "to": "TUR"}).encode())
        .rstrip(b"=")
        .decode()
    )
    with pytest.raises(BadSignatureError):
        independent_verify(".".join(tampered), signers["KAZ"].public_jwk())


def test_receipt_verifies_independently_and_binds_the_bytes(fed: tuple) -> None:
    _, signers, trust_list = fed
    compact = envelope(signers["KAZ"])
    receipt = sign_receipt(
        signers["UZB"],
        to_state="KAZ",
        envelope_compact=compact,
        envelope_id="x",
        status="accepted",
        now=utcnow(),
    )
    payload = independent_verify(receipt, signers["UZB"].public_jwk())
    assert payload["envelope_sha256"] == sha256_hex(compact)
    opened = open_receipt(receipt, trust_list)
    assert opened.status == "accepted" and opened.from_state == "UZB"


def _rejection(compact: str, ctx: object) -> str:
    with pytest.raises(Rejected) as caught:
        open_envelope(compact, ctx)  # type: ignore[arg-type]
    return caught.value.code


def test_tampered_payload_is_refused(fed: tuple) -> None:
    _, signers, trust_list = fed
    header, payload, signature = envelope(signers["KAZ"]).split(".")
    body = json.loads(_b64(payload))
    body["body"]["documents"][0]["valid_until"] = "2099-12-31"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    assert _rejection(f"{header}.{forged}.{signature}", context(trust_list)) == "bad-signature"


def test_unknown_sender_and_unknown_key(fed: tuple) -> None:
    _, _signers, trust_list = fed
    stranger = keys.new_key("KGZ")
    assert _rejection(envelope(stranger), context(trust_list)) == "unknown-sender"
    impostor = keys.new_key("KAZ")
    assert _rejection(envelope(impostor), context(trust_list)) == "unknown-key"


def test_sender_claiming_another_state(fed: tuple) -> None:
    _, signers, trust_list = fed
    compact = envelope(signers["TUR"], body=stay_body(host="TUR"), **{"from": "KAZ"})
    assert _rejection(compact, context(trust_list)) == "sender-mismatch"


def test_expired_and_revoked_keys(fed: tuple, tmp_path: Path) -> None:
    _, signers, _ = fed
    now = utcnow()
    entries = {s: [key_entry(k, now - dt.timedelta(days=2))] for s, k in signers.items()}
    entries["KAZ"] = [
        key_entry(signers["KAZ"], now - dt.timedelta(days=2), now - dt.timedelta(days=1))
    ]
    entries["TUR"] = [
        key_entry(
            signers["TUR"], now - dt.timedelta(days=2), revoked_at=now - dt.timedelta(hours=1)
        )
    ]
    listed = trust.parse_content(trust_content(2, 2, ENDPOINTS, entries, now))
    assert _rejection(envelope(signers["KAZ"]), context(listed)) == "key-not-valid"
    turkish = envelope(signers["TUR"], body=stay_body(host="TUR"))
    assert _rejection(turkish, context(listed)) == "key-not-valid"


def test_replay_window_and_clock_skew(fed: tuple) -> None:
    _, signers, trust_list = fed
    old = envelope(signers["KAZ"], created_at=utcnow() - dt.timedelta(days=8))
    assert _rejection(old, context(trust_list)) == "too-old"
    future = envelope(signers["KAZ"], created_at=utcnow() + dt.timedelta(minutes=30))
    assert _rejection(future, context(trust_list)) == "from-the-future"
    slightly_ahead = envelope(signers["KAZ"], created_at=utcnow() + dt.timedelta(minutes=2))
    assert open_envelope(slightly_ahead, context(trust_list))


def test_wrong_destination_and_data_minimisation(fed: tuple) -> None:
    _, signers, trust_list = fed
    assert (
        _rejection(envelope(signers["KAZ"], to="TUR"), context(trust_list)) == "wrong-destination"
    )
    turkish_national = envelope(signers["KAZ"], to="UZB", body=stay_body(nationality="TUR"))
    assert _rejection(turkish_national, context(trust_list)) == "not-for-this-node"
    to_secretariat = envelope(signers["KAZ"], to="OTS")
    assert _rejection(to_secretariat, context(trust_list, me="OTS")) == "not-for-this-node"


def test_schema_and_type_and_typ(fed: tuple) -> None:
    _, signers, trust_list = fed
    body = stay_body()
    del body["documents"][0]["valid_until"]
    assert _rejection(envelope(signers["KAZ"], body=body), context(trust_list)) == "schema"
    unknown = envelope(signers["KAZ"], type="stay.teleported")
    assert _rejection(unknown, context(trust_list)) == "unknown-type"
    receipt = sign_receipt(
        signers["KAZ"],
        to_state="UZB",
        envelope_compact="x",
        envelope_id=None,
        status="accepted",
        now=utcnow(),
    )
    assert _rejection(receipt, context(trust_list)) == "wrong-typ"
    assert _rejection("not.a.jws", context(trust_list)) == "malformed"


def test_published_schemas_are_valid_and_copied_to_the_docs() -> None:
    from jsonschema import Draft202012Validator

    for name, version in schema_names():
        text = schema_text(name, version)
        assert text is not None
        Draft202012Validator.check_schema(json.loads(text))
        copy = DOCS_SCHEMAS / f"{name}.v{version}.json"
        assert copy.read_text() == text, f"docs/exchange/schemas/{copy.name} is stale"


def test_the_receipt_check_agrees_with_the_published_schema(fed: tuple) -> None:
    from kervan.exchange.envelopes import _receipt_problem
    from kervan.exchange.message_types import schema_problem

    _, signers, _ = fed
    receipt = sign_receipt(
        signers["UZB"],
        to_state="KAZ",
        envelope_compact="x",
        envelope_id=None,
        status="rejected",
        reason="malformed",
        detail="d",
        now=utcnow(),
    )
    payload = json.loads(_b64(receipt.split(".")[1]))
    assert schema_problem("receipt", 1, payload) is None and _receipt_problem(payload) is None
    for broken in (
        {**payload, "status": "maybe"},
        {**payload, "type": "x"},
        {k: v for k, v in payload.items() if k != "envelope_sha256"},
    ):
        assert schema_problem("receipt", 1, broken) is not None
        assert _receipt_problem(broken) is not None
