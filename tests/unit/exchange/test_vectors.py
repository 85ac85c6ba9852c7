"""The published test vectors (``docs/exchange/vectors/``) verify with two JOSE libraries that
are not Kervan's own codec — joserfc and PyJWT — and with Kervan's receiver; and the code still
produces exactly those bytes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, cast

import jwt
import pytest
from joserfc import jws as joserfc_jws
from joserfc.jwk import OKPKey
from joserfc.jws import FlattenedJSONSerialization

from kervan.exchange import trust
from kervan.exchange.envelopes import ReceiverContext, open_envelope, open_receipt, sha256_hex
from tests.unit.exchange.vectors import FOLDER, VERIFY_AT, build


def _text(name: str) -> str:
    return (FOLDER / name).read_text()


def _json(name: str) -> Any:
    return json.loads(_text(name))


def _public_keys() -> dict[str, dict[str, Any]]:
    """The public JWKs as a verifier gets them: from the trust list's payload."""
    content = _json("trust-list.payload.json")
    return {k["jwk"]["kid"]: k["jwk"] for n in content["nodes"] for k in n["keys"]}


def _compact_signatures() -> list[tuple[str, str]]:
    """Each trust-list signature as a compact JWS over the same payload, with its kid."""
    document = _json("trust-list.json")
    found = []
    for signature in document["signatures"]:
        header = json.loads(trust.compact.b64url_decode(signature["protected"]))
        token = f"{signature['protected']}.{document['payload']}.{signature['signature']}"
        found.append((header["kid"], token))
    return found


def test_the_code_still_makes_exactly_the_published_vectors() -> None:
    for name, text in build().items():
        stale = f"{name} is stale: python -m tests.unit.exchange.vectors"
        assert (FOLDER / name).read_text() == text, stale


def test_published_private_keys_match_the_public_ones_on_the_list() -> None:
    public = _public_keys()
    for path in sorted((FOLDER / "keys").glob("*.jwk.json")):
        private = json.loads(path.read_text())
        assert {k: private[k] for k in ("kty", "crv", "x", "kid")} == {
            k: public[private["kid"]][k] for k in ("kty", "crv", "x", "kid")
        }


def test_joserfc_verifies_envelope_receipt_and_every_trust_list_signature() -> None:
    keys = {kid: OKPKey.import_key(jwk) for kid, jwk in _public_keys().items()}
    envelope = _text("envelope.jws").strip()
    token = joserfc_jws.deserialize_compact(envelope, keys["KAZ:20261101-vector"], ["EdDSA"])
    assert json.loads(token.payload) == _json("envelope.payload.json")
    receipt = _text("receipt.jws").strip()
    token = joserfc_jws.deserialize_compact(receipt, keys["UZB:20261101-vector"], ["EdDSA"])
    assert json.loads(token.payload) == _json("receipt.payload.json")
    document = _json("trust-list.json")
    for signature in document["signatures"]:
        kid, _ = next(s for s in _compact_signatures() if s[1].startswith(signature["protected"]))
        flattened = cast(FlattenedJSONSerialization, {"payload": document["payload"], **signature})
        verified = joserfc_jws.deserialize_json(flattened, keys[kid], algorithms=["EdDSA"])
        assert json.loads(verified.payload) == _json("trust-list.payload.json")


def test_pyjwt_verifies_envelope_receipt_and_every_trust_list_signature() -> None:
    keys = {kid: jwt.PyJWK(jwk).key for kid, jwk in _public_keys().items()}
    verifier = jwt.PyJWS()
    for name, kid in (("envelope", "KAZ:20261101-vector"), ("receipt", "UZB:20261101-vector")):
        decoded = verifier.decode_complete(
            _text(f"{name}.jws").strip(), keys[kid], algorithms=["EdDSA"]
        )
        assert decoded["header"]["kid"] == kid
        assert json.loads(decoded["payload"]) == _json(f"{name}.payload.json")
    signatures = _compact_signatures()
    assert {kid.split(":")[0] for kid, _ in signatures} == {"OTS", "KAZ", "UZB", "TUR"}
    for kid, token in signatures:
        decoded = verifier.decode_complete(token, keys[kid], algorithms=["EdDSA"])
        assert json.loads(decoded["payload"]) == _json("trust-list.payload.json")
    tampered = _text("envelope.jws").strip()[:-2] + "AA"
    with pytest.raises(jwt.InvalidSignatureError):
        verifier.decode_complete(tampered, keys["KAZ:20261101-vector"], algorithms=["EdDSA"])


def test_kervan_accepts_the_vectors_at_their_verification_time() -> None:
    at = dt.datetime.fromisoformat(_text("verify-at.txt").strip().replace("Z", "+00:00"))
    assert at == VERIFY_AT
    decision = trust.verify(_json("trust-list.json"), None, at)
    assert decision.accepted and decision.trust is not None, decision.explain()
    envelope = _text("envelope.jws").strip()
    context = ReceiverContext(
        me="UZB",
        trust=decision.trust,
        now=at,
        replay_window=dt.timedelta(hours=168),
        clock_skew=dt.timedelta(seconds=300),
    )
    opened = open_envelope(envelope, context)
    assert str(opened.id) == _json("envelope.payload.json")["id"]
    receipt = open_receipt(_text("receipt.jws").strip(), decision.trust, at)
    assert receipt.envelope_sha256 == sha256_hex(envelope) and receipt.status == "accepted"


def test_the_vectors_folder_documents_itself() -> None:
    readme = Path(FOLDER / "README.md").read_text()
    for name in build():
        assert name.split("/")[0] in readme
