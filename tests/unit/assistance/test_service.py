"""Assistance cases (``kervan.assistance.service``): the workflow's transitions and nothing
else, SLA due times from the urgency (fresh on reopening), referral only with consent, scope by
role and state in SQL, notes and aid appended never rewritten, and the SLA counts from the
tally equal to a plain count — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.assistance import messages as codes
from kervan.assistance import service
from kervan.assistance.models import Case, CaseStatus, Referral, Source, Urgency
from kervan.assistance.sla import DEFAULT_HOURS, DEFAULT_SLA
from kervan.errors import Conflict, Forbidden, InvalidInput, KervanError, NotFound
from tests.unit.assistance.support import (
    BORDER,
    CONSENT,
    CONSUL,
    NODE,
    OFFICER,
    OPENED,
    case_data,
    give_aid,
    open_case,
)
from tests.unit.measures.support import ON_DATABASE

LATER = OPENED + dt.timedelta(days=2)


def _move(
    session: Session, case_id: uuid.UUID, target: CaseStatus, now: dt.datetime = LATER
) -> Case:
    return service.change_status(session, OFFICER, case_id, target, sla=DEFAULT_SLA, now=now)


@ON_DATABASE
@given(st.sampled_from(list(CaseStatus)), st.sampled_from(list(CaseStatus)))
def test_a_status_follows_only_the_workflow(
    session: Session, start: CaseStatus, target: CaseStatus
) -> None:
    with session.begin_nested() as example:
        case = open_case(session)
        case.status = start
        session.flush()
        allowed = target in service.NEXT[start]
        if allowed:
            assert _move(session, case.id, target).status is target
        else:
            with pytest.raises(Conflict) as refused:
                _move(session, case.id, target)
            assert refused.value.code == codes.WRONG_STATUS and case.status is start
        assert target is not CaseStatus.REFERRED or not allowed  # only through refer()
        example.rollback()


@pytest.mark.parametrize("urgency", list(Urgency))
def test_due_times_follow_the_urgency_and_a_reopened_case_starts_afresh(
    session: Session, urgency: Urgency
) -> None:
    case = open_case(session, urgency=urgency)
    hours = dt.timedelta(hours=DEFAULT_HOURS[urgency])
    assert case.due_at.replace(tzinfo=None) == (OPENED + hours).replace(tzinfo=None)
    assert case.warn_at.replace(tzinfo=None) == (OPENED + hours * 3 / 4).replace(tzinfo=None)
    closed = _move(session, case.id, CaseStatus.CLOSED)
    assert closed.closed_at is not None and closed.resolved_at is not None
    reopened_at = LATER + dt.timedelta(days=1)
    reopened = _move(session, case.id, CaseStatus.IN_PROGRESS, reopened_at)
    assert reopened.closed_at is None and reopened.resolved_at is None
    assert reopened.due_at.replace(tzinfo=None) == (reopened_at + hours).replace(tzinfo=None)


def test_a_public_request_waits_for_triage_with_a_secret(session: Session) -> None:
    case = open_case(session, source=Source.PUBLIC)
    assert case.status is CaseStatus.NEW and case.reference.startswith("H-")
    assert case.secret_hash
    officers = open_case(session)
    assert officers.status is CaseStatus.TRIAGED and officers.secret_hash is None


def test_no_referral_without_consent(session: Session) -> None:
    case = open_case(session)
    assert case.partner_state == "UZB"
    with pytest.raises(Conflict) as refused:
        service.refer(session, OFFICER, case.id, "home help", LATER)
    assert refused.value.code == codes.NO_CONSENT and case.referral is Referral.NONE
    service.record_consent(session, OFFICER, case.id, CONSENT, LATER)
    referred = service.refer(session, OFFICER, case.id, "home help", LATER)
    assert (referred.status, referred.referral) == (CaseStatus.REFERRED, Referral.PENDING)
    with pytest.raises(Conflict) as again:
        service.refer(session, OFFICER, case.id, "home help", LATER)
    assert again.value.code == codes.ALREADY_REFERRED


def test_no_referral_of_a_national_at_home_or_of_an_untriaged_case(session: Session) -> None:
    at_home = open_case(session, nationality=NODE, consent=True)
    with pytest.raises(Conflict) as refused:
        service.refer(session, OFFICER, at_home.id, "", LATER)
    assert refused.value.code == codes.NO_PARTNER and at_home.partner_state is None
    untriaged = open_case(session, source=Source.PUBLIC, consent=True)
    with pytest.raises(Conflict) as wrong:
        service.refer(session, OFFICER, untriaged.id, "", LATER)
    assert wrong.value.code == codes.WRONG_STATUS


def test_a_consul_sees_and_opens_only_their_nationals(session: Session) -> None:
    uzbek, kyrgyz = open_case(session), open_case(session, nationality="KGZ")
    assert service.get_case(session, CONSUL, uzbek.id).id == uzbek.id
    with pytest.raises(NotFound):
        service.get_case(session, CONSUL, kyrgyz.id)
    with pytest.raises(NotFound):
        service.by_reference(session, CONSUL, kyrgyz.reference.lower())
    with pytest.raises(NotFound):
        service.add_note(session, CONSUL, kyrgyz.id, "seen", LATER)
    with pytest.raises(NotFound):
        open_case(session, nationality="KGZ", by=CONSUL)
    queued, _ = service.queue(session, CONSUL, service.QueueFilter(), now=LATER)
    assert [c.id for c in queued] == [uzbek.id]


def test_a_border_officer_may_not_read_cases(session: Session) -> None:
    case = open_case(session)
    with pytest.raises(Forbidden):
        service.get_case(session, BORDER, case.id)
    with pytest.raises(Forbidden):
        open_case(session, by=BORDER)


def test_a_case_is_about_a_person_in_or_from_this_nodes_state(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.create_case(
            session,
            OFFICER,
            case_data(nationality="KGZ", host_state="TUR"),
            node_state=NODE,
            sla=DEFAULT_SLA,
            now=OPENED,
        )
    assert refused.value.code == codes.NOT_THIS_NODE


def test_notes_and_aid_are_appended_never_rewritten(session: Session) -> None:
    case = open_case(session)
    first = service.add_note(session, OFFICER, case.id, "called the family", OPENED)
    service.add_note(session, OFFICER, case.id, "family answered", LATER)
    notes = service.notes_of(session, case.id)
    assert [n.text for n in notes] == ["called the family", "family answered"]
    assert notes[0].id == first.id and notes[0].author == OFFICER.username
    give_aid(session, case, "food", quantity=2)
    give_aid(session, case, "cash", amount="10.00", currency="KZT", at=LATER)
    assert [(a.kind, a.quantity) for a in service.aid_of(session, case.id)] == [
        ("food", 2),
        ("cash", 1),
    ]


@pytest.mark.parametrize(("amount", "currency"), [("10.00", None), (None, "KZT")])
def test_an_amount_needs_its_currency(
    session: Session, amount: str | None, currency: str | None
) -> None:
    case = open_case(session)
    with pytest.raises(InvalidInput):
        give_aid(session, case, "cash", amount=amount, currency=currency)
    assert service.aid_of(session, case.id) == []


def test_the_queue_goes_by_time_to_breach_in_pages(session: Session) -> None:
    opened = [
        open_case(session, urgency=urgency, at=OPENED)
        for urgency in (Urgency.LOW, Urgency.CRITICAL, Urgency.NORMAL, Urgency.HIGH)
    ]
    shelter = open_case(session, "shelter", "medical")
    wanted = service.QueueFilter()
    first, cursor = service.queue(session, OFFICER, wanted, now=LATER, limit=2)
    rest, end = service.queue(session, OFFICER, wanted, now=LATER, limit=10, cursor=cursor)
    seen = [c.due_at for c in first + rest]
    assert seen == sorted(seen) and len(seen) == len(opened) + 1 and end is None
    breached, _ = service.queue(
        session, OFFICER, service.QueueFilter(breached_only=True), now=LATER
    )
    assert [c.urgency for c in breached] == [Urgency.CRITICAL]
    medical, _ = service.queue(session, OFFICER, service.QueueFilter(need="medical"), now=LATER)
    assert [c.id for c in medical] == [shelter.id]
    with pytest.raises(KervanError):
        service.queue(session, OFFICER, wanted, now=LATER, cursor="not-a-cursor")


@ON_DATABASE
@given(
    st.lists(
        st.tuples(st.sampled_from(list(Urgency)), st.integers(0, 30 * 24), st.booleans()),
        max_size=6,
    ),
    st.integers(0, 40 * 24),
)
def test_the_sla_counts_from_the_tally_equal_a_plain_count(
    session: Session, cases: list[tuple[Urgency, int, bool]], hours_later: int
) -> None:
    with session.begin_nested() as example:
        for urgency, hours, closed in cases:
            at = OPENED + dt.timedelta(hours=hours, minutes=7)
            case = open_case(session, urgency=urgency, at=at)
            if closed:
                _move(session, case.id, CaseStatus.CLOSED, at)
        session.flush()
        now = OPENED + dt.timedelta(hours=hours_later, minutes=31)
        counted = service.counted_sla(session, OFFICER, now)
        assert service.sla_counts(session, OFFICER, now) == counted
        assert counted["open"] == sum(1 for *_, closed in cases if not closed)
        example.rollback()
