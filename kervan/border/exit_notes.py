"""The exit check's extension point: what other capabilities know about a departing traveller.

A provider is given the traveller, the passport presented, today and the measure (if any)
that waives their overstay, and returns notes — coded lines the check shows and returns with
its verdict. Repatriation, for one, says that the person leaves on a leg agreed with their home
state. Providers are registered by their package's ``install`` (``kervan.wiring``); the border
imports none of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from kervan.border.schemas import ExitNote, MeasureCitation
from kervan.registry.models import Person, TravelDocument

Provider = Callable[
    [Session, Person, TravelDocument, dt.date, MeasureCitation | None], list[ExitNote]
]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Idempotent: wiring a node twice (tests, the CLI) adds a provider once."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def notes_for(
    session: Session,
    person: Person,
    passport: TravelDocument,
    today: dt.date,
    waiver: MeasureCitation | None,
) -> list[ExitNote]:
    return [
        note
        for provider in _PROVIDERS
        for note in provider(session, person, passport, today, waiver)
    ]
