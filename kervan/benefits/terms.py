"""Officer-facing labels of benefit statuses, added to the register's vocabulary labels so the
``term`` filter translates them (imported by ``views.py``)."""

from __future__ import annotations

from kervan.benefits.enums import ApplicationStatus
from kervan.web.i18n import N_
from kervan.web.i18n_terms import TERMS

TERMS.update(
    {
        (ApplicationStatus, "applied"): N_("Applied"),
        (ApplicationStatus, "eligible"): N_("Eligible"),
        (ApplicationStatus, "ineligible"): N_("Not eligible"),
        (ApplicationStatus, "approved"): N_("Approved"),
        (ApplicationStatus, "rejected"): N_("Rejected"),
    }
)
