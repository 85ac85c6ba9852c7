"""Officer wording for the exchange's codes: stored values and the checks of the evidence are
English codes; these are their labels (msgids), translated where shown."""

from __future__ import annotations

import enum

from kervan.errors import KervanError
from kervan.registry.enums import (
    StayEventKind,
    StayKind,
    StayPurpose,
    StayStatus,
    ViolationKind,
)
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import error_message
from kervan.web.i18n_terms import term

# The checks ``kervan.exchange.evidence.verify_message`` makes, by the name it gives them.
CHECKS = {
    "envelope signature": N_("The sender's signature on the envelope"),
    "envelope id": N_("The signed envelope carries this id"),
    "receipt": N_("A receipt is stored"),
    "receipt signature": N_("The receiver's signature on the receipt"),
    "receipt covers these bytes": N_("The receipt names exactly these bytes"),
    "receipt status": N_("The receipt accepts the envelope"),
}

EVENTS = {
    "stay.issued": StayEventKind.ISSUED,
    "stay.extended": StayEventKind.EXTENDED,
    "stay.revoked": StayEventKind.REVOKED,
}

DEAD_STATUSES = {
    "dead": N_("Failed too often"),
    "rejected": N_("Refused by the peer"),
}


def _vocabulary(translator: Translator, kind: type[enum.Enum], value: str) -> str:
    try:
        member = kind(value)
    except ValueError:  # a value a newer peer sends that this node does not know yet
        return value
    return translator.translations.gettext(term(member))


def stay_kind(translator: Translator, value: str) -> str:
    return _vocabulary(translator, StayKind, value)


def stay_status(translator: Translator, value: str) -> str:
    return _vocabulary(translator, StayStatus, value)


def stay_purpose(translator: Translator, value: str) -> str:
    return _vocabulary(translator, StayPurpose, value)


def violation_kind(translator: Translator, value: str) -> str:
    return _vocabulary(translator, ViolationKind, value)


def event(translator: Translator, value: str) -> str:
    """The label of an envelope type that changes a document, or the type itself."""
    found = EVENTS.get(value)
    return translator.translations.gettext(term(found)) if found else value


def check(translator: Translator, name: str) -> str:
    found = CHECKS.get(name)
    return translator.translations.gettext(found) if found else name


def dead_status(translator: Translator, value: str) -> str:
    found = DEAD_STATUSES.get(value)
    return translator.translations.gettext(found) if found else value


def query_failure(translator: Translator, exc: KervanError) -> str:
    """A failed question in the officer's language; an unknown failure as the node said it."""
    return error_message(translator, exc)
