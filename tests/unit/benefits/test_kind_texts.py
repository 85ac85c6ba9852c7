"""A benefit kind's name and description in several languages (``kervan.benefits.kind_texts``):
a description in one language is read in the name's original language; an edit keeps the
original first and the single-language column in step; a kind must keep a name."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.benefits import messages
from kervan.benefits.kind_texts import check_texts, kind_texts, revise, set_kind_texts
from kervan.errors import InvalidInput
from tests.unit.benefits.support import add_kind


def test_a_description_in_one_language_takes_the_names_language(session: Session) -> None:
    kind = add_kind(session)
    kind.names, kind.description, kind.descriptions = {"ru": "Жильё"}, "Временное жильё", {}
    assert kind_texts(kind)["descriptions"] == {"ru": "Временное жильё"}
    kind.description = ""
    assert kind_texts(kind)["descriptions"] == {}


def test_an_edit_keeps_the_original_language_first(session: Session) -> None:
    kind = add_kind(session)
    kind.names = {"ru": "Жильё", "en": "Shelter"}
    revised = revise(kind, {"names": {"kk": "Баспана", "en": "Shelter", "ru": "Жильё"}})
    assert list(revised["names"]) == ["ru", "en", "kk"]
    assert revised["descriptions"] == kind_texts(kind)["descriptions"]


def test_a_kind_without_a_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_texts({"names": {}, "descriptions": {"en": "x"}})
    assert caught.value.code == messages.TEXTS_INVALID
    assert [e.code for e in caught.value.errors] == [messages.NAME_REQUIRED]


def test_saving_updates_the_description_column_and_reports_changes(
    session: Session, officer: Principal
) -> None:
    kind = add_kind(session)
    kind.names, kind.descriptions, kind.description = {"en": "Shelter"}, {}, ""
    assert set_kind_texts(session, officer, kind, kind_texts(kind)) == []
    changes = set_kind_texts(
        session,
        officer,
        kind,
        {"descriptions": {"ru": "Временное жильё", "en": "Temporary shelter"}},
    )
    assert {(c.field, c.language) for c in changes} == {
        ("descriptions", "ru"),
        ("descriptions", "en"),
    }
    assert kind.description == "Временное жильё"  # the original (first) language's text
    set_kind_texts(session, officer, kind, {"descriptions": {}})
    assert (kind.descriptions, kind.description) == ({}, "")
