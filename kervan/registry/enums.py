"""Vocabularies of the register. Stored by value, so the database reads as the docs do."""

from __future__ import annotations

import enum


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNSPECIFIED = "X"


class TravelDocumentType(enum.StrEnum):
    PASSPORT = "passport"
    IDENTITY_CARD = "identity_card"
    REFUGEE_DOCUMENT = "refugee_document"
    OTHER = "other"


class StayKind(enum.StrEnum):
    VISA = "visa"
    REGISTRATION = "registration"
    TEMPORARY_RESIDENCE = "temporary_residence"
    PERMANENT_RESIDENCE = "permanent_residence"
    WORK_PERMIT = "work_permit"


class StayPurpose(enum.StrEnum):
    WORK = "work"
    STUDY = "study"
    FAMILY = "family"
    TOURISM = "tourism"
    BUSINESS = "business"
    PRIVATE = "private"
    HUMANITARIAN = "humanitarian"
    TRANSIT = "transit"
    DIPLOMATIC = "diplomatic"
    OTHER = "other"


class StayStatus(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    CANCELLED = "cancelled"


class StayEventKind(enum.StrEnum):
    ISSUED = "issued"
    EXTENDED = "extended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    CORRECTED = "corrected"


class ViolationKind(enum.StrEnum):
    OVERSTAY = "overstay"
    MISSING_REGISTRATION = "missing_registration"
    WORK_WITHOUT_PERMIT = "work_without_permit"


class ViolationStatus(enum.StrEnum):
    RECORDED = "recorded"
    WAIVED = "waived"
    PAID = "paid"
    APPEALED = "appealed"
