"""The worked example in the demo: the spring-2020 regime and its benefit kinds, moved in time
so that the regime is current for data generated as of today (otherwise it would reach nothing
in a register of today's documents). Every date of both files moves by the same offset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from kervan.accounts.roles import system_principal
from kervan.benefits import service as benefits
from kervan.measures import service as measures
from kervan.measures.loader import example_path, load_measure, parse_measure_data
from kervan.measures.preview import preview_measure

KINDS_FILE = Path(__file__).parents[1] / "benefits" / "examples" / "kaz-2020.yaml"
ORIGINAL_START = dt.date(2020, 3, 16)
DAYS_INTO_REGIME = 40


def shift_dates(data: Any, offset: dt.timedelta) -> Any:
    if isinstance(data, dict):
        return {key: shift_dates(value, offset) for key, value in data.items()}
    if isinstance(data, list):
        return [shift_dates(value, offset) for value in data]
    if isinstance(data, dt.date) and not isinstance(data, dt.datetime):
        return data + offset
    return data


def _moved_in_time(data: Any, today: dt.date) -> Any:
    """Dates moved so that the regime began ``DAYS_INTO_REGIME`` days before ``today``."""
    return shift_dates(data, (today - dt.timedelta(days=DAYS_INTO_REGIME)) - ORIGINAL_START)


def example_kinds(state: str, today: dt.date) -> dict[str, Any]:
    """The benefit kinds the example regime grants, as ``state``'s, current as of ``today``."""
    kinds: dict[str, Any] = _moved_in_time(yaml.safe_load(KINDS_FILE.read_text("utf-8")), today)
    kinds["state"] = state
    return kinds


def example_measure(state: str, today: dt.date) -> dict[str, Any]:
    """The spring-2020 regime as ``state``'s measure, current as of ``today``."""
    raw = yaml.safe_load(example_path().read_text(encoding="utf-8"))
    data: dict[str, Any] = _moved_in_time(raw, today)
    data["legal_basis"] = raw.get("legal_basis")  # the act keeps its real date
    data["issuing_state"] = state
    data["reference"] = f"{state}-DEMO-emergency"
    return data


def bring_example_into_force(session: Session, state: str, today: dt.date) -> str:
    """Load the benefit kinds and the regime (as if it began 40 days ago), preview it, bring it
    into force and apply it. Returns the measure's reference."""
    officer = system_principal(state, "demo")
    benefits.load_kinds(session, officer, example_kinds(state, today), state=state)
    data = example_measure(state, today)
    measure = load_measure(session, officer, parse_measure_data(data, source="demo example"))
    preview_measure(session, officer, measure.id, today=today)
    measures.activate_measure(session, officer, measure.id)
    measures.apply_measure(session, officer, measure.id, today=today)
    return measure.reference
