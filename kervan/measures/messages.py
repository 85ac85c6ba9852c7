"""Codes of what the measures service says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

WRONG_STATUS = "measures.wrong-status"
REFERENCE_TAKEN = "measures.reference-taken"
PERIOD_REVERSED = "measures.period-reversed"
INVALID_SCOPE = "measures.invalid-scope"
INVALID_FIELDS = "measures.invalid-fields"

MESSAGES = {
    WRONG_STATUS: N_(
        "This step is not possible in the measure's current status; open its page again."
    ),
    REFERENCE_TAKEN: N_("A measure with the reference %(reference)s exists already."),
    PERIOD_REVERSED: N_("The period ends before it begins."),
    INVALID_SCOPE: N_("The scope or the actions are not valid."),
    INVALID_FIELDS: N_("Some of the input is not valid"),
}
