"""Service levels: each urgency gives a case hours to be resolved (configurable per state,
``KERVAN_ASSISTANCE_SLA_HOURS``); a case warns at three quarters of them and is in breach
after them while open. Due times are stored on the case so the queue and the breach count
are index range scans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kervan.assistance.models import Urgency

DEFAULT_HOURS = {Urgency.CRITICAL: 24, Urgency.HIGH: 72, Urgency.NORMAL: 240, Urgency.LOW: 720}


@dataclass(frozen=True)
class Sla:
    hours: dict[Urgency, int]

    @classmethod
    def parse(cls, text: str) -> Sla:
        """``critical=24,high=72,normal=240,low=720``; an urgency left out keeps its default."""
        hours = dict(DEFAULT_HOURS)
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            try:
                urgency, count = Urgency(name.strip()), int(value)
            except ValueError as exc:
                raise ValueError(f"assistance SLA: {part!r} is not urgency=hours") from exc
            if not 1 <= count <= 24 * 365:
                raise ValueError(f"assistance SLA: {part!r} is out of range")
            hours[urgency] = count
        return cls(hours)

    def due(self, opened_at: dt.datetime, urgency: Urgency) -> tuple[dt.datetime, dt.datetime]:
        """(warn_at, due_at) of a case opened at ``opened_at``."""
        window = dt.timedelta(hours=self.hours[urgency])
        return opened_at + window * 3 / 4, opened_at + window


DEFAULT_SLA = Sla(dict(DEFAULT_HOURS))


def sla_of(settings: object | None) -> Sla:
    text = getattr(settings, "assistance_sla_hours", None)
    return Sla.parse(text) if isinstance(text, str) else DEFAULT_SLA
