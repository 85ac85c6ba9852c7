"""A measure's texts in several languages (``kervan.measures.texts``): a legal act written in
one language is read in the title's original language; an edit replaces the fields sent and
keeps the original language first; every problem is reported at once; nothing changed means
nothing saved, and only an announced measure is announced again."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.errors import InvalidInput
from kervan.measures import messages
from kervan.measures.models import MeasureStatus
from kervan.measures.texts import MAX_LEGAL_ACT, check_texts, measure_texts, revise, set_texts
from tests.unit.measures.support import add_measure


def test_a_legal_act_in_one_language_takes_the_titles_language(session: Session) -> None:
    measure = add_measure(session)
    measure.title, measure.legal_act, measure.legal_act_texts = {"ru": "ЧП"}, "Указ", {}
    assert measure_texts(measure)["legal_act"] == {"ru": "Указ"}
    measure.title = {}
    assert measure_texts(measure)["legal_act"] == {"en": "Указ"}
    measure.legal_act_texts = {"kk": "Жарлық", "ru": "Указ"}
    assert measure_texts(measure)["legal_act"] == {"kk": "Жарлық", "ru": "Указ"}


def test_an_edit_replaces_the_fields_sent_and_keeps_the_original_first(session: Session) -> None:
    measure = add_measure(session)
    measure.title = {"ru": "ЧП", "en": "Emergency"}
    measure.summary = {"en": "Summary"}
    revised = revise(measure, {"title": {"en": "State of emergency", "kk": "ТЖ", "ru": "ЧП"}})
    assert list(revised["title"]) == ["ru", "en", "kk"]
    assert revised["summary"] == {"en": "Summary"}
    dropped = revise(measure, {"title": {"ru": "", "en": "Emergency"}, "summary": {}})
    assert dropped["title"] == {"en": "Emergency"} and dropped["summary"] == {}


def test_every_problem_of_the_texts_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_texts({"title": {}, "summary": {}, "legal_act": {}})
    assert {e.field for e in caught.value.errors} == {"title", "legal_act"}
    long_act = {"title": {"en": "t"}, "summary": {}, "legal_act": {"ru": "x" * (MAX_LEGAL_ACT + 1)}}
    with pytest.raises(InvalidInput) as caught:
        check_texts(long_act)
    (error,) = caught.value.errors
    assert (error.field, error.code) == ("legal_act-ru", messages.TEXT_TOO_LONG)
    check_texts({"title": {"en": "t"}, "summary": {}, "legal_act": {"en": "x" * MAX_LEGAL_ACT}})


def test_saving_the_same_texts_changes_nothing(session: Session, officer: Principal) -> None:
    measure = add_measure(session, status=MeasureStatus.DRAFT)
    assert set_texts(session, officer, measure.id, measure_texts(measure), own_state="KAZ") == []


def test_saving_new_texts_reports_each_change_and_keeps_the_act_column(
    session: Session, officer: Principal
) -> None:
    measure = add_measure(session, status=MeasureStatus.DRAFT)
    measure.title, measure.legal_act, measure.legal_act_texts = {"ru": "ЧП"}, "Указ", {}
    changes = set_texts(
        session,
        officer,
        measure.id,
        {"title": {"ru": "ЧП", "en": "Emergency"}, "legal_act": {"ru": "Указ 285"}},
        own_state="KAZ",
    )
    assert {(c.field, c.language, c.before, c.after) for c in changes} == {
        ("title", "en", "", "Emergency"),
        ("legal_act", "ru", "Указ", "Указ 285"),
    }
    assert measure.title == {"ru": "ЧП", "en": "Emergency"}
    assert measure.legal_act == "Указ 285"  # the original language's text
