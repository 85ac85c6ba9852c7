"""How a report's codes read in an officer's language: table titles, dimension names and
categories (states by their CLDR names, the register's vocabularies by their terms)."""

from __future__ import annotations

import enum

from kervan.registry.enums import Sex, StayKind, ViolationKind, ViolationStatus
from kervan.reports.tables import TOTAL
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import state_in
from kervan.web.i18n_terms import term

TITLES = {
    "presence": N_("Foreign nationals present, by standing and document"),
    "demography": N_("Foreign nationals present, by sex and age"),
    "documents": N_("Stay documents issued, extended and closed in the period"),
    "violations": N_("Violations recorded in the period"),
    "benefits": N_("Benefits granted in the period"),
    "measures": N_("Persons reached by the measures in force"),
}

DIMENSIONS = {
    "nationality": N_("Nationality"),
    "standing": N_("Standing"),
    "kind": N_("Document"),
    "sex": N_("Sex"),
    "age": N_("Age"),
    "flow": N_("Event"),
    "violation": N_("Violation"),
    "violation_status": N_("Status"),
    "benefit": N_("Benefit"),
    "measure": N_("Measure"),
    "host_state": N_("Host state"),
}

CATEGORIES = {
    ("standing", "valid"): N_("Valid"),
    ("standing", "covered"): N_("Expired, covered by a measure"),
    ("standing", "overstaying"): N_("Overstaying"),
    ("standing", "departed"): N_("Departed in the period"),
    ("flow", "issued"): N_("Issued"),
    ("flow", "extended"): N_("Extended"),
    ("flow", "closed"): N_("Closed"),
}

_VOCABULARIES: dict[str, type[enum.Enum]] = {
    "kind": StayKind,
    "sex": Sex,
    "violation": ViolationKind,
    "violation_status": ViolationStatus,
}

TOTAL_LABEL = N_("Total")
SUPPRESSED_LABEL = N_("suppressed")


def title(translator: Translator, table: str) -> str:
    return translator.gettext(TITLES[table]) if table in TITLES else table


def dimension(translator: Translator, dim: str) -> str:
    return translator.gettext(DIMENSIONS[dim]) if dim in DIMENSIONS else dim


def category(translator: Translator, dim: str, code: str) -> str:
    if code == TOTAL:
        return translator.gettext(TOTAL_LABEL)
    if dim in ("nationality", "host_state"):
        return state_in(translator, code)
    if (dim, code) in CATEGORIES:
        return translator.gettext(CATEGORIES[(dim, code)])
    vocabulary = _VOCABULARIES.get(dim)
    if vocabulary is not None:
        try:
            return translator.gettext(term(vocabulary(code)))
        except ValueError:
            return code
    return code
