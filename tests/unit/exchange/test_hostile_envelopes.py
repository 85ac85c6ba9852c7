"""Envelopes and receipts from a hostile peer (issue 9): non-canonical encodings, oversized
headers, dates that do not exist, ids from the far future, refusals that must not repeat what
an unauthenticated sender wrote, receipts by revoked or expired keys, and the ``Ed25519`` name
of the algorithm."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import compact, trust
from kervan.exchange.envelopes import (
    ENVELOPE_TYP,
    RECEIPT_TYP,
    BadReceipt,
    Rejected,
    canonical_json,
    envelope_payload,
    open_envelope,
    open_receipt,
    sign_envelope,
    sign_receipt,
)
from kervan.exchange.keys import SigningKey
from tests.unit.exchange.support import (
    ENDPOINTS,
    context,
    envelope,
    federation,
    question_body,
    stay_body,
)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def fed(tmp_path: Path) -> tuple:
    return federation(tmp_path)


def non_canonical_variants(token: str) -> Iterator[tuple[str, str]]:
    """Every way to write ``token``'s segments that decodes to the same bytes but is not the
    canonical encoding: other unused bits in the last character, padding, whitespace, the
    standard alphabet's ``+`` and ``/``."""
    parts = token.split(".")
    for index, part in enumerate(parts):

        def swap(new: str, index: int = index) -> str:
            return ".".join(p if i != index else new for i, p in enumerate(parts))

        for char in ALPHABET:
            other = part[:-1] + char
            if other != part and len(part) % 4 != 0 and _lenient(other) == _lenient(part):
                yield f"segment {index}: last character {char!r}", swap(other)
        yield f"segment {index}: padding", swap(part + "=" * (-len(part) % 4 or 4))
        for blank in (" ", "\n", "\t", "\r\n"):
            yield f"segment {index}: whitespace {blank!r}", swap(part[:5] + blank + part[5:])
        if "-" in part:
            yield f"segment {index}: '+' for '-'", swap(part.replace("-", "+", 1))
        if "_" in part:
            yield f"segment {index}: '/' for '_'", swap(part.replace("_", "/", 1))


def _lenient(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_every_non_canonical_variant_of_a_real_envelope_is_refused(fed: tuple) -> None:
    _, signers, trust_list = fed
    token = envelope(signers["KAZ"])
    assert open_envelope(token, context(trust_list))
    variants = list(non_canonical_variants(token))
    same_bytes = [v for v in variants if "last character" in v[0]]
    assert len(same_bytes) >= 15  # the signature's last character alone has 15
    for what, variant in variants:
        with pytest.raises(Rejected) as refused:
            open_envelope(variant, context(trust_list))
        assert refused.value.code == "malformed", what


def test_every_non_canonical_variant_of_a_receipt_is_refused(fed: tuple) -> None:
    _, signers, trust_list = fed
    receipt = sign_receipt(
        signers["UZB"],
        to_state="KAZ",
        envelope_compact=envelope(signers["KAZ"]),
        envelope_id=str(uuid7()),
        status="accepted",
        now=utcnow(),
    )
    assert open_receipt(receipt, trust_list, utcnow()).status == "accepted"
    for what, variant in non_canonical_variants(receipt):
        with pytest.raises(BadReceipt):
            open_receipt(variant, trust_list, utcnow())
        assert what


def test_every_non_canonical_variant_of_a_trust_list_signature_is_refused(
    fed: tuple,
) -> None:
    document, _, _ = fed
    assert trust.verify(document, None, utcnow()).accepted
    first = document["signatures"][0]
    for member in ("protected", "signature"):
        for what, variant in non_canonical_variants(first[member]):
            if "segment 0" not in what:
                continue
            changed = {**document, "signatures": [{**first, member: variant}]}
            checks = trust.verify(changed, None, utcnow()).signatures
            assert not checks[0].valid, (member, what)
    for what, variant in non_canonical_variants(document["payload"]):
        if "segment 0" in what:
            changed = {**document, "payload": variant}
            assert not trust.verify(changed, None, utcnow()).accepted, what


def test_a_long_header_is_refused_before_it_is_decoded_or_cached() -> None:
    header = compact.b64url(json.dumps({"alg": "EdDSA", "kid": "K" * 600}).encode())
    before = compact._decoded_header.cache_info().currsize
    for _ in range(10):
        with pytest.raises(compact.MalformedJWS, match="longer than"):
            compact.parse(f"{header}.{compact.b64url(b'{}')}.{compact.b64url(b'x' * 64)}")
    assert compact._decoded_header.cache_info().currsize == before


@pytest.mark.parametrize(
    "created_at",
    [
        "2026-01-01T25:00:00Z",
        "2031-02-30T10:00:00Z",
        "2026-12-31T23:59:60Z",
        "2026-13-01T00:00:00Z",
    ],
)
def test_a_created_at_that_does_not_exist_is_a_schema_refusal(fed: tuple, created_at: str) -> None:
    _, signers, trust_list = fed
    token = _with_created_at(signers["KAZ"], created_at)
    with pytest.raises(Rejected) as refused:
        open_envelope(token, context(trust_list))
    assert refused.value.code == "schema"


@pytest.mark.parametrize(
    "field,value", [("valid_until", "2031-02-30"), ("valid_from", "2027-00-10")]
)
def test_a_body_date_that_does_not_exist_is_a_schema_refusal(
    fed: tuple, field: str, value: str
) -> None:
    _, signers, trust_list = fed
    body = stay_body()
    body["documents"][0][field] = value
    with pytest.raises(Rejected) as refused:
        open_envelope(envelope(signers["KAZ"], body=body), context(trust_list))
    assert refused.value.code == "schema"


@given(st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})\Z"))
@settings(max_examples=150, deadline=None)
def test_any_pattern_matching_created_at_is_accepted_or_refused_never_a_crash(
    created_at: str,
) -> None:
    token = _with_created_at(_SIGNERS["KAZ"], created_at)
    try:
        opened = open_envelope(token, context(_TRUST))
    except Rejected as refused:
        assert refused.code in {"schema", "too-old", "from-the-future", "key-not-valid"}
        return
    assert opened.created_at == trust.parse_time(created_at)


