"""kervan/diplomacy/accreditations.py: one accreditation per (accrediting state, card) — a card
seen again updates it, a card of another state's staff is refused; a withdrawal stays; a
file is taken whole or not at all, every bad row named; a consul sees their own staff only.
(Passes stopped by a withdrawal, signed lists: tests/functional/test_diplomacy_api.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.diplomacy import accreditations, error_codes
from kervan.diplomacy.models import AccreditationSource
from kervan.diplomacy.schemas import AccreditationCreate, ListedAccreditation
from kervan.errors import Conflict, InvalidInput, NotFound

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _card(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "home_state": "UZB",
        "card_number": "D-0042",
        "primary_identifier": "KARIMOV",
        "secondary_identifier": "ULUGBEK",
        "mission": "Embassy of Uzbekistan",
        "function": "attaché",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
    }
    values.update(fields)
    return values


def _add(session: Session, officer: Principal, **fields: Any) -> Any:
    data = AccreditationCreate.model_validate(_card(**fields))
    return accreditations.add_accreditation(session, officer, data, node_state="KAZ", now=NOW)


def test_a_card_seen_again_updates_its_accreditation(session: Session, officer: Principal) -> None:
    first = _add(session, officer)
    assert first.accredited_in == "KAZ" and first.name_as_written == "KARIMOV ULUGBEK"
    again = _add(session, officer, function="first secretary")
    assert again.id == first.id and again.function == "first secretary"
    elsewhere = _add(session, officer, accredited_in="TUR")  # the same card number, in Turkey
    assert elsewhere.id != first.id


def test_a_card_of_another_states_staff_is_refused(session: Session, officer: Principal) -> None:
    _add(session, officer)
    with pytest.raises(Conflict) as caught:
        _add(session, officer, home_state="TUR")
    assert caught.value.code == error_codes.CARD_OTHER_STATE


def test_an_accreditation_that_ends_before_it_begins_is_refused(
    session: Session, officer: Principal
) -> None:
    with pytest.raises(InvalidInput):
        _add(session, officer, valid_from="2027-01-01", valid_until="2026-01-01")


def test_a_withdrawal_stays_and_is_not_made_twice(session: Session, officer: Principal) -> None:
    found = _add(session, officer)
    accreditations.withdraw(session, officer, found.id, "recalled", node_state="KAZ", now=NOW)
    with pytest.raises(Conflict) as caught:
        accreditations.withdraw(session, officer, found.id, "again", node_state="KAZ", now=NOW)
    assert caught.value.code == error_codes.ALREADY_WITHDRAWN
    listed = ListedAccreditation.model_validate(_card(function="counsellor"))
    accreditations.upsert(
        session, officer, listed, accredited_in="KAZ", source=AccreditationSource.UI, now=NOW
    )
    assert found.withdrawn_at == NOW and found.withdrawal_reason == "recalled"


def test_a_file_is_taken_whole_or_not_at_all(session: Session, officer: Principal) -> None:
    rows = [
        _card(card_number="D-1"),
        _card(card_number="bad card!"),
        _card(card_number="D-3", valid_until=""),
    ]
    with pytest.raises(InvalidInput) as caught:
        accreditations.import_rows(session, officer, rows, node_state="KAZ", now=NOW)
    assert caught.value.code == error_codes.IMPORT_ROWS and caught.value.params["count"] == 2
    detail = caught.value.detail
    assert "row 3: card_number" in detail and "row 4: valid_until" in detail
    assert accreditations.list_accreditations(session, officer) == []
    good = [_card(card_number="D-1"), _card(card_number="D-2")]
    assert accreditations.import_rows(session, officer, good, node_state="KAZ", now=NOW) == 2


def test_a_consul_sees_their_own_states_staff_only(session: Session, officer: Principal) -> None:
    ours = _add(session, officer)
    theirs = _add(session, officer, home_state="TUR", card_number="T-1")
    consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="UZB")
    assert [a.id for a in accreditations.list_accreditations(session, consul)] == [ours.id]
    with pytest.raises(NotFound):
        accreditations.get_accreditation(session, consul, theirs.id)
