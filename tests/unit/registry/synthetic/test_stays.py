"""kervan/registry/synthetic/stays.py: for any seed the planned documents fit together (no
duplicate kind, a visa only where one is needed, a registration lasting as long as what it
accompanies) and the placed stay ends where its situation says, never starting after today."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.enums import StayKind, StayPurpose
from kervan.registry.synthetic.stays import (
    EXPIRING_DAYS,
    PlannedDocument,
    Situation,
    draw_purpose,
    draw_stay,
    place_stay,
    plan_documents,
)

TODAY = dt.date(2026, 6, 15)
_DRAWN_PURPOSES = [p for p in StayPurpose if p is not StayPurpose.OTHER]

seeds = st.integers()
purposes = st.sampled_from(_DRAWN_PURPOSES)


@given(seeds, purposes, st.booleans(), st.integers(1, 3))
def test_planned_documents_fit_together(
    seed: int, purpose: StayPurpose, needs_visa: bool, max_documents: int
) -> None:
    planned = plan_documents(random.Random(seed), purpose, needs_visa, max_documents)
    kinds = [p.kind for p in planned]
    assert 1 <= len(planned) <= max_documents
    assert len(set(kinds)) == len(kinds)
    assert all(0 <= p.start <= p.end for p in planned)
    # Only a diplomat's template names a visa outright; everyone else gets one for needing it.
    if StayKind.VISA in kinds and purpose is not StayPurpose.DIPLOMATIC:
        assert needs_visa
    visa = [p for p in planned if p.kind is StayKind.VISA]
    assert all(p.start == 0 and p.end + 1 in (30, 60, 90) for p in visa)
    registration = [p for p in planned if p.kind is StayKind.REGISTRATION]
    others = [p for p in planned if p.kind is not StayKind.REGISTRATION]
    if registration and others:
        assert registration[0].end >= max(p.end for p in others)


@given(seeds, st.booleans())
def test_a_tourist_or_traveller_in_transit_gets_a_thirty_day_visa(seed: int, transit: bool) -> None:
    purpose = StayPurpose.TRANSIT if transit else StayPurpose.TOURISM
    planned = plan_documents(random.Random(seed), purpose, needs_visa=True)
    assert planned == [PlannedDocument(StayKind.VISA, 0, 29)]


@given(seeds, purposes, st.booleans(), st.sampled_from(list(Situation)))
def test_a_placed_stay_ends_where_its_situation_says(
    seed: int, purpose: StayPurpose, needs_visa: bool, situation: Situation
) -> None:
    rng = random.Random(seed)
    planned = plan_documents(rng, purpose, needs_visa)
    stay = place_stay(rng, purpose, planned, situation, TODAY)
    assert (stay.purpose, stay.situation) == (purpose, situation)
    assert [d.kind for d in stay.documents] == [p.kind for p in planned]
    for p, d in zip(planned, stay.documents, strict=True):
        assert d.valid_from == stay.arrival + dt.timedelta(days=p.start)
        assert d.valid_until == stay.arrival + dt.timedelta(days=p.end)
        assert d.valid_from <= TODAY  # nobody holds a document that starts in the future
        if d.kind is StayKind.VISA:
            assert 2 <= (d.valid_from - d.issued_on).days <= 20
        else:
            assert d.issued_on == d.valid_from
    days_left = (stay.last_day - TODAY).days
    if situation is Situation.VALID:
        assert days_left >= 0
    elif situation is Situation.EXPIRING:
        assert 0 <= days_left <= EXPIRING_DAYS
    elif situation is Situation.EXPIRED:
        assert -730 <= days_left <= -1
    else:
        assert -365 <= days_left <= -1


def test_a_long_valid_stay_lasts_beyond_the_expiring_window() -> None:
    planned = [PlannedDocument(StayKind.WORK_PERMIT, 0, 364)]
    for seed in range(50):
        stay = place_stay(random.Random(seed), StayPurpose.WORK, planned, Situation.VALID, TODAY)
        assert (stay.last_day - TODAY).days > EXPIRING_DAYS


def test_purposes_follow_the_nationality() -> None:
    def share(nationality: str, purpose: StayPurpose) -> float:
        rng = random.Random(3)
        return sum(draw_purpose(rng, nationality) is purpose for _ in range(2000)) / 2000

    assert share("IND", StayPurpose.STUDY) > 3 * share("KAZ", StayPurpose.STUDY)
    assert share("SYR", StayPurpose.HUMANITARIAN) > 10 * share("KAZ", StayPurpose.HUMANITARIAN)
    assert all(draw_purpose(random.Random(s), "KAZ") is not StayPurpose.OTHER for s in range(500))


@given(seeds, st.booleans())
def test_the_same_seed_draws_the_same_stay(seed: int, needs_visa: bool) -> None:
    def stay() -> object:
        return draw_stay(random.Random(seed), "UZB", needs_visa, TODAY)

    assert stay() == stay()
