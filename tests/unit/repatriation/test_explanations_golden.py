"""The explanations of one small allocation, pinned word for word (English catalog text)."""

from __future__ import annotations

import datetime as dt

from kervan.repatriation.explain import explain_all
from kervan.repatriation.instance import Instance, Leg, Unit
from kervan.repatriation.solver import allocate

MAY = dt.date(2026, 5, 12)


def test_every_request_is_explained() -> None:
    legs = (
        Leg("tk", "IST", "TAS", MAY, MAY, seats=4),
        Leg("bus", "ALA", "SKD", MAY, MAY, seats=10),
    )
    units = (
        Unit("medical", 1, 7, "IST", "TAS", MAY, order=5),
        Unit("family", 4, 5, "IST", "TAS", MAY, order=1),
        Unit("single", 1, 1, "IST", "TAS", MAY, order=2),
        Unit("late", 1, 0, "IST", "TAS", MAY, order=3),
        Unit("confirmed", 1, 0, "IST", "TAS", MAY, order=0, fixed_leg="tk"),
        Unit("pinned", 1, 0, "ALA", "SKD", MAY, order=6, fixed_leg="bus"),
        Unit("excluded", 1, 7, "ALA", "SKD", MAY, order=7, excluded=True),
        Unit("nowhere", 2, 3, "ALA", "TAS", MAY, order=8),
        Unit("reception", 3, 2, "ALA", "SKD", MAY, order=9),
    )
    instance = Instance(units, legs, {("SKD", MAY): 1})
    result = allocate(instance)
    explained = explain_all(
        instance,
        result,
        labels={"tk": "TK 3760", "bus": "Bus 12"},
        reasons={"pinned": "dialysis appointment", "excluded": "asked to wait"},
    )
    assert {unit: e.english for unit, e in explained.items()} == {
        "medical": "Seated on TK 3760 on 2026-05-12 (priority level 7): every waiting request"
        " of higher priority that fits this leg has a seat.",
        "family": "Waiting: the group of 4 travels together, and no leg from IST on or after"
        " 2026-05-12 has more than 2 seats left for its priority.",
        "single": "Seated on TK 3760 on 2026-05-12 (priority level 1): every waiting request"
        " of higher priority that fits this leg has a seat.",
        "late": "Seated on TK 3760 on 2026-05-12 (priority level 0): every waiting request"
        " of higher priority that fits this leg has a seat.",
        "confirmed": "Seated on TK 3760 on 2026-05-12: the seat is confirmed and is kept when"
        " seats are allocated again.",
        "pinned": "Seated on Bus 12 on 2026-05-12: placed there by an officer (dialysis"
        " appointment).",
        "excluded": "Not allocated: excluded by an officer (asked to wait).",
        "nowhere": "Waiting: no agreed leg goes from ALA to TAS on or after 2026-05-12.",
        "reception": "Waiting: there are seats, but SKD can receive no more people on the"
        " arrival days of the legs from ALA on or after 2026-05-12.",
    }
