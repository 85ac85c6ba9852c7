"""Codes of what the measures service says to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

WRONG_STATUS = "measures.wrong-status"
REFERENCE_TAKEN = "measures.reference-taken"
PERIOD_REVERSED = "measures.period-reversed"
INVALID_SCOPE = "measures.invalid-scope"
INVALID_FIELDS = "measures.invalid-fields"
FILE_UNREADABLE = "measures.file-unreadable"
FILE_NOT_YAML = "measures.file-not-yaml"
NOT_A_MAPPING = "measures.not-a-mapping"
ACTIONS_EMPTY = "measures.actions-empty"

MESSAGES = {
    WRONG_STATUS: N_(
        "This step is not possible in the measure's current status; open its page again."
    ),
    REFERENCE_TAKEN: N_("A measure with the reference %(reference)s exists already."),
    PERIOD_REVERSED: N_("The period ends before it begins."),
    INVALID_SCOPE: N_("The scope or the actions are not valid."),
    INVALID_FIELDS: N_("Some of the input is not valid"),
    FILE_UNREADABLE: N_("The measure file cannot be read: %(problem)s"),
    FILE_NOT_YAML: N_("The measure file is not valid YAML or JSON: %(problem)s"),
    NOT_A_MAPPING: N_("A measure is a mapping of its fields (title, period, scope, actions)."),
    ACTIONS_EMPTY: N_("Give at least one action."),
}
