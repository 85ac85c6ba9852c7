"""kervan/registry/synthetic/violations.py: for any seed and stay, violations follow from the
stay — everyone overstaying has one open overstay from the day after the last document, someone
who left may have a closed one, a valid stay has none — with periods and fines in bounds."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.enums import StayKind, StayPurpose, ViolationKind, ViolationStatus
from kervan.registry.synthetic.hosts import FineScale
from kervan.registry.synthetic.stays import DatedDocument, Situation, Stay
from kervan.registry.synthetic.violations import draw_violations

TODAY = dt.date(2026, 6, 15)
SCALE = FineScale("KZT", Decimal("3692.50"), (10, 40))
_FINES = (SCALE.unit * 10, SCALE.unit * 40)


def a_stay(situation: Situation, last_day_offset: int, length: int = 90) -> Stay:
    last_day = TODAY + dt.timedelta(days=last_day_offset)
    arrival = last_day - dt.timedelta(days=length - 1)
    document = DatedDocument(StayKind.VISA, arrival, last_day, arrival - dt.timedelta(days=5))
    return Stay(StayPurpose.TOURISM, situation, arrival, (document,))


stays = st.one_of(
    st.builds(a_stay, st.sampled_from([Situation.VALID, Situation.EXPIRING]), st.integers(0, 400)),
    st.builds(a_stay, st.just(Situation.EXPIRED), st.integers(-730, -1)),
    st.builds(a_stay, st.just(Situation.OVERSTAYING), st.integers(-365, -1)),
)


@given(st.integers(), stays)
def test_violations_follow_from_the_stay(seed: int, stay: Stay) -> None:
    found = draw_violations(random.Random(seed), stay, TODAY, SCALE)
    overstays = [v for v in found if v.kind is ViolationKind.OVERSTAY]
    late = [v for v in found if v.kind is ViolationKind.MISSING_REGISTRATION]
    assert len(overstays) + len(late) == len(found) and len(late) <= 1
    if stay.situation is Situation.OVERSTAYING:
        assert len(overstays) == 1
    elif stay.situation is Situation.EXPIRED:
        assert len(overstays) <= 1
    else:
        assert not overstays
    for v in overstays:
        assert v.about_last_document
        assert v.period_start == stay.last_day + dt.timedelta(days=1)
        assert v.period_start <= v.recorded_on <= TODAY
        assert _FINES[0] <= v.fine <= _FINES[1] and v.fine == v.fine.quantize(Decimal("0.01"))
        if v.period_end is None:  # still running: not settled
            assert v.status in (ViolationStatus.RECORDED, ViolationStatus.APPEALED)
        else:
            assert v.period_start <= v.period_end <= TODAY
    for v in late:
        assert not v.about_last_document
        assert v.period_start == stay.arrival + dt.timedelta(days=4)
        assert v.period_end is not None and v.period_start <= v.period_end <= TODAY
        assert v.recorded_on == v.period_end
        assert v.status in (ViolationStatus.PAID, ViolationStatus.RECORDED)
        assert _FINES[0] / 2 - Decimal("0.01") <= v.fine <= _FINES[1] / 2 + Decimal("0.01")


@given(st.integers(), st.integers(-365, -1))
def test_a_settled_ongoing_overstay_closes_on_the_day_it_was_recorded(
    seed: int, offset: int
) -> None:
    stay = a_stay(Situation.OVERSTAYING, offset)
    [overstay] = [
        v
        for v in draw_violations(random.Random(seed), stay, TODAY, SCALE)
        if v.kind is ViolationKind.OVERSTAY
    ]
    settled = overstay.status in (ViolationStatus.PAID, ViolationStatus.WAIVED)
    assert (overstay.period_end == overstay.recorded_on) if settled else overstay.period_end is None


@given(st.integers(), st.integers(-730, -1))
def test_a_past_overstay_is_closed_and_settled(seed: int, offset: int) -> None:
    stay = a_stay(Situation.EXPIRED, offset)
    for v in draw_violations(random.Random(seed), stay, TODAY, SCALE):
        if v.kind is ViolationKind.OVERSTAY:
            assert v.status in (ViolationStatus.PAID, ViolationStatus.WAIVED)
            assert v.period_end == v.recorded_on
            assert (v.period_end - v.period_start).days <= 20


def test_shares_of_past_overstays_and_late_registrations() -> None:
    rng = random.Random(5)
    expired = a_stay(Situation.EXPIRED, -200)
    kinds: Counter[ViolationKind] = Counter()
    for _ in range(6000):
        kinds.update(v.kind for v in draw_violations(rng, expired, TODAY, SCALE))
    assert 0.08 < kinds[ViolationKind.OVERSTAY] / 6000 < 0.12
    assert 0.004 < kinds[ViolationKind.MISSING_REGISTRATION] / 6000 < 0.02


def test_a_late_registration_not_yet_over_is_not_drawn() -> None:
    # Arrived yesterday: a registration due on day four cannot have been late yet.
    just_arrived = a_stay(Situation.VALID, 88, length=90)
    for seed in range(3000):
        found = draw_violations(random.Random(seed), just_arrived, TODAY, SCALE)
        assert found == []
