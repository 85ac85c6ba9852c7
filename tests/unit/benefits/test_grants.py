"""Granting a benefit kind to every eligible person without one (``kervan.benefits.grants``):
who the preview counts and the grant reaches (the eligibility rule, less anyone holding a
pending, granted or refused application), the entitlement it gives, and what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.benefits import messages
from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.grants import SAMPLE_SIZE, grant_all, preview_grant_all
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.errors import Conflict, InvalidInput
from kervan.messages import REASON_REQUIRED
from tests.unit.benefits.support import add_application, add_kind
from tests.unit.measures.support import TODAY, add_person


def _mixed_register(session: Session, kind: BenefitKind) -> None:
    """Three eligible Uzbeks and one Kyrgyz without a blocking application; others not."""
    for _ in range(3):
        add_person(session, nationality="UZB")
    add_person(session, nationality="KGZ")
    add_person(session, nationality="RUS")  # not eligible
    stale = add_person(session, nationality="KGZ")
    add_application(session, stale, kind, ApplicationStatus.INELIGIBLE)  # does not block
    for status in (
        ApplicationStatus.APPLIED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
    ):
        add_application(session, add_person(session, nationality="UZB"), kind, status)


def _eligible_kind(session: Session, **extra: object) -> BenefitKind:
    return add_kind(session, eligibility={"nationality": ["UZB", "KGZ"]}, **extra)  # type: ignore[arg-type]


def test_the_preview_counts_eligible_persons_without_a_blocking_application(
    session: Session, officer: Principal
) -> None:
    kind = _eligible_kind(session)
    _mixed_register(session, kind)
    preview = preview_grant_all(session, officer, kind, today=TODAY)
    assert preview.by_nationality == {"KGZ": 2, "UZB": 3}
    assert preview.total == 5 and len(preview.sample) == 5
    ids = [row["person_id"] for row in preview.sample]
    assert ids == sorted(ids)


def test_the_preview_sample_is_bounded(session: Session, officer: Principal) -> None:
    kind = _eligible_kind(session)
    for _ in range(SAMPLE_SIZE + 2):
        add_person(session)
    preview = preview_grant_all(session, officer, kind, today=TODAY)
    assert preview.total == SAMPLE_SIZE + 2 and len(preview.sample) == SAMPLE_SIZE


def test_grant_all_grants_what_the_preview_counted_once(
    session: Session, officer: Principal
) -> None:
    kind = _eligible_kind(session, days=30)
    _mixed_register(session, kind)
    preview = preview_grant_all(session, officer, kind, today=TODAY)
    result = grant_all(session, officer, kind, "  decree 285  ", today=TODAY)
    assert result.granted == preview.total and result.by_nationality == preview.by_nationality
    assert (result.entitlement_from, result.entitlement_until) == (
        TODAY,
        TODAY + dt.timedelta(days=29),
    )
    granted = session.scalars(
        select(BenefitApplication).where(BenefitApplication.decision_reason == "decree 285")
    ).all()
    assert len(granted) == 5
    assert all(g.status is ApplicationStatus.APPROVED and g.measure_id is None for g in granted)
    assert {g.eligibility_reasons[0]["code"] for g in granted} == {messages.GRANTED_TO_ALL}
    again = grant_all(session, officer, kind, "decree 285", today=TODAY)
    assert again.granted == 0 and again.audit_seq > result.audit_seq


def test_an_end_date_given_replaces_the_default(session: Session, officer: Principal) -> None:
    kind = _eligible_kind(session)
    add_person(session)
    until = TODAY + dt.timedelta(days=3)
    assert grant_all(session, officer, kind, "why", today=TODAY, entitlement_until=until).granted
    # The last day may be the first: a one-day entitlement.
    add_person(session)
    one_day = grant_all(session, officer, kind, "why", today=TODAY, entitlement_until=TODAY)
    assert (one_day.granted, one_day.entitlement_until) == (1, TODAY)


@pytest.mark.parametrize("reason", ["", "  ", "ab", " ab "])
def test_a_grant_needs_a_reason(session: Session, officer: Principal, reason: str) -> None:
    kind = _eligible_kind(session)
    with pytest.raises(InvalidInput) as caught:
        grant_all(session, officer, kind, reason, today=TODAY)
    assert caught.value.code == REASON_REQUIRED
    assert [e.field for e in caught.value.errors] == ["reason"]


def test_an_entitlement_ending_before_today_is_refused(
    session: Session, officer: Principal
) -> None:
    kind = _eligible_kind(session)
    with pytest.raises(InvalidInput) as caught:
        grant_all(
            session,
            officer,
            kind,
            "decree",
            today=TODAY,
            entitlement_until=TODAY - dt.timedelta(days=1),
        )
    assert caught.value.code == messages.ENTITLEMENT_REVERSED


def test_an_inactive_kind_grants_nothing(session: Session, officer: Principal) -> None:
    kind = _eligible_kind(session, active=False)
    add_person(session)
    with pytest.raises(Conflict) as caught:
        grant_all(session, officer, kind, "decree", today=TODAY)
    assert caught.value.code == messages.KIND_NOT_ACTIVE
    assert session.scalars(select(BenefitApplication)).all() == []
