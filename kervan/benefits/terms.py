"""Officer-facing labels of benefit statuses, added to the register's vocabulary labels by
``benefits.install`` so the ``term`` filter translates them."""

from __future__ import annotations

import enum

from kervan.benefits.enums import ApplicationStatus
from kervan.web.i18n import N_

BENEFIT_TERMS: dict[tuple[type[enum.Enum], str], str] = {
    (ApplicationStatus, "applied"): N_("Applied"),
    (ApplicationStatus, "eligible"): N_("Eligible"),
    (ApplicationStatus, "ineligible"): N_("Not eligible"),
    (ApplicationStatus, "approved"): N_("Approved"),
    (ApplicationStatus, "rejected"): N_("Rejected"),
}
