"""A leg's manifest: who travels, in CSV, XLSX, PDF and UN/EDIFACT PAXLST, and the envelope
that sends it to the host state's border service.

PAXLST is written with ``pydifact`` (maintained, 0.2.x) following the WCO/IATA/ICAO API
guidelines' D.05B message: a flight header (TDT, departure and arrival LOC/DTM) and per
passenger NAD+FL (name), ATT (sex), DTM+329 (birth), NAT, RFF (our request reference), DOC
(travel document) and LOC+91 (its issuing state). The home node's manifest lists confirmed and
boarded passengers only: an allocated seat not yet confirmed may still move."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import Conflict
from kervan.repatriation import envelopes
from kervan.repatriation import messages as m
from kervan.repatriation.models import (
    Leg,
    LegStatus,
    ManifestEntry,
    RequestStatus,
    ReturnRequest,
    Traveller,
)
from kervan.repatriation.requests import get_leg
from kervan.spreadsheet import safe_cell

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ON_MANIFEST = (RequestStatus.CONFIRMED, RequestStatus.BOARDED)


@dataclass(frozen=True)
class Passenger:
    traveller_id: str
    request_reference: str
    primary_identifier: str
    secondary_identifier: str
    birth_date: str
    sex: str
    nationality: str
    passport_number: str | None
    passport_state: str | None


COLUMNS = tuple(Passenger.__dataclass_fields__)


def passengers(session: Session, principal: Principal, leg: Leg) -> list[Passenger]:
    """Home node: from the requests; host node: from the manifest it received."""
    require(principal, Permission.REPATRIATION_READ)
    if leg.home_state == principal.state:
        rows = session.execute(
            select(Traveller, ReturnRequest.reference)
            .join(ReturnRequest, ReturnRequest.id == Traveller.request_id)
            .where(ReturnRequest.leg_id == leg.id, ReturnRequest.status.in_(ON_MANIFEST))
            .order_by(ReturnRequest.reference, Traveller.position)
        ).all()
        found = [_from_traveller(t, ref) for t, ref in rows]
    else:
        entries = session.scalars(
            select(ManifestEntry)
            .where(ManifestEntry.leg_id == leg.id)
            .order_by(ManifestEntry.request_reference, ManifestEntry.primary_identifier)
        ).all()
        found = [_from_entry(e) for e in entries]
    audit.record(
        session,
        principal,
        "repatriation.manifest.read",
        record_type="return_leg",
        record_id=leg.id,
        details={"passengers": len(found)},
    )
    return found


def _from_traveller(t: Traveller, reference: str) -> Passenger:
    return Passenger(
        str(t.id), reference, t.primary_identifier, t.secondary_identifier,
        t.birth_date.isoformat(), t.sex, t.nationality, t.passport_number, t.passport_state,
    )  # fmt: skip


def _from_entry(e: ManifestEntry) -> Passenger:
    return Passenger(
        str(e.traveller_id), e.request_reference, e.primary_identifier, e.secondary_identifier,
        e.birth_date.isoformat(), e.sex, e.nationality, e.passport_number, e.passport_state,
    )  # fmt: skip


def send(session: Session, principal: Principal, leg_id: uuid.UUID) -> int:
    """Sign and send the manifest to the host state's node; returns the passengers sent."""
    require(principal, Permission.REPATRIATION_MANAGE)
    leg = get_leg(session, leg_id, principal.state)
    if leg.status is not LegStatus.AGREED or leg.home_state != principal.state:
        raise Conflict("leg not agreed", code=m.LEG_NOT_CONFIRMED, params={"leg": leg.label})
    found = passengers(session, principal, leg)
    envelopes.send_manifest(session, leg, [asdict(p) for p in found])
    audit.record(
        session, principal, "repatriation.manifest.send", record_type="return_leg",
        record_id=leg.id, details={"passengers": len(found), "to": leg.host_state},
    )  # fmt: skip
    return len(found)


def _cells(p: Passenger) -> list[str]:
    return [safe_cell(str(v or "")) for v in asdict(p).values()]


