"""Officer wording for the exchange's codes: stored values and the checks of the evidence are
English codes; these are their labels (msgids), translated where shown."""

from __future__ import annotations

import enum
import re

from kervan.errors import KervanError
from kervan.registry.enums import (
    StayEventKind,
    StayKind,
    StayPurpose,
    StayStatus,
    ViolationKind,
)
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import translate_message
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


# What the asking node says when a question fails, by its (English) detail.
_QUERY_FAILURES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"(?P<state>[A-Z]{3}) refused the query: rate-limited"),
        N_(
            "%(state)s answers only so many questions a minute from each state. "
            "Wait a minute and ask again."
        ),
    ),
    (
        re.compile(r"(?P<state>[A-Z]{3}) refused the query: (?P<reason>[\w-]+)"),
        N_("%(state)s refused the question (reason: %(reason)s)."),
    ),
    (
        re.compile(r"(?P<state>[A-Z]{3}) did not answer"),
        N_(
            "The node of %(state)s did not answer. Try again later; if it keeps failing, "
            "tell your node administrator."
        ),
    ),
    (
        re.compile(r"the answer does not verify|is not the answer to this question"),
        N_("The answer could not be verified and was discarded. Tell your node administrator."),
    ),
    (
        re.compile(r"no trust list yet|no signing key|signing key .* is not this node's"),
        N_(
            "The exchange is not set up on this node yet (signing key or trust list). "
            "Tell your node administrator."
        ),
    ),
    (
        re.compile(r"is not a peer on the trust list"),
        N_("Choose a host state from the trust list."),
    ),
]


def query_failure(translator: Translator, exc: KervanError) -> str:
    """A failed question in the officer's language; an unknown failure as the node said it."""
    for pattern, msgid in _QUERY_FAILURES:
        match = pattern.search(exc.detail)
        if match:
            return translator.gettext(msgid, **match.groupdict())
    return translate_message(translator, exc.detail)
