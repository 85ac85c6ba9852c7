"""Two nodes for the diplomacy tests: UZB (the consul's home node, on each test database) and
TUR (the airport's state, on a SQLite file of its own), their workers and the line between."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from kervan.accounts.models import User
from kervan.db.base import utcnow
from kervan.diplomacy.models import AirportAssignment
from kervan.uow import unit_of_work


def iso(at: dt.datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def accreditation_body(**changes: Any) -> dict[str, Any]:
    today = utcnow().date()
    body = {
        "home_state": "UZB",
        "accredited_in": "KAZ",
        "card_number": "KZ-DC-004512",
        "primary_identifier": "ALIMOV",
        "secondary_identifier": "BOBUR RUSTAMOVICH",
        "name_as_written": "Алимов Бобур Рустамович",
        "mission": "Consulate General of Uzbekistan in Almaty",
        "function": "consul",
        "valid_from": (today - dt.timedelta(days=100)).isoformat(),
        "valid_until": (today + dt.timedelta(days=300)).isoformat(),
    }
    body.update(changes)
    return body


def request_body(accreditation_id: str, **changes: Any) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    body = {
        "accreditation_id": accreditation_id,
        "airport": "IST",
        "terminal": "T1",
        "zones": ["transit", "departures"],
        "window_start": iso(now - dt.timedelta(hours=1)),
        "window_end": iso(now + dt.timedelta(days=2)),
        "purpose": "Repatriation flight HY-278 to TAS: 42 Uzbek nationals in the transit hall",
    }
    body.update(changes)
    return body


def assign(node: FastAPI, username: str, *airports: str) -> None:
    with unit_of_work(node.state.session_factory) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        for airport in airports:
            session.add(AirportAssignment(user_id=user.id, airport=airport))
