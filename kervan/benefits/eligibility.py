"""Whether a person is eligible for a benefit kind, and why.

The verdict comes from SQL (``compile_person_scope``), the very predicate ``grant_all`` uses for
the whole register, so one person's answer can never differ from the set-based one. The reasons
come from ``explain_scope`` on the person and their documents; the two must agree (a hypothesis
test checks it), and a disagreement is logged as the bug it would be."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.benefits.models import BenefitKind
from kervan.measures.scope import (
    ClauseResult,
    Scope,
    compile_person_scope,
    explain_scope,
    parse_scope,
)
from kervan.registry.models import Person, StayDocument

log = logging.getLogger("kervan.benefits")


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[ClauseResult] = field(default_factory=list)
    # The stay document the reasons are about, when the rule speaks of documents.
    document_id: uuid.UUID | None = None
    explained: bool = False  # what explain_scope concluded; equal to ``eligible`` unless a bug

    def reasons_data(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = [r.as_dict() for r in self.reasons]
        if rows and self.document_id is not None:
            rows[0]["saw"] = {**rows[0]["saw"], "document_id": str(self.document_id)}
        return rows


def eligibility_scope(kind: BenefitKind) -> Scope:
    return parse_scope(kind.eligibility or None, path="eligibility")


def eligible_in_sql(session: Session, person_id: uuid.UUID, scope: Scope, today: dt.date) -> bool:
    query = select(Person.id).where(
        Person.id == person_id, compile_person_scope(scope, today=today)
    )
    return session.scalar(query) is not None


def explain(
    scope: Scope, person: Person, today: dt.date
) -> tuple[bool, list[ClauseResult], StayDocument | None]:
    """The explanation for the best of the person's documents: the first that matches, else
    the one that comes closest (most clauses matched), so an officer sees what is missing."""
    if not scope.has_document_clauses:
        results = explain_scope(scope, person, None, today=today)
        return results[0].matched, results, None
    best: tuple[int, list[ClauseResult], StayDocument | None] | None = None
    for document in person.stay_documents:
        results = explain_scope(scope, person, document, today=today)
        if results[0].matched:
            return True, results, document
        score = sum(r.matched for r in results)
        if best is None or score > best[0]:
            best = (score, results, document)
    if best is None:
        return False, explain_scope(scope, person, None, today=today), None
    return False, best[1], best[2]


def evaluate(session: Session, person: Person, kind: BenefitKind, *, today: dt.date) -> Eligibility:
    scope = eligibility_scope(kind)
    in_sql = eligible_in_sql(session, person.id, scope, today)
    explained, reasons, document = explain(scope, person, today)
    if explained != in_sql:
        log.error(
            "eligibility explanation (%s) disagrees with SQL (%s) for person %s, kind %s",
            explained,
            in_sql,
            person.id,
            kind.code,
        )
    return Eligibility(
        eligible=in_sql,
        reasons=reasons,
        document_id=document.id if document is not None else None,
        explained=explained,
    )
