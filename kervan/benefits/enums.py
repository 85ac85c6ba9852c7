"""Vocabularies of benefits. Stored by value, so the database reads as the docs do."""

from __future__ import annotations

import enum


class ApplicationStatus(enum.StrEnum):
    APPLIED = "applied"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    APPROVED = "approved"
    REJECTED = "rejected"


# An application in one of these stops ``grant_all`` from granting the kind again to that
# person: it is pending, granted, or an officer's refusal that a bulk grant must not overrule.
# An ``ineligible`` result does not block: the rule has since matched, so the old result is stale.
BLOCKING_STATUSES = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)
DECIDABLE_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.ELIGIBLE)
