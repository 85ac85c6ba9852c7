"""At the host state's gate (``kervan.repatriation.boarding``): the exit check's note for a
passenger of an agreed leg leaving within the window, and boarding by MRZ — once, closing the
person's active stays and telling the home state."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import InvalidInput, KervanError, NotFound
from kervan.exchange.models import OutboxMessage
from kervan.registry.enums import StayStatus
from kervan.registry.models import TravelDocument
from kervan.repatriation import messages as m
from kervan.repatriation.boarding import NOTE_WINDOW, board, exit_note
from kervan.repatriation.models import Leg, LegStatus, ManifestEntry
from tests.functional.repatriation_support import mrz, passport
from tests.unit.measures.support import add_document, add_passport, add_person
from tests.unit.repatriation.support import add_leg, soon

GATE = Principal(user_id=None, username="gate.ala", role=Role.BORDER_OFFICER, state="KAZ")
NUMBER = passport(1)  # the passport of mrz(1)


def _on_manifest(session: Session, leg: Leg, number: str = NUMBER) -> ManifestEntry:
    entry = ManifestEntry(
        leg_id=leg.id,
        traveller_id=uuid.uuid4(),
        request_reference="R-1",
        primary_identifier="KARIMOV",
        birth_date=dt.date(1980, 1, 10),
        sex="M",
        nationality="UZB",
        passport_number=number,
        passport_state="UZB",
    )
    session.add(entry)
    session.flush()
    return entry


def _passport(session: Session) -> TravelDocument:
    return add_passport(session, add_person(session, nationality="UZB"), NUMBER)


@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 2, 3])
def test_the_exit_note_is_shown_from_the_day_before_to_two_days_after(
    session: Session, offset: int
) -> None:
    leg = add_leg(session, departs=soon(5))
    _on_manifest(session, leg)
    passport = _passport(session)
    today = leg.departs_at.date() - dt.timedelta(days=offset)
    notes = exit_note(session, passport.person, passport, today, None)
    shown = NOTE_WINDOW[0] <= dt.timedelta(days=offset) <= NOTE_WINDOW[1]
    assert len(notes) == int(shown)
    if shown:
        (note,) = notes
        assert note.code == m.EXIT_AGREED_LEG and note.params["reference"] == "R-1"
        assert note.message == m.MESSAGES[m.EXIT_AGREED_LEG] % note.params


def test_no_note_for_a_leg_not_agreed(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.REFUSED)
    _on_manifest(session, leg)
    passport = _passport(session)
    assert exit_note(session, passport.person, passport, leg.departs_at.date(), None) == []


def test_boarding_records_once_closes_stays_and_tells_the_home_state(session: Session) -> None:
    leg = add_leg(session)
    entry = _on_manifest(session, leg)
    passport = _passport(session)
    active = add_document(session, passport.person, dt.date(2030, 1, 1))
    revoked = add_document(session, passport.person, dt.date(2030, 1, 1), status=StayStatus.REVOKED)
    today = leg.departs_at.date()
    first = board(session, GATE, leg.id, mrz(1), today=today)
    assert (first.already_boarded, first.stays_closed) == (False, 1)
    assert first.traveller_id == entry.traveller_id and entry.boarded_by == GATE.actor
    session.refresh(active)
    assert (active.status, revoked.status) == (StayStatus.CANCELLED, StayStatus.REVOKED)
    again = board(session, GATE, leg.id, mrz(1), today=today)
    assert (again.already_boarded, again.stays_closed) == (True, 0)
    assert again.boarded_at == first.boarded_at
    sent = session.scalars(select(OutboxMessage).where(OutboxMessage.to_state == "UZB")).all()
    assert len(sent) == 1 and len(sent[0].body["boarded"]) == 1


def test_a_passenger_not_on_the_manifest_is_refused(session: Session) -> None:
    leg = add_leg(session)
    _on_manifest(session, leg, number=passport(2))
    with pytest.raises(NotFound) as caught:
        board(session, GATE, leg.id, mrz(1), today=leg.departs_at.date())
    assert caught.value.code == m.NOT_ON_MANIFEST


def test_only_an_agreed_leg_leaving_here_boards(session: Session) -> None:
    announced = add_leg(session, status=LegStatus.ANNOUNCED)
    with pytest.raises(NotFound) as caught:
        board(session, GATE, announced.id, mrz(1), today=announced.departs_at.date())
    assert caught.value.code == m.LEG_NOT_FOUND


def test_an_unreadable_mrz_is_bad_input(session: Session) -> None:
    leg = add_leg(session)
    lines = mrz(1)
    lines[1] = lines[1][:-1] + ("0" if lines[1][-1] != "0" else "1")  # a wrong check digit
    with pytest.raises(KervanError) as caught:
        board(session, GATE, leg.id, lines, today=leg.departs_at.date())
    assert isinstance(caught.value, InvalidInput)
