"""Violations that follow from a stay: everyone overstaying has an overstay on record (some
fines paid, waived or appealed), some who left had overstayed before leaving, and a few were late
to register."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from kervan.registry.enums import ViolationKind, ViolationStatus
from kervan.registry.synthetic.draws import Weighted, between
from kervan.registry.synthetic.hosts import FineScale
from kervan.registry.synthetic.stays import Situation, Stay

_CENT = Decimal("0.01")
_OPEN_OVERSTAY = Weighted(
    {
        ViolationStatus.RECORDED: 50,
        ViolationStatus.PAID: 25,
        ViolationStatus.WAIVED: 15,
        ViolationStatus.APPEALED: 10,
    }
)
PAST_OVERSTAY_SHARE = 0.10
LATE_REGISTRATION_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class PlannedViolation:
    kind: ViolationKind
    period_start: dt.date
    period_end: dt.date | None  # None: still going on
    status: ViolationStatus
    fine: Decimal
    recorded_on: dt.date
    about_last_document: bool  # the document whose expiry it is about


def _fine(rng: random.Random, scale: FineScale) -> Decimal:
    return (scale.unit * between(rng, *scale.units)).quantize(_CENT)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _ongoing_overstay(
    rng: random.Random, stay: Stay, today: dt.date, scale: FineScale
) -> PlannedViolation:
    start = stay.last_day + _days(1)
    recorded_on = start + _days(between(rng, 0, min(90, (today - start).days)))
    status = _OPEN_OVERSTAY.pick(rng)
    # A paid or waived fine closes the period it was computed for; otherwise it runs on.
    closed = status in (ViolationStatus.PAID, ViolationStatus.WAIVED)
    return PlannedViolation(
        ViolationKind.OVERSTAY,
        start,
        recorded_on if closed else None,
        status,
        _fine(rng, scale),
        recorded_on,
        True,
    )


def _past_overstay(
    rng: random.Random, stay: Stay, today: dt.date, scale: FineScale
) -> PlannedViolation:
    start = stay.last_day + _days(1)
    end = min(start + _days(between(rng, 0, 20)), today)
    status = ViolationStatus.PAID if rng.random() < 0.8 else ViolationStatus.WAIVED
    return PlannedViolation(
        ViolationKind.OVERSTAY, start, end, status, _fine(rng, scale), end, True
    )


def _late_registration(
    rng: random.Random, stay: Stay, today: dt.date, scale: FineScale
) -> PlannedViolation | None:
    start = stay.arrival + _days(4)  # registration is due within three working days
    end = start + _days(between(rng, 0, 10))
    if end > today:
        return None
    status = ViolationStatus.PAID if rng.random() < 0.7 else ViolationStatus.RECORDED
    fine = (_fine(rng, scale) / 2).quantize(_CENT)
    return PlannedViolation(
        ViolationKind.MISSING_REGISTRATION, start, end, status, fine, end, False
    )


def draw_violations(
    rng: random.Random, stay: Stay, today: dt.date, scale: FineScale
) -> list[PlannedViolation]:
    found: list[PlannedViolation] = []
    if stay.situation is Situation.OVERSTAYING:
        found.append(_ongoing_overstay(rng, stay, today, scale))
    elif stay.situation is Situation.EXPIRED and rng.random() < PAST_OVERSTAY_SHARE:
        found.append(_past_overstay(rng, stay, today, scale))
    if rng.random() < LATE_REGISTRATION_SHARE:
        late = _late_registration(rng, stay, today, scale)
        if late is not None:
            found.append(late)
    return found
