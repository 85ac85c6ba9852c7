"""A benefit kind's name and description in the officers' languages, edited after the kinds
file set them up. The original language stays first (the fallback); the single-language
description column keeps the original's text for what reads it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.benefits import messages
from kervan.benefits.models import BenefitKind
from kervan.errors import ErrorCollector
from kervan.messages import TextChange, original_language, revised_texts, text_changes

FIELDS = ("names", "descriptions")


def kind_texts(kind: BenefitKind) -> dict[str, dict[str, str]]:
    """{field: {language: text}}; a description written in one language only is given in the
    name's original language."""
    descriptions = dict(kind.descriptions or {})
    if not descriptions and kind.description:
        descriptions = {original_language(kind.names) or "en": kind.description}
    return {"names": dict(kind.names), "descriptions": descriptions}


def revise(kind: BenefitKind, sent: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The texts after the edit; a field sent replaces all its languages, one not sent stays."""
    current = kind_texts(kind)
    return {
        name: revised_texts(current[name], sent[name]) if name in sent else current[name]
        for name in FIELDS
    }


def check_texts(texts: Mapping[str, Mapping[str, str]]) -> None:
    if not texts["names"]:
        problems = ErrorCollector()
        problems.add("names", "a name in one language at least", messages.NAME_REQUIRED)
        problems.raise_if_any("The texts are not valid", code=messages.TEXTS_INVALID)


def set_kind_texts(
    session: Session,
    principal: Principal,
    kind: BenefitKind,
    sent: Mapping[str, Mapping[str, str]],
) -> list[TextChange]:
    """Save the texts as sent ({field: {language: text}}); returns what changed (nothing
    saved or audited when nothing did)."""
    require(principal, Permission.BENEFITS_CONFIGURE)
    texts = revise(kind, sent)
    check_texts(texts)
    changes = text_changes(kind_texts(kind), texts)
    if not changes:
        return []
    kind.names, kind.descriptions = texts["names"], texts["descriptions"]
    descriptions = texts["descriptions"]
    kind.description = descriptions[original_language(descriptions)] if descriptions else ""
    session.flush()
    audit.record(
        session,
        principal,
        "benefit_kind.texts",
        record_type="benefit_kind",
        record_id=kind.id,
        details={
            "code": kind.code,
            "changed": sorted({f"{c.field}.{c.language}" for c in changes}),
        },
    )
    return changes
