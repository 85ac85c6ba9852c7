"""What the exit check asks of measures (``kervan.border.measures_link``): how a measure is
cited, which measure gave a document its current end date, and the waiver citation."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from kervan.border.measures_link import (
    citation,
    cite,
    extension_citation,
    legal_basis,
    overstay_waiver,
)
from tests.unit.measures.support import PERIOD, add_document, add_effect, add_measure, add_person

T0 = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)


def test_the_legal_basis_names_the_number_only_when_there_is_one(session: Session) -> None:
    measure = add_measure(session)
    assert legal_basis(measure) == f"test of {PERIOD[0].isoformat()}"
    measure.legal_number = "285"
    assert legal_basis(measure) == f"test No. 285 of {PERIOD[0].isoformat()}"


def test_a_citation_carries_the_titles_and_the_effect(session: Session) -> None:
    measure = add_measure(session)
    measure.title = {"en": "Emergency", "ru": "ЧП"}
    cited = cite(measure, "extends")
    assert (cited.id, cited.reference, cited.effect) == (measure.id, measure.reference, "extends")
    assert cited.title == "Emergency" and cited.titles == {"en": "Emergency", "ru": "ЧП"}
    assert cited.legal_number == "" and cited.legal_date == PERIOD[0]
    assert citation(session, measure.id, "waives") == cite(measure, "waives")
    assert citation(session, uuid.uuid4(), "waives") is None


def test_the_extension_cited_is_the_one_that_gave_the_current_end_date(session: Session) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 4, 1))
    assert extension_citation(session, document) is None
    shorter = add_measure(session, in_force_at=T0)
    longer = add_measure(session, in_force_at=T0 + dt.timedelta(days=1))
    add_effect(session, longer, document, dt.date(2020, 4, 1), dt.date(2020, 8, 31))
    add_effect(session, shorter, document, dt.date(2020, 4, 1), dt.date(2020, 6, 30))
    cited = extension_citation(session, document)
    assert cited is not None and cited.id == longer.id and cited.effect == "extends"


def test_an_overstay_waiver_is_cited_as_waiving(session: Session) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 3, 20))
    assert overstay_waiver(session, person, document, since=PERIOD[0], today=PERIOD[0]) is None
    measure = add_measure(session, actions=[{"waive": {"kinds": ["overstay"]}}])
    cited = overstay_waiver(session, person, document, since=PERIOD[0], today=PERIOD[0])
    assert cited is not None and (cited.id, cited.effect) == (measure.id, "waives")
