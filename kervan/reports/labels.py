"""How a report's codes read in an officer's language: table titles, dimension names and
categories (states by their CLDR names, the register's vocabularies by their terms)."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from kervan.messages import authored
from kervan.registry.codes import region_name
from kervan.registry.enums import Sex, StayKind, ViolationKind, ViolationStatus
from kervan.reports import sections
from kervan.reports.queries import NO_REGION
from kervan.reports.tables import TOTAL
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import state_in
from kervan.web.i18n_terms import term

TITLES = {
    "presence": N_("Foreign nationals present, by standing and document"),
    "demography": N_("Foreign nationals present, by sex and age"),
    "regions": N_("Foreign nationals present, by region of stay"),
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
    "region": N_("Region"),
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
    ("region", NO_REGION): N_("Region not recorded"),
}

_VOCABULARIES: dict[str, type[enum.Enum]] = {
    "kind": StayKind,
    "sex": Sex,
    "violation": ViolationKind,
    "violation_status": ViolationStatus,
}

TOTAL_LABEL = N_("Total")
VALUE_LABEL = N_("Value")
FLAG_LABEL = N_("Flag")
CODE_LABEL = N_("%(dimension)s (code)")
SUPPRESSED_LABEL = N_("suppressed")


def title(translator: Translator, table: str) -> str:
    msgid = TITLES.get(table) or sections.label_of("titles", table)
    return translator.gettext(msgid) if msgid else table


def dimension(translator: Translator, dim: str) -> str:
    msgid = DIMENSIONS.get(dim) or sections.label_of("dimensions", dim)
    return translator.gettext(msgid) if msgid else dim


Names = Mapping[str, Mapping[str, Mapping[str, str]]]


def category(translator: Translator, dim: str, code: str, names: Names | None = None) -> str:
    """A category by its name in the reader's language: a state by its CLDR name, a name
    officers gave (``names``, published with the table: benefit kinds, measures' titles) in
    this language or the nearest one, a vocabulary's term; the code only when nothing names
    it."""
    if code == TOTAL:
        return translator.gettext(TOTAL_LABEL)
    if dim in ("nationality", "host_state"):
        return state_in(translator, code)
    given = (names or {}).get(dim, {}).get(code)
    if given and authored(given, translator.code):
        return authored(given, translator.code)
    msgid = CATEGORIES.get((dim, code)) or sections.label_of("categories", (dim, code))
    if msgid:
        return translator.gettext(msgid)
    if dim == "region":
        return region_name(code, translator.code)
    vocabulary = _VOCABULARIES.get(dim)
    if vocabulary is not None:
        try:
            return translator.gettext(term(vocabulary(code)))
        except ValueError:
            return code
    return code
