"""kervan/exchange/foreign_measures.py: the measures other states announced, newest period
first, filtered by state (any case) and status; every list and read audited; a measure never
announced is not found."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden, NotFound
from kervan.exchange.foreign_measures import get_foreign, list_foreign
from kervan.exchange.models import ForeignMeasure

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _announced(session: Session, state: str, reference: str, start: dt.date, status: str) -> None:
    session.add(
        ForeignMeasure(
            issuing_state=state,
            reference=reference,
            measure_id=uuid.uuid4(),
            legal_act="decree",
            legal_act_texts={},
            legal_number="1",
            legal_date=start,
            period_start=start,
            period_end=start + dt.timedelta(days=90),
            title={"en": reference},
            summary={},
            status=status,
            announced_at=NOW,
            envelope_id=uuid.uuid4(),
            first_received_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()


def _references(session: Session, officer: Principal, **filters: str) -> list[str]:
    return [m.reference for m in list_foreign(session, officer, **filters)]


def test_newest_period_first_then_by_state_and_reference(
    session: Session, officer: Principal
) -> None:
    _announced(session, "UZB", "U-1", dt.date(2026, 1, 1), "lifted")
    _announced(session, "UZB", "U-2", dt.date(2026, 6, 1), "in_force")
    _announced(session, "TUR", "T-1", dt.date(2026, 6, 1), "in_force")
    assert _references(session, officer) == ["T-1", "U-2", "U-1"]
    assert _references(session, officer, issuing_state="uzb") == ["U-2", "U-1"]
    assert _references(session, officer, status="lifted") == ["U-1"]
    actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["foreign_measures.list"] * 3


def test_one_measure_is_read_with_its_envelope_and_audited(
    session: Session, officer: Principal
) -> None:
    _announced(session, "UZB", "U-1", dt.date(2026, 1, 1), "in_force")
    measure, envelope, receipt = get_foreign(session, officer, "uzb", "U-1")
    assert (measure.issuing_state, measure.reference) == ("UZB", "U-1")
    assert (envelope, receipt) == ("", None)  # the log was pruned: the measure still shows
    assert session.scalars(select(AuditEntry.action)).all() == ["foreign_measures.read"]
    with pytest.raises(NotFound) as caught:
        get_foreign(session, officer, "UZB", "U-404")
    assert caught.value.params == {"reference": "U-404", "state": "UZB"}


def test_a_border_officer_reads_no_foreign_measure(session: Session) -> None:
    border = Principal(user_id=None, username="b", role=Role.BORDER_OFFICER, state="KAZ")
    with pytest.raises(Forbidden):
        list_foreign(session, border)
    with pytest.raises(Forbidden):
        get_foreign(session, border, "UZB", "U-1")
