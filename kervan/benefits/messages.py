"""Codes of what the benefits service says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

KIND_NOT_ACTIVE = "benefits.kind-not-active"
KINDS_FILE_INVALID = "benefits.kinds-file-invalid"
NAME_THE_KIND = "benefits.name-the-kind"
CANNOT_APPROVE = "benefits.cannot-approve"
CANNOT_REJECT = "benefits.cannot-reject"
NOT_ELIGIBLE = "benefits.not-eligible"
ENTITLEMENT_REVERSED = "benefits.entitlement-reversed"
GRANTED_BY_MEASURE = "benefits.granted-by-measure"
GRANTED_TO_ALL = "benefits.granted-to-all"
NAME_REQUIRED = "benefits.name-required"
TEXTS_INVALID = "benefits.texts-invalid"
WINDOW_HALF = "benefits.window-half"
WINDOW_REVERSED = "benefits.window-reversed"
AGE_INVALID = "benefits.age-invalid"
AGE_REVERSED = "benefits.age-reversed"
ELIGIBILITY_UNCHANGED = "benefits.eligibility-unchanged"

MESSAGES = {
    KIND_NOT_ACTIVE: N_("The benefit %(kind)s is not active."),
    KINDS_FILE_INVALID: N_("The benefit kinds file is not valid."),
    NAME_THE_KIND: N_("Name the benefit kind by its id or its code."),
    CANNOT_APPROVE: N_("The application has been decided already and cannot be approved."),
    CANNOT_REJECT: N_("The application has been decided already and cannot be rejected."),
    NOT_ELIGIBLE: N_(
        "The person is not eligible for this benefit; reject the application instead."
    ),
    ENTITLEMENT_REVERSED: N_("The entitlement ends (%(until)s) before it begins (%(start)s)."),
    GRANTED_BY_MEASURE: N_("Granted by the measure %(measure)s"),
    GRANTED_TO_ALL: N_("The eligibility rule of %(kind)s, checked for the whole register"),
    NAME_REQUIRED: N_("Give the benefit kind a name in one language at least."),
    TEXTS_INVALID: N_("The texts are not valid."),
    WINDOW_HALF: N_("Give both the first and the last day, or neither."),
    WINDOW_REVERSED: N_("The last day (%(end)s) is before the first (%(start)s)."),
    AGE_INVALID: N_("Give a whole number of years from 0 to %(max)s."),
    AGE_REVERSED: N_("The highest age (%(max)s) is below the lowest (%(min)s)."),
    ELIGIBILITY_UNCHANGED: N_("Nothing has changed; choose who is eligible first."),
}

# Audit actions of benefits not named in kervan.accounts.audit_labels.
AUDIT_ACTIONS = {
    "benefit_kind.texts": N_("Benefit kind texts edited in other languages"),
    "benefit_kind.eligibility": N_("Who is eligible for a benefit kind changed"),
}
