"""The exit check (``kervan.border.service``): lawful when an active stay document covers
today; otherwise the overstay runs from the day after the last one ended and a measure in force
may waive it; the traveller may leave without a penalty when lawful or waived and no violation
is still open. Checked against that rule in plain Python over small random histories."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.border import messages
from kervan.border.schemas import ExitCheckRequest
from kervan.border.service import OPEN_VIOLATIONS, check_exit
from kervan.errors import Forbidden, NotFound
from kervan.registry.enums import StayStatus, ViolationStatus
from tests.unit.measures.support import (
    ON_DATABASE,
    PERIOD,
    add_document,
    add_measure,
    add_passport,
    add_person,
    add_violation,
)

TODAY = PERIOD[0] + dt.timedelta(days=10)  # inside the waiver's window
NUMBER = "FA1234567"
BY_NUMBER = ExitCheckRequest(passport_number=NUMBER, issuing_state="UZB")

# Stay documents that began before today: (days from today to their end, active?).
stays = st.lists(st.tuples(st.integers(-40, 40), st.booleans()), max_size=3)
violation_statuses = st.lists(st.sampled_from(list(ViolationStatus)), max_size=2)


@ON_DATABASE
@given(held=stays, statuses=violation_statuses, waiver=st.booleans())
def test_the_verdict_follows_the_rule(
    session: Session,
    officer: Principal,
    held: list[tuple[int, bool]],
    statuses: list[ViolationStatus],
    waiver: bool,
) -> None:
    try:
        person = add_person(session, nationality="UZB")
        add_passport(session, person, NUMBER)
        for offset, active in held:
            status = StayStatus.ACTIVE if active else StayStatus.REVOKED
            until = TODAY + dt.timedelta(days=offset)
            add_document(session, person, until, status=status, valid_from=dt.date(2019, 1, 1))
        for status in statuses:
            add_violation(session, person, start=dt.date(2019, 6, 1), status=status)
        if waiver:
            add_measure(session, actions=[{"waive": {"kinds": ["overstay"]}}])
        session.expire_all()

        result = check_exit(session, officer, BY_NUMBER, today=TODAY)

        ends = [TODAY + dt.timedelta(days=o) for o, active in held if active]
        lawful = any(end >= TODAY for end in ends)
        open_violation = any(s in OPEN_VIOLATIONS for s in statuses)
        assert result.lawful is lawful
        if lawful:
            assert result.overstay_since is None and result.overstay_waived_by is None
        else:
            expected_since = max(ends) + dt.timedelta(days=1) if ends else None
            assert result.overstay_since == expected_since
            assert (result.overstay_waived_by is not None) is waiver
        waived = lawful or waiver
        assert result.may_exit_without_penalty is (waived and not open_violation)
        assert len(result.violations) == len(statuses)
    finally:
        session.rollback()


def test_an_unknown_passport_is_not_found(session: Session, officer: Principal) -> None:
    with pytest.raises(NotFound) as caught:
        check_exit(session, officer, BY_NUMBER, today=TODAY)
    assert caught.value.code == messages.NO_HOLDER


def test_the_border_checks_and_a_consul_may_not(session: Session) -> None:
    person = add_person(session, nationality="UZB")
    add_passport(session, person, NUMBER)
    consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="UZB")
    border = Principal(user_id=None, username="b", role=Role.BORDER_OFFICER, state="KAZ")
    assert check_exit(session, border, BY_NUMBER, today=TODAY).traveller.id == person.id
    with pytest.raises(Forbidden):
        check_exit(session, consul, BY_NUMBER, today=TODAY)


def test_a_waived_violation_cites_its_measure(session: Session, officer: Principal) -> None:
    person = add_person(session, nationality="UZB")
    add_passport(session, person, NUMBER)
    add_document(session, person, TODAY + dt.timedelta(days=30))
    measure = add_measure(session, actions=[{"waive": {"kinds": ["overstay"]}}])
    violation = add_violation(session, person, start=dt.date(2020, 1, 5))
    violation.status, violation.waived_by_measure_id = ViolationStatus.WAIVED, measure.id
    session.flush()
    result = check_exit(session, officer, BY_NUMBER, today=TODAY)
    (finding,) = result.violations
    assert finding.waived_by is not None and finding.waived_by.id == measure.id
    assert result.may_exit_without_penalty
