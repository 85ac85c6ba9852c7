"""Why each request is seated where it is, or waits: a code and its values, worded in the
officer's language from the catalogs (``messages.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kervan.repatriation import messages as m
from kervan.repatriation.fairness import Occupancy
from kervan.repatriation.instance import Allocation, Instance, Leg, Unit, compatible


@dataclass(frozen=True)
class Explanation:
    code: str
    params: dict[str, Any]

    @property
    def english(self) -> str:
        return m.MESSAGES[self.code] % self.params


def _leg_params(leg: Leg, labels: dict[str, str]) -> dict[str, Any]:
    return {"leg": labels.get(leg.id, leg.id), "date": leg.departs.isoformat()}


def explain_all(
    instance: Instance,
    allocation: Allocation,
    *,
    labels: dict[str, str] | None = None,
    reasons: dict[str, str] | None = None,
) -> dict[str, Explanation]:
    """One explanation per unit. ``labels`` name legs (``HY 2711``); ``reasons`` are the
    officers' words for pins and exclusions."""
    labels, reasons = labels or {}, reasons or {}
    occupancy = Occupancy(instance, allocation)
    legs = instance.legs_by_id()
    ahead_cache: dict[tuple[object, ...], int] = {}
    out: dict[str, Explanation] = {}
    for unit in instance.units:
        seat = allocation.seat_of.get(unit.id)
        if unit.excluded:
            out[unit.id] = Explanation(m.EXCLUDED, {"reason": reasons.get(unit.id, "")})
        elif seat is not None:
            out[unit.id] = _seated(unit, legs[seat], labels, reasons)
        else:
            out[unit.id] = _waiting(unit, instance, occupancy, ahead_cache)
    return out


def _seated(unit: Unit, leg: Leg, labels: dict[str, str], reasons: dict[str, str]) -> Explanation:
    params = _leg_params(leg, labels)
    if unit.fixed_leg is not None and unit.id in reasons:
        return Explanation(m.SEATED_PINNED, {**params, "reason": reasons[unit.id]})
    if unit.fixed_leg is not None:
        return Explanation(m.SEATED_CONFIRMED, params)
    return Explanation(m.SEATED, {**params, "level": unit.level})


def _waiting(
    unit: Unit, instance: Instance, occupancy: Occupancy, cache: dict[tuple[object, ...], int]
) -> Explanation:
    where = {
        "origin": unit.origin,
        "destination": unit.destination,
        "earliest": unit.earliest.isoformat(),
    }
    legs = [leg for leg in instance.legs if compatible(unit, leg)]
    if not legs:
        return Explanation(m.WAITING_NO_LEG, where)
    rooms = [occupancy.room(leg, unit.level) for leg in legs]
    best = max(room.places for room in rooms)
    if unit.size > 1 and best >= 1:
        return Explanation(m.WAITING_GROUP, {**where, "size": unit.size, "room": best})
    if any(room.seats >= unit.size for room in rooms):
        return Explanation(m.WAITING_RECEPTION, where)
    key = (unit.origin, unit.destination, unit.earliest, unit.level)
    if key not in cache:
        cache[key] = sum(
            u.size
            for leg in legs
            for u in occupancy.on_leg[leg.id]
            if u.level >= unit.level or u.fixed_leg is not None
        )
    seats = sum(leg.seats for leg in legs)
    return Explanation(m.WAITING_PRIORITY, {**where, "ahead": cache[key], "seats": seats})