def _hypothesis_federation() -> tuple[dict[str, SigningKey], trust.TrustList]:
    import tempfile

    _, signers, listed = federation(Path(tempfile.mkdtemp()))
    return signers, listed


_SIGNERS, _TRUST = _hypothesis_federation()


def _with_created_at(signing: SigningKey, created_at: str) -> str:
    return sign_envelope(signing, {**_payload(signing.state), "created_at": created_at})


def _payload(sender: str = "KAZ") -> dict[str, Any]:
    """A valid stay.extended payload from ``sender`` to UZB, not signed yet."""
    return envelope_payload(
        id=uuid7(),
        type="stay.extended",
        from_state=sender,
        to_state="UZB",
        created_at=utcnow(),
        subject=("person", "x"),
        body=stay_body(host=sender),
    )


def _id_at(at: dt.datetime) -> uuid.UUID:
    """A well-formed UUIDv7 whose time part says ``at`` (its first 48 bits, milliseconds)."""
    millis = int(at.timestamp() * 1000)
    return uuid.UUID(int=(uuid7().int & ((1 << 80) - 1)) | (millis << 80))


@pytest.mark.parametrize("offset", [dt.timedelta(days=365 * 70), -dt.timedelta(days=30)])
def test_an_id_whose_time_is_outside_the_replay_window_is_refused(
    fed: tuple, offset: dt.timedelta
) -> None:
    _, signers, trust_list = fed
    token = envelope(signers["KAZ"], id=_id_at(utcnow() + offset))
    with pytest.raises(Rejected) as refused:
        open_envelope(token, context(trust_list))
    assert refused.value.code == "id-out-of-window"


def _raw_token(signing: SigningKey, header: dict, payload: dict) -> str:
    head = compact.b64url(json.dumps(header).encode())
    body = compact.b64url(canonical_json(payload))
    signature = signing.private_key.sign(f"{head}.{body}".encode())
    return f"{head}.{body}.{compact.b64url(signature)}"


