"""Coded sentences reach the officer with their params as they read them: states by name,
dates in their locale, register vocabularies by label, measures by title, ids left out."""

from __future__ import annotations

import datetime as dt

from kervan import messages
from kervan.measures.messages import MESSAGES as MEASURE_MESSAGES
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import coded_text, officer_param, saw_text

messages.add_messages(MEASURE_MESSAGES)
RU = Translator("ru")


def test_states_dates_and_vocabularies() -> None:
    assert officer_param(RU, "state", "UZB") == "Узбекистан"
    assert officer_param(RU, "nationalities", ["KAZ", "KGZ"]) == "Казахстан, Киргизия"
    assert officer_param(RU, "start", "2026-03-16") == "16 мар. 2026\u202fг."
    assert officer_param(RU, "start", dt.date(2026, 3, 16)) == "16 мар. 2026\u202fг."
    assert officer_param(RU, "kinds", ["work_permit"]) == "Разрешение на работу"
    assert officer_param(RU, "number", "AB123") == "AB123"
    assert officer_param(RU, "state", "nowhere") == "nowhere"  # not a code: as written


def test_a_scope_clause_in_russian() -> None:
    text = coded_text(
        RU,
        "scope.expires-between",
        {"start": "2020-03-16", "end": "2020-05-15"},
        "document expires between 2020-03-16 and 2020-05-15",
    )
    assert "16 мар. 2020\u202fг." in text and "15 мая 2020\u202fг." in text
    assert "expires" not in text


def test_a_measure_by_its_title_in_the_officers_language() -> None:
    title = {"ru": "Весна 2020", "en": "Spring 2020"}
    text = coded_text(RU, "measures.extended-by", {"measure": title}, "extended by measure X")
    assert "Весна 2020" in text and "Spring" not in text
    english = coded_text(Translator("en"), "measures.extended-by", {"measure": title}, "")
    assert english == "Extended by the measure Spring 2020"


def test_what_a_clause_saw_is_labelled_and_names_no_ids() -> None:
    saw = {"valid_until": "2020-04-01", "measure_id": "0190…", "minor": True}
    shown = saw_text(RU, saw)
    assert "0190" not in shown and "valid_until" not in shown
    assert "1 апр. 2020\u202fг." in shown and "да" in shown


def test_one_full_stop_after_a_date_that_ends_with_one() -> None:
    day = officer_param(RU, "date", "2026-03-03")
    assert RU.gettext("Valid until %(date)s.", date=day).endswith("2026\u202fг.")
    hungarian = Translator("hu")
    day = officer_param(hungarian, "date", "2026-03-03")
    assert hungarian.gettext("Until %(date)s.", date=day) == f"Until {day}"
    assert RU.gettext("Count %(n)s.", n=3) == "Count 3."
