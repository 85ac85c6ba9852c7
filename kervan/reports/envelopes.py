"""``report.submitted`` envelopes: a protected report to the secretariat (whole), and to each
home state the rows about its own nationals — the same published values, cut to the rows whose
first dimension is that nationality. Both sides apply the same rule (``may_receive``), so a
home state never receives another state's nationals and the secretariat only whole reports.
Only published aggregates travel; the values of suppressed cells never leave the node."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.exchange import outbox
from kervan.exchange.envelopes import Envelope
from kervan.registry.codes import SECRETARIAT
from kervan.reports.models import FULL, ReportOrigin, SituationReport
from kervan.reports.tables import TOTAL

SUBMITTED = "report.submitted"
NATIONALITY = "nationality"


def _message(report: SituationReport, audience: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"revision": report.revision, "audience": audience, "report": body}


def send(session: Session, report: SituationReport) -> None:
    """The whole report to the secretariat; to each home state in the trust list, its
    nationals' rows (when the report has any)."""
    from kervan.exchange.routing import home_states

    subject = ("situation_report", report.id)
    outbox.add(session, SUBMITTED, SECRETARIAT, subject, _message(report, FULL, report.body))
    for state in sorted(home_states(session) - {report.host_state}):
        extract = nationals_extract(report.body, state)
        if extract["tables"]:
            outbox.add(session, SUBMITTED, state, subject, _message(report, state, extract))


def nationals_extract(body: dict[str, Any], state: str) -> dict[str, Any]:
    """The published rows of every by-nationality table about ``state``'s nationals."""
    tables = []
    for table in body["tables"]:
        if table["dims"][:1] != [NATIONALITY] or state not in table["categories"][0]:
            continue
        first = table["categories"][0]
        keep = [first[i] == state for i, _ in _positions(table)]
        changes = table.get("changes") or {"keys": [], "values": [], "flags": ""}
        mine = [i for i, key in enumerate(changes["keys"]) if key == state]
        tables.append(
            {
                **table,
                "categories": [[state], *table["categories"][1:]],
                "values": [v for v, k in zip(table["values"], keep, strict=True) if k],
                "flags": "".join(f for f, k in zip(table["flags"], keep, strict=True) if k),
                "changes": {
                    "keys": [changes["keys"][i] for i in mine],
                    "values": [changes["values"][i] for i in mine],
                    "flags": "".join(changes["flags"][i] for i in mine),
                },
            }
        )
    return {**body, "tables": tables, "audience": state}


def _positions(table: dict[str, Any]) -> list[tuple[int, tuple[int, ...]]]:
    """(index of the first dimension's category, the key's indices) in cross-product order."""
    ranges = [range(len(level)) for level in table["categories"]]
    return [(key[0], key) for key in itertools.product(*ranges)]


def may_receive(payload: dict[str, Any], receiver: str) -> str | None:
    """Why ``receiver`` may not receive this report (None when it may)."""
    body = payload["body"]
    report = body["report"]
    if report["host_state"] != payload["from"]:
        return f"{payload['from']} reports on the register of {report['host_state']}"
    if receiver == SECRETARIAT:
        return None if body["audience"] == FULL else "the secretariat receives whole reports"
    if body["audience"] != receiver:
        return f"an extract about nationals of {body['audience']} is not for {receiver}"
    for table in report["tables"]:
        if table["dims"][:1] != [NATIONALITY]:
            return f"the table {table['name']} is not by nationality"
        if any(category != receiver for category in table["categories"][0]):
            return f"the table {table['name']} has rows about other nationals than {receiver}'s"
        if TOTAL in table["categories"][0]:
            return "a home state receives its own nationals' rows, not totals"
    return None


def apply_submitted(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    """Keep the newest revision of each (host state, audience, reference date)."""
    body = envelope.body
    report = body["report"]
    reference_date = dt.date.fromisoformat(report["reference_date"])
    existing = session.scalar(
        select(SituationReport).where(
            SituationReport.host_state == envelope.from_state,
            SituationReport.audience == body["audience"],
            SituationReport.reference_date == reference_date,
        )
    )
    if existing is not None and existing.revision >= body["revision"]:
        return
    if existing is None:
        existing = SituationReport(
            host_state=envelope.from_state,
            audience=body["audience"],
            reference_date=reference_date,
            origin=ReportOrigin.RECEIVED,
        )
        session.add(existing)
    existing.period_days = int(report["period_days"])
    existing.revision = int(body["revision"])
    existing.body, existing.hidden = report, {}
    existing.generated_at = envelope.created_at
    existing.generated_by = f"{envelope.from_state} node"
    existing.received_at = now
    existing.envelope_id = uuid.UUID(str(envelope.id))
    session.flush()


def install() -> None:
    """Register the message type with the exchange (idempotent)."""
    from kervan.exchange import apply
    from kervan.exchange.message_types import MessageType, register

    register(MessageType(SUBMITTED, (1,), may_receive))
    apply.on_envelope(SUBMITTED, apply_submitted)
