"""The council's picture from the reports a node holds: at the secretariat, every member
state's whole report; at a member state's node, its own report and the extracts host states
sent about its nationals. A state whose report has not come is *missing* (or *late* once it
comes after its due date) — never counted as zero: a total over states with one missing is
not shown."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.registry.codes import MEMBER_STATES, SECRETARIAT
from kervan.reports.models import FULL, SituationReport
from kervan.reports.report import cells_of
from kervan.reports.tables import TOTAL, Key

WEEKS_SHOWN = 12


class Arrival(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # due and not here
    NOT_DUE = "not_due"  # not here, not yet due


@dataclass(frozen=True)
class StateReport:
    host_state: str
    arrival: Arrival
    report: SituationReport | None

    def present(self) -> int | None:
        """Persons present in the report: everyone (a whole report) or the audience's
        nationals (an extract)."""
        if self.report is None:
            return None
        audience = self.report.audience
        nationality = TOTAL if audience == FULL else audience
        return self.value("presence", (nationality, TOTAL, TOTAL))

    def standing(self, standing: str) -> int | None:
        if self.report is None:
            return None
        audience = self.report.audience
        nationality = TOTAL if audience == FULL else audience
        return self.value("presence", (nationality, standing, TOTAL))

    def total(self, table: str) -> int | None:
        """A table's grand total (the audience's row in an extract); None when suppressed,
        absent from the report, or no report."""
        if self.report is None:
            return None
        for published in self.report.body["tables"]:
            if published["name"] == table:
                first = published["categories"][0]
                row = first[0] if TOTAL not in first and len(first) == 1 else TOTAL
                key = (row, *(TOTAL,) * (len(published["dims"]) - 1))
                return self.value(table, key)
        return None

    def has(self, table: str) -> bool:
        return self.report is not None and any(
            t["name"] == table for t in self.report.body["tables"]
        )

    def value(self, table: str, key: Key) -> int | None:
        """A published cell (None: suppressed, or no report)."""
        if self.report is None:
            return None
        for published in self.report.body["tables"]:
            if published["name"] == table:
                for cell_key, value, _ in cells_of(published):
                    if cell_key == key:
                        return value
        return None


@dataclass(frozen=True)
class Picture:
    reference_date: dt.date | None
    viewer_state: str
    states: tuple[StateReport, ...]
    # (reference date, host state, total present or None) for the trend, oldest first.
    series: tuple[tuple[dt.date, str, int | None], ...] = ()
    dates: tuple[dt.date, ...] = field(default_factory=tuple)

    def corridors(self) -> list[tuple[str, str, int | None]]:
        """(nationality, host state, present) from every report in view."""
        out = []
        for state in self.states:
            if state.report is None:
                continue
            for table in state.report.body["tables"]:
                if table["name"] != "presence":
                    continue
                for key, value, _ in cells_of(table):
                    if key[0] != TOTAL and key[1:] == (TOTAL, TOTAL):
                        out.append((key[0], state.host_state, value))
        return out

    def regions(self) -> list[tuple[str, str, int | None]]:
        """(region, host state, present) from every report in view: everyone in a whole
        report, the audience's nationals in an extract; the region not recorded included."""
        out = []
        for state in self.states:
            if state.report is None:
                continue
            audience = state.report.audience
            nationality = TOTAL if audience == FULL else audience
            for table in state.report.body["tables"]:
                if table["name"] != "regions":
                    continue
                for key, value, _ in cells_of(table):
                    if key[0] == nationality and key[1] != TOTAL:
                        out.append((key[1], state.host_state, value))
        return out

    def grand_total(self) -> int | None:
        """Everyone present in the council's states (at the secretariat), only when every
        state's figure is known."""
        values = [s.present() for s in self.states]
        if self.viewer_state != SECRETARIAT or not values or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)


def _visible(principal: Principal, node_state: str) -> object:
    """At the secretariat whole reports; at a member node its own and the extracts for it."""
    if node_state == SECRETARIAT:
        return SituationReport.audience == FULL
    return or_(
        (SituationReport.host_state == node_state) & (SituationReport.audience == FULL),
        SituationReport.audience == node_state,
    )


def expected_states(session: Session, node_state: str) -> list[str]:
    from kervan.exchange.routing import home_states

    members = sorted(home_states(session)) or list(MEMBER_STATES)
    if node_state == SECRETARIAT:
        return members
    return [node_state, *[m for m in members if m != node_state]]


def picture(
    session: Session,
    principal: Principal,
    node_state: str,
    *,
    today: dt.date,
    due_days: int,
    reference_date: dt.date | None = None,
    weeks: int = WEEKS_SHOWN,
) -> Picture:
    require(principal, Permission.REPORTS_READ)
    visible = _visible(principal, node_state)
    dates = sorted(
        set(session.scalars(select(SituationReport.reference_date).where(visible))),  # type: ignore[arg-type]
        reverse=True,
    )[:weeks]
    chosen = reference_date or (dates[0] if dates else None)
    states = expected_states(session, node_state)
    reports = _reports(session, visible, [*dates, *([chosen] if chosen else [])])
    shown = tuple(
        _state_report(
            reports.get((state, chosen)) if chosen else None, state, chosen, today, due_days
        )
        for state in states
    )
    series = tuple(
        (date, state, StateReport(state, Arrival.ON_TIME, reports.get((state, date))).present())
        for date in sorted(dates)
        for state in states
    )
    return Picture(chosen, node_state, shown, series, tuple(sorted(dates)))


def _reports(
    session: Session, visible: object, dates: Sequence[dt.date]
) -> dict[tuple[str, dt.date], SituationReport]:
    if not dates:
        return {}
    rows = session.scalars(
        select(SituationReport).where(visible, SituationReport.reference_date.in_(dates))  # type: ignore[arg-type]
    )
    return {(r.host_state, r.reference_date): r for r in rows}


def _state_report(
    report: SituationReport | None,
    state: str,
    reference_date: dt.date | None,
    today: dt.date,
    due_days: int,
) -> StateReport:
    if reference_date is None:
        return StateReport(state, Arrival.NOT_DUE, None)
    due = reference_date + dt.timedelta(days=due_days)
    if report is None:
        return StateReport(state, Arrival.MISSING if today > due else Arrival.NOT_DUE, None)
    arrived = (report.received_at or report.generated_at).date()
    return StateReport(state, Arrival.LATE if arrived > due else Arrival.ON_TIME, report)