def as_csv(rows: list[Passenger]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_cells(p) for p in rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(leg: Leg, rows: list[Passenger]) -> bytes:
    import openpyxl  # imported here: only XLSX manifests pay for it

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title="manifest")
    sheet.append(
        [safe_cell(f"{leg.label} {leg.origin}-{leg.destination} {leg.departs_at:%Y-%m-%d %H:%M}Z")]
    )
    sheet.append(list(COLUMNS))
    for p in rows:
        sheet.append(_cells(p))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(leg: Leg, rows: list[Passenger], gettext: object) -> bytes:
    """An A4 list for the gate, headed in the officer's language (``gettext``)."""
    from fpdf import FPDF

    _ = gettext  # a callable: msgid -> translated text
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, 12)
    pdf.add_page()
    pdf.add_font("manifest", fname=str(FONT))
    pdf.set_font("manifest", size=12)
    title = _("Passenger manifest")  # type: ignore[operator]
    pdf.cell(0, 8, f"{title}: {leg.label}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("manifest", size=9)
    route = f"{leg.origin_name} ({leg.origin}) → {leg.destination_name} ({leg.destination})"
    pdf.cell(0, 6, f"{route}, {leg.departs_at:%Y-%m-%d %H:%M} UTC", new_x="LMARGIN", new_y="NEXT")
    headings = [_("Name"), _("Date of birth"), _("Passport"), _("Reference")]  # type: ignore[operator]
    from fpdf.fonts import FontFace

    # One font face (DejaVu covers every script of the names); headings not bold.
    headings_style = FontFace(emphasis="")
    with pdf.table(
        col_widths=(70, 30, 45, 35), text_align="LEFT", headings_style=headings_style
    ) as table:
        table.row([str(h) for h in headings])
        for p in rows:
            passport = f"{p.passport_state or ''} {p.passport_number or '—'}"
            name = f"{p.primary_identifier}, {p.secondary_identifier}".strip(", ")
            table.row([name, p.birth_date, passport, p.request_reference])
    pdf.cell(0, 6, f"{len(rows)}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _edi_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%y%m%d%H%M")


def as_paxlst(leg: Leg, rows: list[Passenger], *, sender: str, recipient: str) -> str:
    """UN/EDIFACT PAXLST D.05B (the API format of carriers and border agencies)."""
    from pydifact.segmentcollection import Interchange, Message
    from pydifact.segments import Segment

    reference = leg.id.hex[:14].upper()
    message = Message(reference, ["PAXLST", "D", "05B", "UN", "IATA"])
    message.add_segment(Segment("BGM", "745"))
    message.add_segment(Segment("NAD", "MS", "", "", f"{sender.upper()} REPATRIATION"))
    message.add_segment(
        # UNOA (level A) has capital letters only.
        Segment("TDT", "20", leg.number.replace(" ", "").upper(), "", "", leg.operator.upper()[:35])
    )
    message.add_segment(Segment("LOC", "125", leg.origin))
    message.add_segment(Segment("DTM", ["189", _edi_time(leg.departs_at), "201"]))
    message.add_segment(Segment("LOC", "87", leg.destination))
    message.add_segment(Segment("DTM", ["232", _edi_time(leg.arrives_at), "201"]))
    for p in rows:
        message.add_segment(
            Segment("NAD", "FL", "", "", [p.primary_identifier, p.secondary_identifier])
        )
        message.add_segment(Segment("ATT", "2", "", p.sex))
        birth = dt.date.fromisoformat(p.birth_date)
        message.add_segment(Segment("DTM", ["329", birth.strftime("%y%m%d")]))
        message.add_segment(Segment("LOC", "178", leg.origin))
        message.add_segment(Segment("LOC", "179", leg.destination))
        message.add_segment(Segment("NAT", "2", p.nationality))
        message.add_segment(Segment("RFF", ["AVF", p.request_reference]))
        if p.passport_number:
            message.add_segment(Segment("DOC", ["P", "110", "111"], p.passport_number))
            message.add_segment(Segment("LOC", "91", p.passport_state or ""))
    message.add_segment(Segment("CNT", ["42", str(len(rows))]))
    interchange = Interchange(
        sender=sender,
        recipient=recipient,
        control_reference=reference,
        syntax_identifier=("UNOA", 4),
    )
    interchange.add_message(message)
    return str(interchange.serialize())
