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
TITLE_REQUIRED = "measures.title-required"
ACT_REQUIRED = "measures.act-required"
TEXT_TOO_LONG = "measures.text-too-long"
ACTION_NONE = "measures.action-none"
ACTION_DAYS = "measures.action-days"
EXTEND_DATE_MISSING = "measures.extend-date-missing"

# The clauses of a scope as the explanation shows them (``scope_explain.ClauseResult``).
EVERYONE = "scope.everyone"
ALL_OF = "scope.all-of"
ANY_OF = "scope.any-of"
NOT = "scope.not"
NATIONALITY = "scope.nationality"
DOCUMENT_KIND = "scope.document-kind"
PURPOSE = "scope.purpose"
DOCUMENT_STATUS = "scope.document-status"
EXPIRES_BETWEEN = "scope.expires-between"
PRESENT_ON = "scope.present-on"
AGE = "scope.age"
VULNERABLE = "scope.vulnerable"
NOT_VULNERABLE = "scope.not-vulnerable"
# How a stay document's history and the booth name what a measure did.
EXTENDED_BY = "measures.extended-by"

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
    TITLE_REQUIRED: N_("Give the measure a title in one language at least."),
    ACT_REQUIRED: N_("Name the legal act in one language at least."),
    TEXT_TOO_LONG: N_("Write at most %(limit)s characters here."),
    ACTION_NONE: N_("Choose what the measure does: an extension, a waiver or a benefit."),
    ACTION_DAYS: N_("Enter a whole number of days from 1 to %(max)s."),
    EXTEND_DATE_MISSING: N_("Give the date the documents are extended to."),
    EVERYONE: N_("Everyone in the register (the measure names no scope)"),
    ALL_OF: N_("All of these:"),
    ANY_OF: N_("Any of these:"),
    NOT: N_("Except:"),
    NATIONALITY: N_("Nationality is one of: %(nationalities)s"),
    DOCUMENT_KIND: N_("The stay document is one of: %(kinds)s"),
    PURPOSE: N_("The purpose of stay is one of: %(purposes)s"),
    DOCUMENT_STATUS: N_("The document's status is one of: %(statuses)s"),
    EXPIRES_BETWEEN: N_("The stay document expires between %(start)s and %(end)s"),
    PRESENT_ON: N_("Present in the country on %(date)s"),
    AGE: N_("Aged %(low)s to %(high)s on %(date)s"),
    VULNERABLE: N_("Vulnerable (a minor, elderly, stateless or a refugee)"),
    NOT_VULNERABLE: N_("Not vulnerable"),
    EXTENDED_BY: N_("Extended by the measure %(measure)s"),
}

# Audit actions of measures not named in kervan.accounts.audit_labels.
AUDIT_ACTIONS = {
    "measure.texts": N_("Measure texts edited in other languages"),
}
