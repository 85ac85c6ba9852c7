"""kervan/exchange/consular.py: the consulate's view of nationals abroad — its search keys,
the prefix range at the end of the alphabet, numbers matched exactly, cursors it did not give
out refused, and nothing shown to a consul of another state. (Spellings and paging across the
ranks: tests/functional/test_exchange_consular_search.py.)"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import InvalidInput, NotFound
from kervan.exchange import consular
from kervan.exchange.models import NationalAbroadDocument
from kervan.identity.names import fold

NODE = "UZB"
CONSUL = Principal(user_id=None, username="consul", role=Role.CONSULAR_OFFICER, state=NODE)
FOREIGN_CONSUL = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="KAZ")


def _abroad(session: Session, surname: str, *, passport: str = "", number: str = "") -> uuid.UUID:
    folded, skeleton = consular.search_keys(surname)
    document_id = uuid.uuid4()
    session.add(
        NationalAbroadDocument(
            host_state="KAZ",
            document_id=document_id,
            person_id=uuid.uuid4(),
            primary_identifier=surname,
            birth_year=1990,
            travel_document_number=passport,
            kind="temporary_residence",
            number=number or f"KZ-{document_id.hex[:6]}",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 1, 1),
            status="active",
            last_event="stay.issued",
            envelope_id=uuid.uuid4(),
            name_folded=folded,
            name_skeleton=skeleton,
        )
    )
    session.flush()
    return document_id


def _names(session: Session, query: str, principal: Principal = CONSUL) -> list[str]:
    found, _ = consular.search(session, principal, NODE, query=query)
    return [n.primary_identifier for n in found]


@settings(max_examples=40)
@given(st.text(max_size=30))
def test_the_search_keys_are_the_fold_and_its_first_words_skeleton(name: str) -> None:
    folded, skeleton = consular.search_keys(name)
    assert folded == fold(name)[:200] and len(skeleton) <= 100
    assert (skeleton == "") == (folded.split() == [])


def test_a_prefix_at_the_end_of_the_alphabet_still_finds_its_names(session: Session) -> None:
    for surname in ("ZZYZX", "ZUEV", "ZAITSEV", "ZHUKOV", "TOKAREV"):
        _abroad(session, surname)
    # Z has no letter after it: the range is open-ended. By folded name (ZHUKOV folds to
    # IUKOV, and is found by its name as written).
    assert _names(session, "Z") == ["ZHUKOV", "ZAITSEV", "ZZYZX", "ZUEV"]
    assert _names(session, "ZU") == ["ZUEV"]  # ends before ZV


def test_a_query_with_a_digit_matches_a_number_exactly(session: Session) -> None:
    _abroad(session, "KARIMOV", passport="FA1234567")
    _abroad(session, "KARIMOVA", number="KZ-77")
    assert _names(session, "fa1234567") == ["KARIMOV"]
    assert _names(session, "kz-77") == ["KARIMOVA"]
    assert _names(session, "FA123") == []  # a number is never a prefix


def test_a_query_that_folds_to_nothing_finds_nothing(session: Session) -> None:
    _abroad(session, "KARIMOV")
    assert _names(session, "---") == []
    assert _names(session, "") == ["KARIMOV"]  # no query: the whole list


def test_a_consul_of_another_state_sees_none_of_our_nationals(session: Session) -> None:
    document = _abroad(session, "KARIMOV")
    assert _names(session, "", FOREIGN_CONSUL) == []
    with pytest.raises(NotFound):
        consular.detail(session, FOREIGN_CONSUL, NODE, "KAZ", document)
    assert consular.waivers_of(session, FOREIGN_CONSUL, NODE, "KAZ", uuid.uuid4()) == []
    found, envelope, receipt = consular.detail(session, CONSUL, NODE, "kaz", document)
    assert found.document_id == document and (envelope, receipt) == ("", None)


def test_pages_follow_each_other_and_a_forged_cursor_is_refused(session: Session) -> None:
    for surname in ("ALIEV", "ALIEVA", "ALIMOV"):
        _abroad(session, surname)
    first, cursor = consular.search(session, CONSUL, NODE, query="ALI", limit=2)
    assert cursor is not None
    rest, end = consular.search(session, CONSUL, NODE, query="ALI", limit=2, cursor=cursor)
    assert [n.primary_identifier for n in first + rest] == ["ALIEV", "ALIEVA", "ALIMOV"]
    assert end is None
    with pytest.raises(InvalidInput):
        consular.search(session, CONSUL, NODE, query="", cursor=cursor)  # another query's
    with pytest.raises(InvalidInput):
        consular.search(session, CONSUL, NODE, query="ALI", cursor="bm90IGEgY3Vyc29y")
