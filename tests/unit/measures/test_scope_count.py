"""How many documents or persons a scope reaches today (``kervan.measures.scope_count``):
active documents only, a consul only their own nationals, checked against a plain Python
predicate over small random registers; a scope the language refuses raises ``ScopeError``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal, Role
from kervan.measures.scope import ScopeError
from kervan.measures.scope_count import documents_in_scope, persons_in_scope
from kervan.registry.enums import StayKind, StayStatus
from tests.unit.measures.support import ON_DATABASE, TODAY, add_document, add_person

NATIONALITIES = ["UZB", "KGZ", "TJK"]
KINDS = [StayKind.VISA, StayKind.WORK_PERMIT]
documents = st.tuples(st.sampled_from(KINDS), st.booleans())
persons = st.tuples(st.sampled_from(NATIONALITIES), st.lists(documents, max_size=3))


@ON_DATABASE
@given(
    register=st.lists(persons, max_size=5),
    nationalities=st.lists(st.sampled_from(NATIONALITIES), min_size=1, unique=True),
    kinds=st.none() | st.lists(st.sampled_from(KINDS), min_size=1, unique=True),
)
def test_the_counts_are_those_of_the_plain_rule(
    session: Session,
    officer: Principal,
    register: list[tuple[str, list[tuple[StayKind, bool]]]],
    nationalities: list[str],
    kinds: list[StayKind] | None,
) -> None:
    scope: dict[str, object] = {"nationality": nationalities}
    if kinds is not None:
        scope = {"all": [scope, {"document_kind": [k.value for k in kinds]}]}
    try:
        expected_documents, expected_persons = 0, 0
        for nationality, held in register:
            person = add_person(session, nationality=nationality)
            matching = 0
            for kind, active in held:
                status = StayStatus.ACTIVE if active else StayStatus.REVOKED
                add_document(session, person, dt.date(2020, 6, 1), kind=kind, status=status)
                if nationality in nationalities and (kinds is None or kind in kinds):
                    matching += 1
                    expected_documents += active
            # A person matches with one matching document (any status) or, when the scope
            # names no documents, by nationality alone.
            expected_persons += nationality in nationalities and (kinds is None or matching > 0)
        assert documents_in_scope(session, officer, scope, today=TODAY) == expected_documents
        counted = persons_in_scope(
            session, officer, scope, today=TODAY, permission=Permission.BENEFITS_CONFIGURE
        )
        assert counted == expected_persons
    finally:
        session.rollback()


def test_a_consul_counts_only_their_own_nationals(session: Session) -> None:
    for nationality in ("UZB", "UZB", "KGZ"):
        add_document(session, add_person(session, nationality=nationality), dt.date(2020, 6, 1))
    consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="UZB")
    counted = persons_in_scope(
        session, consul, {}, today=TODAY, permission=Permission.BENEFITS_READ
    )
    assert counted == 2


def test_a_scope_the_language_refuses_is_an_error(session: Session, officer: Principal) -> None:
    with pytest.raises(ScopeError):
        documents_in_scope(session, officer, {"nationalty": ["UZB"]}, today=TODAY)
