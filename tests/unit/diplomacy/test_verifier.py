"""kervan/diplomacy/verifier.py: a pass is checked against the trust list's member keys (never
the secretariat's) and against revocations — this node's own and those it has heard of from
other states — with each check audited; scans sent back from an offline verifier are kept once
each, their times read as UTC when they come without a zone."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.diplomacy import verifier
from kervan.diplomacy.models import PassScan
from kervan.diplomacy.samples import sample_passes
from kervan.diplomacy.schemas import ScanIn
from kervan.diplomacy.verification import Post
from kervan.errors import Forbidden
from kervan.exchange.keys import SigningKey, new_key
from kervan.exchange.trust import TrustList, parse_content
from kervan.registry.codes import SECRETARIAT

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
BORDER = Principal(user_id=None, username="guard.kaz", role=Role.BORDER_OFFICER, state="KAZ")


def _node(key: SigningKey, **times: str) -> dict[str, object]:
    entry = {"jwk": key.public_jwk(), "valid_from": "2026-01-01T00:00:00Z", **times}
    return {"state": key.state, "endpoint": f"https://{key.state.lower()}.test", "keys": [entry]}


@pytest.fixture(scope="module")
def keys() -> dict[str, SigningKey]:
    return {state: new_key(state, NOW.date()) for state in ("KAZ", "TUR", SECRETARIAT)}


@pytest.fixture(scope="module")
def trust(keys: dict[str, SigningKey]) -> TrustList:
    content = {
        "version": 7,
        "issued_at": "2026-12-01T00:00:00Z",
        "threshold": 1,
        "nodes": [
            _node(keys[SECRETARIAT]),
            _node(keys["KAZ"]),
            _node(keys["TUR"], revoked_at="2026-11-01T00:00:00Z"),
        ],
    }
    return parse_content(content)


@pytest.fixture
def passes(session: Session, keys: dict[str, SigningKey]) -> Iterator[dict[str, str]]:
    yield sample_passes(session, keys["KAZ"], NOW)
    session.rollback()


def check(session: Session, text: str, trust: TrustList, node_state: str = "KAZ") -> str:
    result = verifier.verify(
        session, BORDER, text, Post("ALA"), trust=trust, node_state=node_state, now=NOW
    )
    return result.reason


def test_a_valid_pass_is_valid_and_shows_its_claims(
    session: Session, passes: dict[str, str], trust: TrustList, keys: dict[str, SigningKey]
) -> None:
    result = verifier.verify(
        session, BORDER, passes["valid"], Post("ALA"), trust=trust, node_state="KAZ", now=NOW
    )
    assert result.valid and result.reason == "valid"
    assert result.kid == keys["KAZ"].kid and result.issuing_state == "KAZ"
    assert result.airports == ["ALA"] and result.zones == ["transit", "departures"]
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "pass.verified"))
    assert (entry.outcome, entry.record_id) == ("ok", str(result.pass_id))
    assert entry.details == {"reason": "valid", "airport": "ALA", "zone": None}


def test_each_bad_pass_is_refused_for_its_reason_and_audited(
    session: Session, passes: dict[str, str], trust: TrustList
) -> None:
    reasons = {kind: check(session, passes[kind], trust) for kind in passes if kind != "valid"}
    assert reasons == {
        "revoked": "revoked",
        "expired": "expired",
        "not-yet-valid": "not-yet-valid",
        "wrong-airport": "wrong-airport",
        "forged": "bad-signature",
    }
    outcomes = session.scalars(
        select(AuditEntry.outcome).where(AuditEntry.action == "pass.verified")
    ).all()
    assert outcomes == ["refused"] * 5


def test_a_revocation_heard_of_counts_on_another_states_node(
    session: Session, passes: dict[str, str], trust: TrustList
) -> None:
    # On Türkiye's node the list of its own revocations is empty; the KAZ pass revoked in the
    # register still is refused.
    assert check(session, passes["revoked"], trust, node_state="TUR") == "revoked"
    assert check(session, passes["valid"], trust, node_state="TUR") == "valid"


def test_text_that_is_no_pass_is_malformed_without_claims(
    session: Session, trust: TrustList
) -> None:
    result = verifier.verify(
        session, BORDER, "not a pass", Post(), trust=trust, node_state="KAZ", now=NOW
    )
    assert (result.valid, result.reason, result.pass_id, result.airports) == (
        False,
        "malformed",
        None,
        [],
    )
    session.rollback()


def test_only_a_member_states_key_signs_passes(
    trust: TrustList, keys: dict[str, SigningKey]
) -> None:
    lookup = verifier.signer_lookup(trust)
    kaz = lookup(keys["KAZ"].kid)
    assert kaz is not None and kaz.state == "KAZ" and kaz.problem_at(NOW) is None
    revoked = lookup(keys["TUR"].kid)
    assert revoked is not None and revoked.problem_at(NOW) is not None
    assert lookup(keys[SECRETARIAT].kid) is None
    assert lookup("KAZ:no-such-key") is None and lookup("") is None


def test_a_verifier_without_the_permission_is_refused(session: Session, trust: TrustList) -> None:
    clerk = Principal(user_id=None, username="c", role=Role.MIGRATION_OFFICER, state="KAZ")
    with pytest.raises(Forbidden):
        verifier.verify(session, clerk, "x", Post(), trust=trust, node_state="KAZ", now=NOW)
    with pytest.raises(Forbidden):
        verifier.record_scans(session, clerk, [], now=NOW)


def test_the_verifier_page_gets_the_member_keys_only(
    trust: TrustList, keys: dict[str, SigningKey]
) -> None:
    listed = verifier.signer_keys(trust)
    assert listed["trust_list_version"] == 7
    by_kid = {k["kid"]: k for k in listed["keys"]}
    assert set(by_kid) == {keys["KAZ"].kid, keys["TUR"].kid}
    assert by_kid[keys["KAZ"].kid]["x"] == keys["KAZ"].public_jwk()["x"]
    assert by_kid[keys["KAZ"].kid]["revoked_at"] is None
    assert by_kid[keys["TUR"].kid]["revoked_at"] is not None


def _scan(scan_id: uuid.UUID, at: dt.datetime, verdict: str = "valid") -> ScanIn:
    return ScanIn(id=scan_id, device_id="tablet-1", scanned_at=at, airport="ALA", verdict=verdict)


def test_scans_are_kept_once_each_and_audited(session: Session) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    naive = dt.datetime(2026, 12, 3, 8, 30)
    sent = [_scan(first, naive), _scan(second, NOW, verdict="revoked")]
    assert verifier.record_scans(session, BORDER, sent, now=NOW) == 2
    # Sent again (the device did not hear back): nothing new.
    assert verifier.record_scans(session, BORDER, sent, now=NOW) == 0
    stored = {s.id: s for s in session.scalars(select(PassScan))}
    assert set(stored) == {first, second}
    assert stored[first].scanned_at.replace(tzinfo=dt.UTC) == naive.replace(tzinfo=dt.UTC)
    assert stored[first].officer == "guard.kaz"
    outcomes = sorted(
        session.scalars(select(AuditEntry.outcome).where(AuditEntry.action == "pass.scanned"))
    )
    assert outcomes == ["ok", "refused"]
    session.rollback()
