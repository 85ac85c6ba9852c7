"""Codes of what the reports service says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

AUDIT_FAILED = "reports.audit-failed"
SUPERSEDED = "reports.superseded"
NO_REGISTER = "reports.no-register"
NOT_FOUND = "reports.not-found"
FUTURE_PERIOD = "reports.future-period"

MESSAGES = {
    AUDIT_FAILED: N_(
        "The report was not published: %(count)s suppressed cells could be worked out too "
        "closely from the published ones."
    ),
    SUPERSEDED: N_(
        "The report of %(date)s has changed, but later reports were published after it; "
        "it cannot be replaced."
    ),
    NO_REGISTER: N_("The secretariat keeps no register; it merges the member states' reports."),
    NOT_FOUND: N_("There is no report for %(date)s."),
    FUTURE_PERIOD: N_("The period ending on %(date)s has not ended yet."),
}