def test_the_fully_specified_alg_name_ed25519_is_accepted(fed: tuple) -> None:
    _, signers, trust_list = fed
    payload = _payload()
    header = {"alg": "Ed25519", "kid": signers["KAZ"].kid, "typ": ENVELOPE_TYP}
    assert open_envelope(_raw_token(signers["KAZ"], header, payload), context(trust_list))
    receipt_payload = json.loads(
        _lenient(
            sign_receipt(
                signers["UZB"],
                to_state="KAZ",
                envelope_compact="x",
                envelope_id=None,
                status="accepted",
                now=utcnow(),
            ).split(".")[1]
        )
    )
    receipt_header = {"alg": "Ed25519", "kid": signers["UZB"].kid, "typ": RECEIPT_TYP}
    receipt = _raw_token(signers["UZB"], receipt_header, receipt_payload)
    assert open_receipt(receipt, trust_list, utcnow()).status == "accepted"
    other = {**header, "alg": "ES256"}
    with pytest.raises(Rejected) as refused:
        open_envelope(_raw_token(signers["KAZ"], other, payload), context(trust_list))
    assert refused.value.code == "bad-algorithm"


def _listed_with(signers: dict[str, SigningKey], **uzb: dt.datetime) -> trust.TrustList:
    now = utcnow()
    entries = {s: [key_entry(k, now - dt.timedelta(days=2))] for s, k in signers.items()}
    entries["UZB"] = [key_entry(signers["UZB"], now - dt.timedelta(days=2), **uzb)]
    return trust.parse_content(trust_content(2, 2, ENDPOINTS, entries, now))


@pytest.mark.parametrize("kind", ["revoked_at", "valid_until"])
def test_a_receipt_by_a_revoked_or_expired_key_is_refused(fed: tuple, kind: str) -> None:
    _, signers, _ = fed
    now = utcnow()
    listed = _listed_with(signers, **{kind: now - dt.timedelta(hours=1)})
    receipt = sign_receipt(
        signers["UZB"],
        to_state="KAZ",
        envelope_compact="x",
        envelope_id=None,
        status="accepted",
        now=now,
    )
    with pytest.raises(BadReceipt, match=r"revoked|expired"):
        open_receipt(receipt, listed, now)


def _garbage_from_an_impostor(signers: dict[str, SigningKey]) -> str:
    payload = _payload()
    payload["id"] = "ATTACKER-CHOSEN-ID"
    header = {"alg": "EdDSA", "kid": "KAZ:<script>alert(1)</script>", "typ": ENVELOPE_TYP}
    return _raw_token(signers["TUR"], header, payload)


def test_an_unauthenticated_envelope_is_refused_without_its_claims(fed: tuple) -> None:
    """Before the signature verified, the refusal carries neither the claimed id nor the
    sender, and its detail is the node's own words (the inbox test checks the signed receipt)."""
    _, signers, trust_list = fed
    token = _garbage_from_an_impostor(signers)
    with pytest.raises(Rejected) as refused:
        open_envelope(token, context(trust_list))
    assert refused.value.code == "unknown-key" and not refused.value.verified
    assert refused.value.claimed_id is None and refused.value.claimed_from is None
    assert "script" not in refused.value.detail


def test_a_query_request_is_not_for_the_inbox(fed: tuple) -> None:
    from kervan.exchange.inbox import _for_the_inbox

    _, signers, trust_list = fed
    token = envelope(signers["KAZ"], type="query.request", body=question_body(), subject_id="q")
    refused = _for_the_inbox(open_envelope(token, context(trust_list)))
    assert isinstance(refused, Rejected) and refused.code == "wrong-endpoint"


def test_trust_lists_with_reinstated_and_signed_documents_round_trip(fed: tuple) -> None:
    """``signed`` output is canonical: the strict decoder reads every list Kervan writes."""
    document, signers, _ = fed
    again = signed(trust.content_of(document), list(signers.values()))
    assert trust.verify(again, None, utcnow()).accepted


def test_a_leap_second_spelt_with_unicode_escapes_is_still_found(fed: tuple) -> None:
    """The byte scan cannot see an escaped date: such a payload is walked value by value."""
    _, signers, trust_list = fed
    payload = _payload()
    payload["body"]["event"]["at"] = "2026-12-31T23:59:60Z"
    raw = json.dumps(payload).replace("60Z", "\\u00360Z").encode()
    header = {"alg": "EdDSA", "kid": signers["KAZ"].kid, "typ": ENVELOPE_TYP}
    head = compact.b64url(json.dumps(header).encode())
    body = compact.b64url(raw)
    signature = signers["KAZ"].private_key.sign(f"{head}.{body}".encode())
    token = f"{head}.{body}.{compact.b64url(signature)}"
    with pytest.raises(Rejected) as refused:
        open_envelope(token, context(trust_list))
    assert refused.value.code == "schema" and "not a real" in refused.value.detail
