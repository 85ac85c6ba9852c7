"""Officer-facing labels of the register's vocabularies (stored values are English codes).

Marked here with ``N_`` so that extraction finds them; templates translate them with the
``term`` filter in the request's language.
"""

from __future__ import annotations

import enum

import pycountry

from kervan.accounts.roles import Role
from kervan.registry.codes import state_name
from kervan.registry.enums import (
    Sex,
    StayEventKind,
    StayKind,
    StayPurpose,
    StayStatus,
    TravelDocumentType,
    ViolationKind,
    ViolationStatus,
)
from kervan.web.i18n import N_, Translator

# Keyed by (vocabulary, member): members of different vocabularies share values ("other").
_LABELS: list[tuple[enum.Enum, str]] = [
    (StayKind.VISA, N_("Visa")),
    (StayKind.REGISTRATION, N_("Registration")),
    (StayKind.TEMPORARY_RESIDENCE, N_("Temporary residence permit")),
    (StayKind.PERMANENT_RESIDENCE, N_("Permanent residence permit")),
    (StayKind.WORK_PERMIT, N_("Work permit")),
    (StayStatus.ACTIVE, N_("Active")),
    (StayStatus.REVOKED, N_("Revoked")),
    (StayStatus.CANCELLED, N_("Cancelled")),
    (StayPurpose.WORK, N_("Work")),
    (StayPurpose.STUDY, N_("Study")),
    (StayPurpose.FAMILY, N_("Family")),
    (StayPurpose.TOURISM, N_("Tourism")),
    (StayPurpose.BUSINESS, N_("Business")),
    (StayPurpose.PRIVATE, N_("Private visit")),
    (StayPurpose.HUMANITARIAN, N_("Humanitarian")),
    (StayPurpose.TRANSIT, N_("Transit")),
    (StayPurpose.DIPLOMATIC, N_("Diplomatic")),
    (StayPurpose.OTHER, N_("Other")),
    (StayEventKind.ISSUED, N_("Issued")),
    (StayEventKind.EXTENDED, N_("Extended")),
    (StayEventKind.REVOKED, N_("Revoked")),
    (StayEventKind.CANCELLED, N_("Cancelled")),
    (StayEventKind.CORRECTED, N_("Corrected")),
    (ViolationKind.OVERSTAY, N_("Overstay")),
    (ViolationKind.MISSING_REGISTRATION, N_("Missing registration")),
    (ViolationKind.WORK_WITHOUT_PERMIT, N_("Work without a permit")),
    (ViolationStatus.RECORDED, N_("Recorded")),
    (ViolationStatus.WAIVED, N_("Waived")),
    (ViolationStatus.PAID, N_("Paid")),
    (ViolationStatus.APPEALED, N_("Appealed")),
    (Sex.FEMALE, N_("Female")),
    (Sex.MALE, N_("Male")),
    (Sex.UNSPECIFIED, N_("Unspecified")),
    (TravelDocumentType.PASSPORT, N_("Passport")),
    (TravelDocumentType.IDENTITY_CARD, N_("Identity card")),
    (TravelDocumentType.REFUGEE_DOCUMENT, N_("Refugee travel document")),
    (TravelDocumentType.OTHER, N_("Other document")),
    (Role.ADMIN, N_("Node administrator")),
    (Role.MIGRATION_OFFICER, N_("Migration officer")),
    (Role.CONSULAR_OFFICER, N_("Consular officer")),
    (Role.BORDER_OFFICER, N_("Border officer")),
    (Role.SECRETARIAT_ANALYST, N_("Secretariat analyst")),
]


TERMS: dict[tuple[type[enum.Enum], str], str] = {
    (type(member), str(member.value)): label for member, label in _LABELS
}


def add_terms(labels: dict[tuple[type[enum.Enum], str], str]) -> None:
    """Labels of another package's vocabulary, added by its ``install(app)``."""
    TERMS.update(labels)


def term(value: object) -> str:
    """The English label (a msgid) of a vocabulary value; the value itself if it has none."""
    if isinstance(value, enum.Enum):
        return TERMS.get((type(value), str(value.value)), str(value.value))
    return str(value)


def state_name_in(translator: Translator, code: str) -> str:
    """A state's name in the translator's language (Babel's CLDR names), else English."""
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        name = translator.locale.territories.get(country.alpha_2)
        if name:
            return str(name)
    return state_name(code)
