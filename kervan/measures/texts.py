"""A measure's texts in the officers' languages — title, summary, the legal act — edited after
it was written. The original language stays first (the fallback); a measure already announced
to the other states is announced again (``measure.announced``, the newest copy replacing the
older at each peer), so that their officers read the new texts in their languages."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import ErrorCollector
from kervan.exchange import routing
from kervan.measures import messages
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.service import get_measure
from kervan.messages import TextChange, original_language, revised_texts, text_changes

FIELDS = ("title", "summary", "legal_act")
MAX_LEGAL_ACT = 300  # the fallback column's width
ANNOUNCED_STATUSES = {MeasureStatus.IN_FORCE, MeasureStatus.LIFTED}


def measure_texts(measure: Measure) -> dict[str, dict[str, str]]:
    """{field: {language: text}}; a legal act written in one language only is given in the
    title's original language."""
    legal = dict(measure.legal_act_texts or {})
    if not legal and measure.legal_act:
        legal = {original_language(measure.title) or "en": measure.legal_act}
    return {"title": dict(measure.title), "summary": dict(measure.summary), "legal_act": legal}


def revise(measure: Measure, sent: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The texts after the edit, each field in its original language order; a field sent
    replaces all its languages (an empty one is removed), a field not sent stays."""
    current = measure_texts(measure)
    return {
        name: revised_texts(current[name], sent[name]) if name in sent else current[name]
        for name in FIELDS
    }


def check_texts(texts: Mapping[str, Mapping[str, str]]) -> None:
    """Refused with every problem at once: no title, no legal act, an act too long."""
    problems = ErrorCollector()
    if not texts["title"]:
        problems.add("title", "a title in one language at least", messages.TITLE_REQUIRED)
    if not texts["legal_act"]:
        problems.add("legal_act", "the act in one language at least", messages.ACT_REQUIRED)
    for language, act in texts["legal_act"].items():
        if len(act) > MAX_LEGAL_ACT:
            problems.add(
                f"legal_act-{language}", "too long", messages.TEXT_TOO_LONG, limit=MAX_LEGAL_ACT
            )
    problems.raise_if_any("The texts are not valid", code=messages.INVALID_FIELDS)


def set_texts(
    session: Session,
    principal: Principal,
    measure_id: uuid.UUID,
    sent: Mapping[str, Mapping[str, str]],
    *,
    own_state: str,
) -> list[TextChange]:
    """Save the texts as sent ({field: {language: text}}); returns what changed (nothing
    saved, audited or announced when nothing did)."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = get_measure(session, principal, measure_id)
    texts = revise(measure, sent)
    check_texts(texts)
    changes = text_changes(measure_texts(measure), texts)
    if not changes:
        return []
    measure.title, measure.summary = texts["title"], texts["summary"]
    measure.legal_act_texts = texts["legal_act"]
    measure.legal_act = texts["legal_act"][original_language(texts["legal_act"])]
    session.flush()
    announced = (
        routing.announce_measure(session, measure, own_state)
        if measure.status in ANNOUNCED_STATUSES
        else 0
    )
    audit.record(
        session,
        principal,
        "measure.texts",
        record_type="measure",
        record_id=measure.id,
        details={
            "reference": measure.reference,
            "changed": sorted({f"{c.field}.{c.language}" for c in changes}),
            "announced_to": announced,
        },
    )
    return changes
