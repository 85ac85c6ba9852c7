"""Preview (``kervan.measures.preview``): the same documents a pass would extend, counted by
nationality and kind with a bounded sample; the violations each waiver would reach; for each
other measure in force, the documents both would extend and which gives the later date."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.errors import Conflict
from kervan.measures import messages
from kervan.measures.models import MeasureStatus
from kervan.measures.preview import SAMPLE_SIZE, preview_measure
from kervan.registry.enums import StayKind, StayStatus
from tests.unit.measures.support import (
    TODAY,
    add_document,
    add_measure,
    add_person,
    add_violation,
)

APRIL = dt.date(2020, 4, 1)


def test_the_preview_counts_what_a_pass_would_extend(session: Session, officer: Principal) -> None:
    uzbek, kyrgyz = add_person(session, nationality="UZB"), add_person(session, nationality="KGZ")
    add_document(session, uzbek, APRIL)
    add_document(session, uzbek, APRIL, kind=StayKind.VISA)
    add_document(session, kyrgyz, APRIL)
    add_document(session, kyrgyz, APRIL, status=StayStatus.REVOKED)  # not active
    add_document(session, kyrgyz, dt.date(2020, 12, 1))  # already valid longer
    measure = add_measure(session, status=MeasureStatus.DRAFT)
    result = preview_measure(session, officer, measure.id, today=TODAY, reason="check")
    assert (result["documents"], result["persons"]) == (3, 2)
    groups = {(g["nationality"], g["kind"]): g["documents"] for g in result["by_nationality_kind"]}
    assert groups == {("UZB", "work_permit"): 1, ("UZB", "visa"): 1, ("KGZ", "work_permit"): 1}
    assert {s["would_extend_to"] for s in result["sample"]} == {"2020-06-30"}
    assert measure.status is MeasureStatus.PREVIEWED and measure.preview == result


def test_the_sample_is_bounded(session: Session, officer: Principal) -> None:
    person = add_person(session)
    for _ in range(SAMPLE_SIZE + 3):
        add_document(session, person, APRIL)
    measure = add_measure(session, status=MeasureStatus.DRAFT)
    result = preview_measure(session, officer, measure.id, today=TODAY)
    assert result["documents"] == SAMPLE_SIZE + 3 and len(result["sample"]) == SAMPLE_SIZE


def test_waivers_are_counted_by_nationality_and_kind(session: Session, officer: Principal) -> None:
    person = add_person(session, nationality="UZB")
    for _ in range(2):
        add_violation(session, person, start=APRIL)
    measure = add_measure(
        session, status=MeasureStatus.DRAFT, actions=[{"waive": {"kinds": ["overstay"]}}]
    )
    result = preview_measure(session, officer, measure.id, today=TODAY)
    assert result["documents"] == 0 and result["sample"] == []
    assert result["violations"] == [{"nationality": "UZB", "kind": "overstay", "violations": 2}]


def test_an_overlap_says_which_measure_gives_the_later_date(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    for until in (APRIL, dt.date(2020, 7, 20)):
        add_document(session, person, until)
    in_force = add_measure(session, actions=[{"extend": {"by_days": 30}}])
    waiver_only = add_measure(session, actions=[{"waive": {"kinds": ["overstay"]}}])
    draft = add_measure(session, status=MeasureStatus.DRAFT)  # to 30 June
    overlaps = {
        o["measure_id"]: o
        for o in preview_measure(session, officer, draft.id, today=TODAY)["overlaps"]
    }
    # April: 30 June beats 1 May; July: 19 August beats 30 June.
    assert overlaps[str(in_force.id)] | {"measure_id": None} == {
        "measure_id": None,
        "reference": in_force.reference,
        "documents": 2,
        "this_wins": 1,
        "other_wins": 1,
    }
    assert overlaps[str(waiver_only.id)]["documents"] == 0


@pytest.mark.parametrize("status", [MeasureStatus.IN_FORCE, MeasureStatus.LIFTED])
def test_only_a_draft_or_previewed_measure_is_previewed(
    session: Session, officer: Principal, status: MeasureStatus
) -> None:
    measure = add_measure(session, status=status)
    with pytest.raises(Conflict) as caught:
        preview_measure(session, officer, measure.id, today=TODAY)
    assert caught.value.code == messages.WRONG_STATUS
