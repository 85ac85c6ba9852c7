"""Benefit kinds and applications (``kervan.benefits.service``): a kinds file is checked whole
and saves nothing when any part is wrong; an application is evaluated when entered and again
when decided; each decision accepts only some statuses; a consul sees only their nationals."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.benefits import messages
from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitKind
from kervan.benefits.service import (
    apply_for,
    approve,
    get_application,
    get_kind,
    load_kinds,
    reject,
    set_eligibility,
)
from kervan.errors import Conflict, InvalidInput, NotFound
from tests.unit.benefits.support import add_kind
from tests.unit.measures.support import TODAY, add_person


def _kind_spec(code: str, **more: Any) -> dict[str, Any]:
    return {"code": code, "names": {"en": code}, **more}


def test_a_kinds_file_reports_every_problem_by_path_and_saves_nothing(
    session: Session, officer: Principal
) -> None:
    data = {
        "state": "UZB",
        "kinds": [
            _kind_spec("shelter", eligibility={"nationalty": ["UZB"]}),
            _kind_spec("shelter"),
        ],
    }
    with pytest.raises(InvalidInput) as caught:
        load_kinds(session, officer, data, state="KAZ")
    assert caught.value.code == messages.KINDS_FILE_INVALID
    fields = {e.field for e in caught.value.errors}
    assert {"state", "kinds[0].eligibility.nationalty", "kinds[1].code"} <= fields
    assert session.scalars(select(BenefitKind)).all() == []


def test_loading_a_kinds_file_twice_updates_the_kinds(session: Session, officer: Principal) -> None:
    first = load_kinds(session, officer, {"kinds": [_kind_spec("shelter")]}, state="KAZ")
    spec = _kind_spec("shelter", eligibility={"nationality": ["UZB"]})
    again = load_kinds(session, officer, {"kinds": [spec]}, state="KAZ")
    assert [k.id for k in again] == [k.id for k in first]
    assert again[0].eligibility == {"nationality": ["UZB"]}


def test_a_kind_is_named_by_id_or_code_in_its_state(session: Session, officer: Principal) -> None:
    kind = add_kind(session)
    assert get_kind(session, officer, state="KAZ", code="shelter") is kind
    assert get_kind(session, officer, state="KAZ", kind_id=kind.id) is kind
    with pytest.raises(NotFound):
        get_kind(session, officer, state="UZB", code="shelter")
    with pytest.raises(InvalidInput) as caught:
        get_kind(session, officer, state="KAZ")
    assert caught.value.code == messages.NAME_THE_KIND


def test_an_application_is_evaluated_when_entered(session: Session, officer: Principal) -> None:
    kind = add_kind(session, eligibility={"nationality": ["UZB"]})
    uzbek, kyrgyz = add_person(session, nationality="UZB"), add_person(session, nationality="KGZ")
    eligible = apply_for(session, officer, uzbek.id, kind, today=TODAY)
    ineligible = apply_for(session, officer, kyrgyz.id, kind, today=TODAY)
    assert (eligible.status, ineligible.status) == (
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.INELIGIBLE,
    )
    assert eligible.eligibility_reasons and eligible.evaluated_at is not None
    retired = add_kind(session, code="retired", active=False)
    with pytest.raises(Conflict):
        apply_for(session, officer, uzbek.id, retired, today=TODAY)
    with pytest.raises(NotFound):
        apply_for(session, officer, uuid.uuid4(), kind, today=TODAY)


def test_approval_re_evaluates_and_sets_the_entitlement(
    session: Session, officer: Principal
) -> None:
    kind = add_kind(session, eligibility={"nationality": ["UZB"]}, days=30)
    person = add_person(session, nationality="UZB")
    application = apply_for(session, officer, person.id, kind, today=TODAY)
    set_eligibility(session, officer, kind, {"nationality": ["KGZ"]})  # the rule changed since
    with pytest.raises(Conflict) as caught:
        approve(session, officer, application.id, "ok", today=TODAY)
    assert caught.value.code == messages.NOT_ELIGIBLE
    assert application.status is ApplicationStatus.INELIGIBLE
    set_eligibility(session, officer, kind, None)  # everyone
    fresh = apply_for(session, officer, person.id, kind, today=TODAY)
    with pytest.raises(InvalidInput) as reversed_dates:
        approve(
            session,
            officer,
            fresh.id,
            "ok",
            today=TODAY,
            entitlement_until=TODAY - dt.timedelta(days=1),
        )
    assert reversed_dates.value.code == messages.ENTITLEMENT_REVERSED
    approved = approve(session, officer, fresh.id, "  decree  ", today=TODAY)
    assert (approved.status, approved.decision_reason) == (ApplicationStatus.APPROVED, "decree")
    assert (approved.entitlement_from, approved.entitlement_until) == (
        TODAY,
        TODAY + dt.timedelta(days=29),
    )
    with pytest.raises(Conflict) as twice:
        approve(session, officer, fresh.id, "again", today=TODAY)
    assert twice.value.code == messages.CANNOT_APPROVE


def test_an_ineligible_application_may_be_rejected_a_decided_one_not(
    session: Session, officer: Principal
) -> None:
    kind = add_kind(session, eligibility={"nationality": ["KGZ"]})
    application = apply_for(session, officer, add_person(session).id, kind, today=TODAY)
    assert reject(session, officer, application.id, "no").status is ApplicationStatus.REJECTED
    with pytest.raises(Conflict) as caught:
        reject(session, officer, application.id, "no")
    assert caught.value.code == messages.CANNOT_REJECT


def test_a_consul_sees_only_their_nationals_applications(
    session: Session, officer: Principal
) -> None:
    kind = add_kind(session)
    application = apply_for(
        session, officer, add_person(session, nationality="UZB").id, kind, today=TODAY
    )
    own = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="UZB")
    other = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="KGZ")
    assert get_application(session, own, application.id) is application
    with pytest.raises(NotFound):
        get_application(session, other, application.id)
