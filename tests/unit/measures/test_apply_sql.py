"""One set-based pass of a measure (``kervan.measures.apply_sql``): which documents it extends
and to when, judged by the end date before any measure; which violations it waives; one outbox
message per person for their home state, and only for a peer that is not this node. Checked
against a plain Python statement of the rule over small random registers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.exchange.models import OutboxMessage
from kervan.measures.actions import parse_actions
from kervan.measures.apply_sql import PassCounts, apply_pass, extension_candidates
from kervan.measures.models import Measure, MeasureEffect
from kervan.measures.reach import Slice
from kervan.measures.service import plan_for
from kervan.registry.enums import StayEventKind, StayStatus, ViolationKind, ViolationStatus
from kervan.registry.models import StayDocument, StayDocumentEvent, Violation
from tests.unit.measures.support import (
    ON_DATABASE,
    PERIOD,
    TODAY,
    add_document,
    add_effect,
    add_measure,
    add_person,
    add_violation,
)

DAY0 = dt.date(2020, 2, 1)
NODE, PEERS = "KAZ", ("KAZ", "UZB")


def _day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


def _pass(session: Session, measure: Measure, where: Slice | None = None) -> PassCounts:
    return apply_pass(
        session.connection(),
        plan_for(measure, TODAY),
        where or Slice(),
        run_at=utcnow(),
        node_state=NODE,
        peers=PEERS,
    )


def _messages(session: Session, kind: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.type == kind)))


# A document: its own end date, whether it is active, and how many days an earlier measure
# already added to it (None: none did).
documents = st.tuples(st.integers(0, 150), st.booleans(), st.none() | st.integers(1, 60))
persons = st.tuples(st.sampled_from(["UZB", "KGZ", "KAZ"]), st.lists(documents, max_size=3))
extends = st.one_of(
    st.integers(0, 200).map(lambda n: {"to": _day(n).isoformat()}),
    st.integers(1, 90).map(lambda n: {"by_days": n}),
    st.integers(0, 60).map(lambda n: {"period_end_plus_days": n}),
)
windows = st.tuples(st.integers(0, 150), st.integers(0, 60))


@ON_DATABASE
@given(register=st.lists(persons, min_size=1, max_size=4), extend=extends, window=windows)
def test_a_pass_extends_exactly_what_the_rule_names(
    session: Session,
    register: list[tuple[str, list[tuple[int, bool, int | None]]]],
    extend: dict[str, Any],
    window: tuple[int, int],
) -> None:
    start, end = _day(window[0]), _day(window[0] + window[1])
    earlier = add_measure(session)
    measure = add_measure(
        session,
        scope={"expires_between": {"from": start.isoformat(), "to": end.isoformat()}},
        actions=[{"extend": extend}],
    )
    rule = parse_actions(measure.actions).extend
    assert rule is not None
    expected: dict[Any, dt.date] = {}
    untouched: dict[Any, dt.date] = {}
    reached_persons: dict[Any, str] = {}
    try:
        for nationality, held in register:
            person = add_person(session, nationality=nationality)
            for own, active, added in held:
                status = StayStatus.ACTIVE if active else StayStatus.REVOKED
                document = add_document(session, person, _day(own), status=status)
                if added is not None:
                    add_effect(session, earlier, document, _day(own), _day(own + added))
                base = _day(own)  # before any measure: the earlier one's old end date
                target = rule.target_for(base, measure.period_end)
                if active and start <= base <= end and target > document.valid_until:
                    expected[document.id] = target
                    reached_persons[person.id] = nationality
                else:
                    untouched[document.id] = document.valid_until
        session.expire_all()

        counts = _pass(session, measure)

        assert counts.documents == len(expected)
        until = dict(session.execute(select(StayDocument.id, StayDocument.valid_until)).all())
        assert {d: until[d] for d in expected} == expected
        assert {d: until[d] for d in untouched} == untouched
        effects = session.scalars(
            select(MeasureEffect.document_id).where(MeasureEffect.measure_id == measure.id)
        ).all()
        assert set(effects) == set(expected)
        events = session.scalars(
            select(StayDocumentEvent.document_id).where(
                StayDocumentEvent.measure_id == measure.id,
                StayDocumentEvent.kind == StayEventKind.EXTENDED,
            )
        ).all()
        assert sorted(events) == sorted(expected)
        # One message per reached person whose home state is a peer other than this node.
        to_peers = {p for p, n in reached_persons.items() if n in PEERS and n != NODE}
        sent = _messages(session, "stay.extended")
        assert counts.messages == len(sent) == len(to_peers)
        assert {m.subject_id for m in sent} == to_peers
        assert all(m.to_state == "UZB" and m.status == "pending" for m in sent)

        again = _pass(session, measure)
        assert (again.documents, again.messages) == (0, 0)
    finally:
        session.rollback()


def test_a_document_already_valid_until_the_target_is_not_extended(session: Session) -> None:
    person = add_person(session, nationality="UZB")
    on_target = add_document(session, person, dt.date(2020, 6, 30))
    day_before = add_document(session, person, dt.date(2020, 6, 29))
    measure = add_measure(session, actions=[{"extend": {"to": "2020-06-30"}}])
    counts = _pass(session, measure)
    assert counts.documents == 1
    effects = session.scalars(select(MeasureEffect.document_id)).all()
    assert effects == [day_before.id] and on_target.id not in effects


def test_a_message_lists_every_document_of_the_person(session: Session) -> None:
    person = add_person(session, nationality="UZB")
    held = [add_document(session, person, dt.date(2020, 4, d)) for d in (1, 2)]
    measure = add_measure(session, actions=[{"extend": {"to": "2020-06-30"}}])
    counts = _pass(session, measure)
    assert (counts.documents, counts.messages) == (2, 1)
    (message,) = _messages(session, "stay.extended")
    body = message.body
    # Ids as the database writes them (SQLite: hex without dashes); the worker reads them.
    assert uuid.UUID(body["person_id"]) == person.id
    assert uuid.UUID(body["measure_id"]) == measure.id
    assert {uuid.UUID(d["document_id"]) for d in body["documents"]} == {d.id for d in held}
    assert {d["new_until"] for d in body["documents"]} == {"2020-06-30"}
    assert measure.reference in body["measure"]


def test_a_slice_of_documents_extends_only_those(session: Session) -> None:
    person = add_person(session)
    first, second = (add_document(session, person, dt.date(2020, 4, d)) for d in (1, 2))
    measure = add_measure(session)
    counts = _pass(session, measure, Slice(document_ids=(second.id,)))
    assert counts.documents == 1
    session.expire_all()
    assert (first.valid_until, second.valid_until) == (dt.date(2020, 4, 1), dt.date(2020, 6, 30))


def test_a_violation_slice_touches_no_document(session: Session) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 4, 1))
    violation = add_violation(session, person, start=dt.date(2020, 4, 2))
    measure = add_measure(
        session, actions=[{"extend": {"to": "2020-06-30"}}, {"waive": {"kinds": ["overstay"]}}]
    )
    counts = _pass(session, measure, Slice(violation_ids=(violation.id,)))
    assert (counts.documents, counts.violations) == (0, 1)
    session.expire_all()
    assert document.valid_until == dt.date(2020, 4, 1)


def test_a_later_measure_judges_by_the_end_date_before_any_measure(session: Session) -> None:
    """Extended to 30 June by one measure, a document ending on 1 April is still in the scope
    'expires in March–April' of another, which extends it further only if it grants more."""
    document = add_document(session, add_person(session), dt.date(2020, 4, 1))
    first = add_measure(session)
    _pass(session, first)
    scope = {"expires_between": {"from": "2020-03-01", "to": "2020-04-30"}}
    shorter = add_measure(session, scope=scope, actions=[{"extend": {"to": "2020-05-31"}}])
    longer = add_measure(session, scope=scope, actions=[{"extend": {"by_days": 120}}])
    assert _pass(session, shorter).documents == 0
    assert _pass(session, longer).documents == 1
    session.expire_all()
    assert document.valid_until == dt.date(2020, 4, 1) + dt.timedelta(days=120)
    olds = session.scalars(select(MeasureEffect.old_until).order_by(MeasureEffect.old_until))
    assert list(olds) == [dt.date(2020, 4, 1), dt.date(2020, 6, 30)]


def test_candidates_are_listed_without_writing(session: Session) -> None:
    document = add_document(session, add_person(session), dt.date(2020, 4, 1))
    measure = add_measure(session)
    plan = plan_for(measure, TODAY)
    query = extension_candidates(plan, session.get_bind().dialect, Slice())
    rows = session.execute(query).all()
    assert [(r.document_id, r.new_until, r.base_until) for r in rows] == [
        (document.id, dt.date(2020, 6, 30), dt.date(2020, 4, 1))
    ]
    assert session.scalar(select(func.count()).select_from(MeasureEffect)) == 0


def test_waivers_take_recorded_violations_of_the_kinds_overlapping_the_window(
    session: Session,
) -> None:
    start, end = PERIOD
    uzbek, kyrgyz = add_person(session, nationality="UZB"), add_person(session, nationality="KGZ")
    waived = [
        add_violation(session, uzbek, start=start - dt.timedelta(days=5), end=start),
        add_violation(session, uzbek, start=end, end=None),  # still going
        add_violation(session, kyrgyz, start=start, kind=ViolationKind.MISSING_REGISTRATION),
    ]
    kept = [
        add_violation(session, uzbek, start=end + dt.timedelta(days=1)),  # after the window
        add_violation(session, uzbek, start=dt.date(2020, 1, 1), end=start - dt.timedelta(1)),
        add_violation(session, uzbek, start=start, kind=ViolationKind.WORK_WITHOUT_PERMIT),
        add_violation(session, kyrgyz, start=start, status=ViolationStatus.PAID),
    ]
    measure = add_measure(
        session,
        actions=[{"waive": {"kinds": ["overstay", "missing_registration"]}}],
    )
    counts = _pass(session, measure)
    assert (counts.documents, counts.violations) == (0, len(waived))
    session.expire_all()
    assert all(v.status is ViolationStatus.WAIVED for v in waived)
    assert all(v.waived_by_measure_id == measure.id for v in waived)
    assert [v.status for v in kept] == [
        ViolationStatus.RECORDED,
        ViolationStatus.RECORDED,
        ViolationStatus.RECORDED,
        ViolationStatus.PAID,
    ]
    # One message for the Uzbek (two violations waived, one peer); none for KGZ (no peer).
    (message,) = _messages(session, "violation.waived")
    assert message.subject_id == uzbek.id and counts.messages == 1
    assert {uuid.UUID(v["violation_id"]) for v in message.body["violations"]} == {
        waived[0].id,
        waived[1].id,
    }
    assert _pass(session, measure).violations == 0


def test_a_waiver_with_its_own_window_and_scope(session: Session) -> None:
    uzbek, kyrgyz = add_person(session, nationality="UZB"), add_person(session, nationality="KGZ")
    early = add_violation(session, uzbek, start=dt.date(2020, 1, 10), end=dt.date(2020, 1, 20))
    other = add_violation(session, kyrgyz, start=dt.date(2020, 1, 10), end=dt.date(2020, 1, 20))
    measure = add_measure(
        session,
        actions=[
            {
                "waive": {
                    "kinds": ["overstay"],
                    "committed_between": {"from": "2020-01-01", "to": "2020-01-31"},
                    "scope": {"nationality": ["UZB"]},
                }
            }
        ],
    )
    assert _pass(session, measure).violations == 1
    session.expire_all()
    assert (early.status, other.status) == (ViolationStatus.WAIVED, ViolationStatus.RECORDED)


def test_a_waiver_scope_on_documents_judges_by_the_base_end_date(session: Session) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 4, 1))
    add_effect(session, add_measure(session), document, dt.date(2020, 4, 1), dt.date(2020, 9, 1))
    violation = add_violation(session, person, start=dt.date(2020, 4, 2))
    measure = add_measure(
        session,
        actions=[
            {
                "waive": {
                    "kinds": ["overstay"],
                    "scope": {"expires_between": {"from": "2020-03-01", "to": "2020-04-30"}},
                }
            }
        ],
    )
    assert _pass(session, measure).violations == 1
    session.expire_all()
    assert session.get(Violation, violation.id).status is ViolationStatus.WAIVED  # type: ignore[union-attr]


def test_pass_counts_add_up() -> None:
    total = PassCounts()
    total.add(PassCounts(documents=2, messages=1, violations=0))
    total.add(PassCounts(documents=1, messages=0, violations=3))
    assert total == PassCounts(documents=3, messages=1, violations=3)
