""" "Applies to this person": the verdicts of ``kervan.measures.explain.explain_person`` — the
one explanation the API and the CLI give too — grouped per measure for the person's page.

Nothing here judges a scope: it only attaches to each group the measure row (title in the
officer's language, legal basis, period, status) and to each verdict the document's number."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.measures.explain import EXPLAINED
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.schemas import Explanation, MeasureVerdict
from kervan.registry.models import Person

# In force first (what reaches the register now), then previewed, then lifted.
_ORDER = {MeasureStatus.IN_FORCE: 0, MeasureStatus.PREVIEWED: 1, MeasureStatus.LIFTED: 2}


@dataclass
class VerdictRow:
    verdict: MeasureVerdict
    document_number: str | None


@dataclass
class MeasureGroup:
    measure: Measure
    rows: list[VerdictRow] = field(default_factory=list)

    @property
    def applies(self) -> bool:
        return any(row.verdict.applies for row in self.rows)


def group_verdicts(
    session: Session, explanation: Explanation, person: Person
) -> list[MeasureGroup]:
    """One group per measure previewed, in force or lifted, with its verdicts in the
    explanation's order."""
    measures = session.scalars(select(Measure).where(Measure.status.in_(EXPLAINED))).all()
    groups = {m.id: MeasureGroup(m) for m in measures}
    numbers: dict[uuid.UUID, str] = {d.id: d.number for d in person.stay_documents}
    for verdict in explanation.verdicts:
        group = groups.get(verdict.measure_id)
        if group is None:  # changed status between the two reads: shown on the next one
            continue
        number = numbers.get(verdict.document_id) if verdict.document_id else None
        group.rows.append(VerdictRow(verdict, number))
    # A measure that gave no verdict is shown only when it would extend documents (the person
    # has none); one that only grants benefits is explained on the benefits panel.
    shown = [g for g in groups.values() if g.rows or _extends(g.measure)]
    return sorted(
        shown,
        key=lambda g: (
            _ORDER.get(g.measure.status, 9),
            g.measure.period_start,
            g.measure.reference,
        ),
    )


def _extends(measure: Measure) -> bool:
    return any("extend" in action for action in measure.actions or [])
