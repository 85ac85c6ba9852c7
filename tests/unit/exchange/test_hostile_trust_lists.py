"""A back-dated trust list must not bring a revoked key back (issue 9, case 1): co-signers are
judged by the list in force at the time of checking, a revoked key never counts, a candidate
must be issued later than the list in force, and no version may reinstate a revoked key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import trust
from kervan.exchange.keys import SigningKey
from kervan.exchange.trust import TrustList
from tests.unit.exchange.support import ENDPOINTS, federation


def _content(
    signers: dict[str, SigningKey],
    version: int,
    issued_at: dt.datetime,
    revoked: dict[str, dt.datetime] | None = None,
    valid_from: dt.datetime | None = None,
) -> dict[str, Any]:
    start = valid_from or utcnow() - dt.timedelta(days=30)
    entries = {
        state: [key_entry(key, start, revoked_at=(revoked or {}).get(state))]
        for state, key in signers.items()
    }
    return trust_content(version, 2, ENDPOINTS, entries, issued_at)


@pytest.fixture
def revoked_kaz(tmp_path: Path) -> tuple[dict[str, SigningKey], TrustList, dt.datetime]:
    """Version 2, in force: KAZ's key revoked an hour ago (threshold 2 of KAZ, UZB, TUR)."""
    _, signers, first = federation(tmp_path)
    now = utcnow()
    revoked_at = now - dt.timedelta(hours=1)
    v2 = signed(_content(signers, 2, now, {"KAZ": revoked_at}), list(signers.values()))
    decision = trust.verify(v2, first, now)
    assert decision.accepted and decision.trust is not None, decision.explain()
    return signers, decision.trust, revoked_at


def _signers(signers: dict[str, SigningKey], *states: str) -> list[SigningKey]:
    return [signers[s] for s in states]


def test_the_reported_attack_back_dated_list_un_revoking_kaz_is_refused(
    revoked_kaz: tuple,
) -> None:
    """Version 3 un-revokes KAZ, signed by the secretariat, TUR and the revoked KAZ key, issued
    before the revocation: the old code judged KAZ's key at that date and accepted it."""
    signers, in_force, revoked_at = revoked_kaz
    back_dated = revoked_at - dt.timedelta(days=1)
    candidate = signed(_content(signers, 3, back_dated), _signers(signers, "OTS", "TUR", "KAZ"))
    decision = trust.verify(candidate, in_force, utcnow())
    assert not decision.accepted
    explained = decision.explain()
    assert "not later than the list in force" in explained
    assert "cannot be reinstated" in explained
    assert "1 of 2 member states" in explained
    kaz = next(s for s in decision.signatures if s.state == "KAZ")
    assert not kaz.valid and "revoked" in kaz.reason


def test_same_issued_at_as_the_list_in_force_is_refused(revoked_kaz: tuple) -> None:
    signers, in_force, _ = revoked_kaz
    same = _content(
        signers, 3, in_force.issued_at, {"KAZ": in_force.key(signers["KAZ"].kid).revoked_at}
    )
    decision = trust.verify(
        signed(same, _signers(signers, "OTS", "TUR", "UZB")), in_force, utcnow()
    )
    assert not decision.accepted and "not later than the list in force" in decision.explain()


def test_a_revoked_signer_never_counts_toward_the_threshold(revoked_kaz: tuple) -> None:
    """Issued now, keeping the revocation: only TUR counts among the members, 1 of 2."""
    signers, in_force, revoked_at = revoked_kaz
    honest_date = _content(signers, 3, utcnow(), {"KAZ": revoked_at})
    decision = trust.verify(
        signed(honest_date, _signers(signers, "OTS", "TUR", "KAZ")), in_force, utcnow()
    )
    assert not decision.accepted and "1 of 2 member states" in decision.explain()
    with_uzb = signed(honest_date, _signers(signers, "OTS", "TUR", "KAZ", "UZB"))
    assert trust.verify(with_uzb, in_force, utcnow()).accepted


def test_a_revoked_key_cannot_be_reinstated_even_by_enough_good_signers(
    revoked_kaz: tuple,
) -> None:
    signers, in_force, _ = revoked_kaz
    reinstating = _content(signers, 3, utcnow())
    decision = trust.verify(
        signed(reinstating, _signers(signers, "OTS", "TUR", "UZB")), in_force, utcnow()
    )
    assert not decision.accepted and "cannot be reinstated" in decision.explain()


def test_a_key_with_a_revocation_scheduled_does_not_count_either(tmp_path: Path) -> None:
    """Revocation ahead of time (revoked_at in the future) already takes the key's vote."""
    _, signers, first = federation(tmp_path)
    now = utcnow()
    later = now + dt.timedelta(days=1)
    v2 = signed(_content(signers, 2, now, {"UZB": later}), list(signers.values()))
    in_force = trust.verify(v2, first, now).trust
    assert in_force is not None
    v3 = _content(signers, 3, now + dt.timedelta(seconds=1), {"UZB": later})
    decision = trust.verify(signed(v3, _signers(signers, "OTS", "UZB", "KAZ")), in_force, now)
    assert not decision.accepted
    uzb = next(s for s in decision.signatures if s.state == "UZB")
    assert not uzb.valid and "revoked" in uzb.reason


def test_keys_are_judged_now_not_at_the_candidates_date(tmp_path: Path) -> None:
    """An expired key in the list in force does not count, whatever date the candidate
    claims (the old code judged it at the candidate's issued_at)."""
    _, signers, first = federation(tmp_path)
    now = utcnow()
    entries = {s: [key_entry(k, now - dt.timedelta(days=30))] for s, k in signers.items()}
    entries["TUR"] = [
        key_entry(signers["TUR"], now - dt.timedelta(days=30), now - dt.timedelta(days=1))
    ]
    v2 = signed(trust_content(2, 2, ENDPOINTS, entries, now), list(signers.values()))
    in_force = trust.verify(v2, first, now).trust
    assert in_force is not None
    v3 = trust_content(3, 2, ENDPOINTS, entries, now - dt.timedelta(days=2))
    decision = trust.verify(signed(v3, _signers(signers, "OTS", "TUR", "KAZ")), in_force, now)
    assert not decision.accepted
    tur = next(s for s in decision.signatures if s.state == "TUR")
    assert not tur.valid and "expired" in tur.reason


def test_an_honest_next_version_is_still_accepted(revoked_kaz: tuple) -> None:
    signers, in_force, revoked_at = revoked_kaz
    following = _content(signers, 3, utcnow(), {"KAZ": revoked_at})
    decision = trust.verify(
        signed(following, _signers(signers, "OTS", "TUR", "UZB")), in_force, utcnow()
    )
    assert decision.accepted, decision.explain()
