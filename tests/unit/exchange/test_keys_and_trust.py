"""Signing keys on disk and the trust list's threshold rule."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, make_federation, signed, trust_content
from kervan.errors import InvalidInput
from kervan.exchange import keys, trust

ENDPOINTS = {
    s: f"http://127.0.0.1:{8100 + i}" for i, s in enumerate(["OTS", "KAZ", "UZB", "TUR", "KGZ"])
}


def test_generated_private_key_is_owner_only_and_loads(tmp_path: Path) -> None:
    signing = keys.generate(tmp_path / "keys", "KAZ")
    files = list((tmp_path / "keys").glob("*.jwk"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert "d" not in signing.public_jwk()
    settings = Settings(state="KAZ", keys_dir=tmp_path / "keys")
    assert keys.load_signing_key(settings).kid == signing.kid


def test_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    signing = keys.generate(tmp_path, "KAZ")
    path = next(tmp_path.glob("*.jwk"))
    path.chmod(0o644)
    with pytest.raises(InvalidInput, match="readable by others"):
        keys.load_key(tmp_path, signing.kid)


def test_key_from_the_environment_and_of_another_state(tmp_path: Path) -> None:
    signing = keys.new_key("UZB")
    secret = json.dumps(signing.key.as_dict(private=True))
    assert keys.load_signing_key(Settings(state="UZB", signing_key=secret)).kid == signing.kid
    with pytest.raises(InvalidInput, match="not this node's"):
        keys.load_signing_key(Settings(state="KAZ", signing_key=secret))


def test_rotation_keeps_the_old_key_and_switches_current(tmp_path: Path) -> None:
    first = keys.generate(tmp_path, "KAZ")
    second, previous = keys.rotate(tmp_path, "KAZ")
    assert previous == first.kid and keys.current_kid(tmp_path) == second.kid
    assert keys.load_key(tmp_path, first.kid).kid == first.kid


@pytest.fixture
def federation(tmp_path: Path) -> tuple[dict, dict[str, keys.SigningKey]]:
    return make_federation(tmp_path, ENDPOINTS, threshold=3)


def _next_version(
    signers: dict[str, keys.SigningKey], version: int = 2, threshold: int = 3, **entries: list
) -> dict:
    now = utcnow()
    base = {s: [key_entry(k, now - dt.timedelta(minutes=5))] for s, k in signers.items()}
    base.update(entries)
    return trust_content(version, threshold, ENDPOINTS, base, now)


def test_bootstrap_list_verifies_against_itself(federation: tuple) -> None:
    document, _ = federation
    decision = trust.verify(document, None, utcnow())
    assert decision.accepted, decision.explain()
    assert decision.trust is not None and decision.trust.threshold == 3


def test_new_version_needs_secretariat_and_threshold_of_members(federation: tuple) -> None:
    document, signers = federation
    current = trust.verify(document, None, utcnow()).trust
    content = _next_version(signers)
    two_members = signed(content, [signers["OTS"], signers["KAZ"], signers["UZB"]])
    decision = trust.verify(two_members, current, utcnow())
    assert not decision.accepted and "2 of 3" in decision.explain()
    members_only = signed(content, [signers[s] for s in ("KAZ", "UZB", "TUR", "KGZ")])
    assert "secretariat" in trust.verify(members_only, current, utcnow()).explain()
    enough = trust.sign(two_members, signers["TUR"])
    assert trust.verify(enough, current, utcnow()).accepted


def test_older_or_same_version_is_refused(federation: tuple) -> None:
    document, _signers = federation
    current = trust.verify(document, None, utcnow()).trust
    assert "not newer" in trust.verify(document, current, utcnow()).explain()


def test_tampered_list_fails_every_signature(federation: tuple) -> None:
    document, signers = federation
    current = trust.verify(document, None, utcnow()).trust
    content = _next_version(signers)
    good = signed(content, list(signers.values()))
    content["nodes"][0]["endpoint"] = "http://evil.example"
    forged = {**good, "payload": trust.load_document(json.dumps(content))["payload"]}
    decision = trust.verify(forged, current, utcnow())
    assert not decision.accepted
    assert not any(s.valid for s in decision.signatures)


def test_a_change_cannot_bring_its_own_signers(federation: tuple, tmp_path: Path) -> None:
    """Keys added by the new version do not count towards accepting it."""
    document, signers = federation
    current = trust.verify(document, None, utcnow()).trust
    rogue = {s: keys.new_key(s) for s in ("KAZ", "UZB", "TUR")}
    now = utcnow()
    content = _next_version(
        signers, **{s: [key_entry(k, now - dt.timedelta(minutes=1))] for s, k in rogue.items()}
    )
    decision = trust.verify(signed(content, [signers["OTS"], *rogue.values()]), current, now)
    assert not decision.accepted
    assert "key not in the trusted list" in decision.explain()


def test_revoked_key_signature_does_not_count(federation: tuple) -> None:
    document, signers = federation
    now = utcnow()
    revoked = _next_version(
        signers,
        KAZ=[
            key_entry(
                signers["KAZ"], now - dt.timedelta(days=1), revoked_at=now - dt.timedelta(hours=1)
            )
        ],
    )
    v2 = trust.verify(
        signed(revoked, list(signers.values())), trust.verify(document, None, now).trust, now
    )
    assert v2.accepted and v2.trust is not None
    v3 = _next_version(signers, version=3)
    decision = trust.verify(
        signed(v3, [signers[s] for s in ("OTS", "KAZ", "UZB", "TUR")]), v2.trust, utcnow()
    )
    assert not decision.accepted
    kaz = next(s for s in decision.signatures if s.state == "KAZ")
    assert not kaz.valid and "revoked" in kaz.reason


def test_threshold_must_fit_the_members(tmp_path: Path) -> None:
    signing = {s: keys.new_key(s) for s in ("OTS", "KAZ")}
    now = utcnow()
    content = trust_content(
        1, 3, {"OTS": "x", "KAZ": "y"}, {s: [key_entry(k, now)] for s, k in signing.items()}, now
    )
    with pytest.raises(InvalidInput, match="threshold"):
        trust.parse_content(content)


def test_private_key_in_a_trust_list_is_refused() -> None:
    signing = keys.new_key("OTS")
    now = utcnow()
    entry = {"jwk": signing.key.as_dict(private=True), "valid_from": keys_iso(now)}
    content = {
        "version": 1,
        "issued_at": keys_iso(now),
        "threshold": 1,
        "nodes": [{"state": "OTS", "endpoint": "x", "keys": [entry]}],
    }
    with pytest.raises(InvalidInput, match="private key"):
        trust.parse_content(content)


def keys_iso(at: dt.datetime) -> str:
    return at.isoformat()
