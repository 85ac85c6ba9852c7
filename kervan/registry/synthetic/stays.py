"""Stay documents that fit together: a purpose, the documents it takes, and their dates.

A person's documents are first laid out relative to the day of arrival (a visa from day 0, a
registration a few days later tied to the stay, a work permit for a year…), then the whole stay
is placed on the calendar so that it ends where the person's situation says: still valid,
expiring within 30 days of ``today``, expired (the person left), or expired with the person
still present (overstaying).
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from kervan.registry.enums import StayKind, StayPurpose
from kervan.registry.synthetic.draws import Weighted, between, one_of

# The first document of a stay: a visa for visa nationals, else a registration.
_ENTRY = "entry"

_BASE_PURPOSES: dict[StayPurpose, float] = {
    StayPurpose.WORK: 50,
    StayPurpose.STUDY: 9,
    StayPurpose.FAMILY: 14,
    StayPurpose.TOURISM: 12,
    StayPurpose.BUSINESS: 7,
    StayPurpose.PRIVATE: 5,
    StayPurpose.HUMANITARIAN: 1,
    StayPurpose.TRANSIT: 1.5,
    StayPurpose.DIPLOMATIC: 0.3,
}
# Where a nationality differs from the base: students from South Asia (medical schools of
# Central Asia), refugees from Syria and Afghanistan, Chinese business travellers.
_PURPOSE_OVERRIDES: dict[str, dict[StayPurpose, float]] = {
    "IND": {StayPurpose.STUDY: 40},
    "PAK": {StayPurpose.STUDY: 30},
    "SYR": {StayPurpose.HUMANITARIAN: 35},
    "AFG": {StayPurpose.HUMANITARIAN: 25},
    "CHN": {StayPurpose.BUSINESS: 20},
    "RUS": {StayPurpose.FAMILY: 22, StayPurpose.PRIVATE: 10},
    "HUN": {StayPurpose.BUSINESS: 18, StayPurpose.TOURISM: 20},
    "TUR": {StayPurpose.BUSINESS: 18},
}

_Template = tuple[str | StayKind, ...]
_TEMPLATES: dict[StayPurpose, dict[_Template, float]] = {
    StayPurpose.WORK: {
        (_ENTRY, StayKind.WORK_PERMIT): 55,
        (_ENTRY, StayKind.WORK_PERMIT, StayKind.TEMPORARY_RESIDENCE): 25,
        (StayKind.WORK_PERMIT,): 20,
    },
    StayPurpose.STUDY: {
        (_ENTRY, StayKind.TEMPORARY_RESIDENCE): 70,
        (_ENTRY,): 15,
        (StayKind.TEMPORARY_RESIDENCE,): 15,
    },
    StayPurpose.FAMILY: {
        (_ENTRY, StayKind.TEMPORARY_RESIDENCE): 40,
        (StayKind.TEMPORARY_RESIDENCE,): 25,
        (StayKind.PERMANENT_RESIDENCE,): 20,
        (StayKind.REGISTRATION, StayKind.PERMANENT_RESIDENCE): 15,
    },
    StayPurpose.TOURISM: {(_ENTRY,): 100},
    StayPurpose.BUSINESS: {
        (_ENTRY,): 50,
        (_ENTRY, StayKind.REGISTRATION): 30,
        (_ENTRY, StayKind.WORK_PERMIT): 20,
    },
    StayPurpose.PRIVATE: {(_ENTRY,): 70, (_ENTRY, StayKind.REGISTRATION): 30},
    StayPurpose.HUMANITARIAN: {
        (StayKind.REGISTRATION, StayKind.TEMPORARY_RESIDENCE): 60,
        (StayKind.TEMPORARY_RESIDENCE,): 40,
    },
    StayPurpose.TRANSIT: {(_ENTRY,): 100},
    StayPurpose.DIPLOMATIC: {(StayKind.VISA,): 100},
}
_TEMPLATE_CHOICE = {purpose: Weighted(t) for purpose, t in _TEMPLATES.items()}


class Situation(enum.StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"  # the last document ends within 30 days of today
    EXPIRED = "expired"  # all documents ended; the person left
    OVERSTAYING = "overstaying"  # all documents ended; the person is still here


SITUATION_WEIGHTS: dict[Situation, float] = {
    Situation.VALID: 66,
    Situation.EXPIRING: 9,
    Situation.EXPIRED: 19,
    Situation.OVERSTAYING: 6,
}
_SITUATION_CHOICE = Weighted(SITUATION_WEIGHTS)
EXPIRING_DAYS = 30


@dataclass(frozen=True, slots=True)
class PlannedDocument:
    """A stay document with its dates as days since arrival (``end`` inclusive)."""

    kind: StayKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DatedDocument:
    kind: StayKind
    valid_from: dt.date
    valid_until: dt.date
    issued_on: dt.date


@dataclass(frozen=True, slots=True)
class Stay:
    purpose: StayPurpose
    situation: Situation
    arrival: dt.date
    documents: tuple[DatedDocument, ...]

    @property
    def last_day(self) -> dt.date:
        return max(d.valid_until for d in self.documents)


@cache
def _purposes(nationality: str) -> Weighted[StayPurpose]:
    return Weighted({**_BASE_PURPOSES, **_PURPOSE_OVERRIDES.get(nationality, {})})


def draw_purpose(rng: random.Random, nationality: str) -> StayPurpose:
    return _purposes(nationality).pick(rng)


def _kinds(
    rng: random.Random, purpose: StayPurpose, needs_visa: bool, max_documents: int
) -> list[StayKind]:
    template = _TEMPLATE_CHOICE[purpose].pick(rng)
    entry = StayKind.VISA if needs_visa else StayKind.REGISTRATION
    kinds = [entry if k == _ENTRY else StayKind(k) for k in template]
    # A visa-free "entry + registration" is one registration.
    return list(dict.fromkeys(kinds))[:max_documents]


def _visa_days(rng: random.Random, purpose: StayPurpose) -> int:
    if purpose in (StayPurpose.TOURISM, StayPurpose.TRANSIT):
        return 30
    return one_of(rng, (30, 60, 90))


def _long_document(rng: random.Random, kind: StayKind, after_entry: bool) -> PlannedDocument:
    start = between(rng, 3, 60) if after_entry else 0
    if kind is StayKind.WORK_PERMIT:
        days = 365
    elif kind is StayKind.TEMPORARY_RESIDENCE:
        days = one_of(rng, (365, 730, 1095))
    else:
        days = one_of(rng, (1826, 3652))
    return PlannedDocument(kind, start, start + days - 1)


def plan_documents(
    rng: random.Random, purpose: StayPurpose, needs_visa: bool, max_documents: int = 3
) -> list[PlannedDocument]:
    """The documents of one stay (at most ``max_documents``), laid out relative to the day of
    arrival."""
    kinds = _kinds(rng, purpose, needs_visa, max_documents)
    planned: list[PlannedDocument] = []
    if StayKind.VISA in kinds:
        planned.append(PlannedDocument(StayKind.VISA, 0, _visa_days(rng, purpose) - 1))
    for kind in kinds:
        if kind not in (StayKind.VISA, StayKind.REGISTRATION):
            planned.append(_long_document(rng, kind, after_entry=len(kinds) > 1))
    if StayKind.REGISTRATION in kinds:
        # Registration at the place of stay follows arrival by days and lasts as long as the
        # documents it accompanies; alone, it covers a visa-free short stay.
        start = between(rng, 0, 3)
        end = max((p.end for p in planned), default=start + one_of(rng, (30, 60, 90)) - 1)
        planned.append(PlannedDocument(StayKind.REGISTRATION, start, max(end, start)))
    order = {kind: i for i, kind in enumerate(kinds)}
    return sorted(planned, key=lambda p: order[p.kind])


def _last_day(rng: random.Random, situation: Situation, today: dt.date, slack: int) -> dt.date:
    """Where the stay's last valid day falls; ``slack`` keeps every start on or before today."""
    if situation is Situation.VALID and slack > EXPIRING_DAYS:
        return today + dt.timedelta(days=between(rng, EXPIRING_DAYS + 1, slack))
    if situation in (Situation.VALID, Situation.EXPIRING):
        return today + dt.timedelta(days=between(rng, 0, min(EXPIRING_DAYS, slack)))
    back = 730 if situation is Situation.EXPIRED else 365
    return today - dt.timedelta(days=between(rng, 1, back))


