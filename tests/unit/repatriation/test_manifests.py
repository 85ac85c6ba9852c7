"""A leg's manifest (``kervan.repatriation.manifests``): the home node lists confirmed and
boarded passengers only, in reference and group order; the host node lists what it received;
only the home state sends it, and only for an agreed leg."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict
from kervan.exchange.models import OutboxMessage
from kervan.repatriation import messages as m
from kervan.repatriation.manifests import COLUMNS, as_xlsx, passengers, send
from kervan.repatriation.models import LegStatus, ManifestEntry, RequestStatus
from tests.unit.repatriation.support import CONSUL, HOST_OFFICER, add_leg, add_request


def test_the_home_node_lists_confirmed_and_boarded_travellers_in_order(session: Session) -> None:
    leg = add_leg(session, seats=10)
    family = add_request(session, size=3, status=RequestStatus.CONFIRMED, leg=leg)
    boarded = add_request(session, status=RequestStatus.BOARDED, leg=leg)
    add_request(session, status=RequestStatus.ALLOCATED, leg=leg)  # may still move
    add_request(session, status=RequestStatus.CANCELLED, leg=leg)
    found = passengers(session, CONSUL, leg)
    expected = sorted(
        [(family.reference, t.position, str(t.id)) for t in family.travellers]
        + [(boarded.reference, 0, str(boarded.travellers[0].id))]
    )
    assert [p.traveller_id for p in found] == [t for _, _, t in expected]
    assert {p.nationality for p in found} == {"UZB"}


def test_the_host_node_lists_the_manifest_it_received(session: Session) -> None:
    leg = add_leg(session)
    for reference, name in (("R-2", "B"), ("R-1", "Z"), ("R-1", "A")):
        session.add(
            ManifestEntry(
                leg_id=leg.id,
                traveller_id=uuid.uuid4(),
                request_reference=reference,
                primary_identifier=name,
                birth_date=dt.date(1980, 1, 1),
                sex="F",
                nationality="UZB",
            )
        )
    session.flush()
    found = passengers(session, HOST_OFFICER, leg)
    assert [(p.request_reference, p.primary_identifier) for p in found] == [
        ("R-1", "A"),
        ("R-1", "Z"),
        ("R-2", "B"),
    ]


def test_sending_needs_an_agreed_leg_of_the_home_state(session: Session) -> None:
    announced = add_leg(session, status=LegStatus.ANNOUNCED)
    with pytest.raises(Conflict) as caught:
        send(session, CONSUL, announced.id)
    assert caught.value.code == m.LEG_NOT_CONFIRMED
    leg = add_leg(session)
    add_request(session, size=2, status=RequestStatus.CONFIRMED, leg=leg)
    host_consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="KAZ")
    with pytest.raises(Conflict):  # the host state receives the manifest; it does not send it
        send(session, host_consul, leg.id)
    assert send(session, CONSUL, leg.id) == 2
    (message,) = session.scalars(select(OutboxMessage).where(OutboxMessage.to_state == "KAZ"))
    assert len(message.body["passengers"]) == 2
    assert set(message.body["passengers"][0]) == set(COLUMNS)


def test_the_xlsx_manifest_has_a_header_and_one_row_per_passenger(session: Session) -> None:
    import openpyxl

    leg = add_leg(session)
    add_request(session, size=2, status=RequestStatus.CONFIRMED, leg=leg)
    found = passengers(session, CONSUL, leg)
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx(leg, found)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    header = next(i for i, row in enumerate(rows) if tuple(row[: len(COLUMNS)]) == COLUMNS)
    assert len(rows) - header - 1 == 2
