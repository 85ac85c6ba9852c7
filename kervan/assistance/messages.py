"""Codes of what the assistance service says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

WRONG_STATUS = "assistance.wrong-status"
NO_CONSENT = "assistance.no-consent"
NO_PARTNER = "assistance.no-partner"
ALREADY_REFERRED = "assistance.already-referred"
NOT_PENDING = "assistance.not-pending"
NO_CONFLICT = "assistance.no-conflict"
NOT_SHARED = "assistance.not-shared"
UNKNOWN_CASE = "assistance.unknown-case"
BAD_VALUE = "assistance.bad-value"
BAD_PERIOD = "assistance.bad-period"
NOT_THIS_NODE = "assistance.not-this-node"

MESSAGES = {
    WRONG_STATUS: N_("A case in status %(status)s cannot go to %(target)s."),
    NO_CONSENT: N_(
        "Record the person's consent to share with their home state before referring the case."
    ),
    NO_PARTNER: N_(
        "This case has no other state to refer it to: the person is in their own state."
    ),
    ALREADY_REFERRED: N_("This case is referred already."),
    NOT_PENDING: N_("This case has no referral waiting for a decision."),
    NO_CONFLICT: N_("This field has no conflict to resolve; open the case again."),
    NOT_SHARED: N_("The field %(field)s cannot be changed here."),
    UNKNOWN_CASE: N_("No case with the reference %(reference)s."),
    BAD_VALUE: N_("The value for %(field)s is not valid."),
    BAD_PERIOD: N_("The period ends before it begins."),
    NOT_THIS_NODE: N_("A case on this node is about a person in %(state)s or from %(state)s."),
}

# What the audit page calls each action this package records.
AUDIT_ACTIONS = {
    "assistance.accept": N_("Referred case accepted"),
    "assistance.aid": N_("Aid recorded on a case"),
    "assistance.assign": N_("Case assigned"),
    "assistance.consent": N_("Consent to share recorded"),
    "assistance.create": N_("Case opened"),
    "assistance.decline": N_("Referred case declined"),
    "assistance.edit": N_("Case changed"),
    "assistance.note": N_("Note added to a case"),
    "assistance.queue": N_("Case queue listed"),
    "assistance.read": N_("Case read"),
    "assistance.refer": N_("Case referred to another state"),
    "assistance.resolve": N_("Case conflict resolved"),
    "assistance.status": N_("Case status changed"),
}