def _issued_on(rng: random.Random, kind: StayKind, valid_from: dt.date) -> dt.date:
    if kind is StayKind.VISA:  # visas are issued by a consulate before the journey
        return valid_from - dt.timedelta(days=between(rng, 2, 20))
    return valid_from


def place_stay(
    rng: random.Random,
    purpose: StayPurpose,
    planned: Sequence[PlannedDocument],
    situation: Situation,
    today: dt.date,
) -> Stay:
    """Put a planned stay on the calendar so that it ends as ``situation`` says."""
    end = max(p.end for p in planned)
    slack = end - max(p.start for p in planned)
    arrival = _last_day(rng, situation, today, slack) - dt.timedelta(days=end)
    documents = []
    for p in planned:
        valid_from = arrival + dt.timedelta(days=p.start)
        documents.append(
            DatedDocument(
                p.kind,
                valid_from,
                arrival + dt.timedelta(days=p.end),
                _issued_on(rng, p.kind, valid_from),
            )
        )
    return Stay(purpose, situation, arrival, tuple(documents))


def draw_stay(
    rng: random.Random, nationality: str, needs_visa: bool, today: dt.date, max_documents: int = 3
) -> Stay:
    purpose = draw_purpose(rng, nationality)
    planned = plan_documents(rng, purpose, needs_visa, max_documents)
    situation = _SITUATION_CHOICE.pick(rng)
    return place_stay(rng, purpose, planned, situation, today)
