"""The report's counts over the register (``kervan.reports.queries``): each person counted
once by their principal document, in the standing the module's docstring defines on the
reference date, and the three presence tables adding up to the same nationality totals — the
same numbers on SQLite (a query per table) and PostgreSQL (one pass with GROUPING SETS)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.measures.models import MeasureStatus
from kervan.registry.enums import StayEventKind, StayKind, StayStatus
from kervan.registry.models import Person, StayDocument, StayDocumentEvent
from kervan.reports import queries
from kervan.reports.period import Period
from kervan.reports.tables import Key
from tests.unit.measures.support import (
    ON_DATABASE,
    add_document,
    add_effect,
    add_measure,
    add_person,
    add_violation,
)

R = dt.date(2020, 5, 1)
PERIOD = Period(R)  # 25 April to 1 May 2020
LATER = dt.date(2020, 12, 31)
WORK = StayKind.WORK_PERMIT.value


def _event(session: Session, document: StayDocument, kind: StayEventKind, at: dt.datetime) -> None:
    session.add(
        StayDocumentEvent(document_id=document.id, kind=kind, at=at, actor="test", reason="")
    )
    session.flush()


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def _by_nationality(table: dict[Key, int]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for key, count in table.items():
        totals[key[0]] += count
    return totals


def test_each_standing_on_the_reference_date(session: Session) -> None:
    valid = add_document(session, add_person(session), LATER)
    add_document(session, add_person(session), dt.date(2020, 4, 1))  # ended: overstaying
    add_document(session, add_person(session), LATER, status=StayStatus.REVOKED)
    departed = add_document(session, add_person(session), LATER, status=StayStatus.CANCELLED)
    _event(session, departed, StayEventKind.CANCELLED, _at(dt.date(2020, 4, 28)))
    gone = add_document(session, add_person(session), LATER, status=StayStatus.CANCELLED)
    _event(session, gone, StayEventKind.CANCELLED, _at(dt.date(2020, 3, 1)))  # before: not counted
    covered = add_document(session, add_person(session), dt.date(2020, 4, 20))
    add_effect(session, add_measure(session), covered, dt.date(2020, 4, 20), dt.date(2020, 6, 30))
    add_document(session, add_person(session), LATER, valid_from=dt.date(2020, 5, 2))  # future
    presence = queries.presence(session, PERIOD)
    assert presence.by_standing == {
        ("UZB", "valid", WORK): 1,
        ("UZB", "covered", WORK): 1,
        ("UZB", "overstaying", WORK): 2,
        ("UZB", "departed", WORK): 1,
    }
    assert valid.region is None and presence.by_region == {("UZB", queries.NO_REGION): 5}


def test_a_person_counts_once_by_the_active_document_ending_last(session: Session) -> None:
    person = add_person(session, nationality="KGZ")
    add_document(session, person, dt.date(2020, 2, 1))
    add_document(session, person, dt.date(2020, 4, 10), kind=StayKind.TEMPORARY_RESIDENCE)
    add_document(session, person, dt.date(2022, 1, 1), status=StayStatus.CANCELLED)
    presence = queries.presence(session, PERIOD)
    residence = StayKind.TEMPORARY_RESIDENCE.value
    assert presence.by_standing == {("KGZ", "overstaying", residence): 1}


@ON_DATABASE
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["UZB", "KGZ", "TJK"]),
            st.integers(1940, 2019),
            st.sampled_from([dt.date(2020, 1, 1), LATER]),
            st.sampled_from([StayStatus.ACTIVE, StayStatus.REVOKED]),
            st.sampled_from([None, "KZ-ALA", "KZ-AST"]),
        ),
        max_size=6,
    )
)
def test_the_three_presence_tables_publish_the_same_nationality_totals(
    session: Session, people: list[tuple[str, int, dt.date, StayStatus, str | None]]
) -> None:
    with session.begin_nested() as example:
        for nationality, born, until, status, region in people:
            document = add_document(
                session,
                add_person(session, nationality=nationality, birth_year=born),
                until,
                status=status,
            )
            document.region = region
        session.flush()
        presence = queries.presence(session, PERIOD)
        expected = Counter(nationality for nationality, *_ in people)
        assert _by_nationality(presence.by_standing) == expected
        assert _by_nationality(presence.by_person) == expected
        assert _by_nationality(presence.by_region) == expected
        assert {key[2] for key in presence.by_person} <= set(queries.AGE_BANDS)
        example.rollback()


def test_age_bands_on_the_reference_year(session: Session) -> None:
    for born in (2003, 2002, 1986, 1985, 1966, 1965):
        add_document(session, add_person(session, birth_year=born), LATER)
    bands = {key[2]: n for key, n in queries.presence(session, PERIOD).by_person.items()}
    assert bands == {"0-17": 1, "18-34": 2, "35-54": 2, "55+": 1}


def test_document_flows_count_the_periods_events_but_corrections(session: Session) -> None:
    document = add_document(session, add_person(session), LATER)
    inside = _at(dt.date(2020, 4, 25), 0)
    for kind in StayEventKind:
        _event(session, document, kind, inside)
    _event(session, document, StayEventKind.ISSUED, _at(dt.date(2020, 5, 2), 0))
    _event(session, document, StayEventKind.ISSUED, inside - dt.timedelta(seconds=1))
    assert queries.document_flows(session, PERIOD) == {
        ("UZB", WORK, "issued"): 1,
        ("UZB", WORK, "extended"): 1,
        ("UZB", WORK, "closed"): 2,  # revoked and cancelled
    }


def test_violations_recorded_in_the_period(session: Session) -> None:
    person = add_person(session)
    inside = add_violation(session, person, start=dt.date(2020, 4, 1))
    inside.recorded_at = _at(dt.date(2020, 4, 30))
    before = add_violation(session, person, start=dt.date(2020, 1, 1))
    before.recorded_at = _at(dt.date(2020, 1, 2))
    session.flush()
    found = queries.violations(session, PERIOD)
    assert sum(found.values()) == 1 and next(iter(found))[0] == "UZB"


def test_measures_in_force_on_the_reference_date_with_whom_they_reached(session: Session) -> None:
    reaching = add_measure(session, reference="M-REACH", period=(dt.date(2020, 4, 1), R))
    for _ in range(2):
        document = add_document(session, add_person(session), dt.date(2020, 4, 20))
        add_effect(session, reaching, document, dt.date(2020, 4, 20), dt.date(2020, 6, 30))
    add_measure(session, reference="M-NONE", period=(R, R))
    add_measure(session, reference="M-OVER", period=(dt.date(2020, 1, 1), dt.date(2020, 4, 30)))
    add_measure(session, reference="M-DRAFT", status=MeasureStatus.DRAFT, period=(R, R))
    assert queries.measures_reach(session, PERIOD) == {("M-REACH",): 2, ("M-NONE",): 0}
    assert queries.measure_titles(session, ["M-NONE", "M-NONE"]) == {
        "M-NONE": {"en": "test measure"}
    }
    assert queries.measure_titles(session, []) == {} == queries.benefit_names(session, [])


def test_nothing_registered_counts_nothing(session: Session) -> None:
    presence = queries.presence(session, PERIOD)
    assert presence.by_standing == presence.by_person == presence.by_region == {}
    assert session.query(Person).count() == 0
