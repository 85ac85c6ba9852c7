"""Codes of what the register's services say to an officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

DOCUMENT_NOT_ACTIVE = "register.document-not-active"
EXTENSION_NOT_LATER = "register.extension-not-later"
END_NOT_AFTER_CURRENT = "register.end-not-after-current"
DOCUMENT_ENDS_BEFORE_START = "register.document-ends-before-start"
NUMBER_FORM = "register.number-form"
NUMBER_TAKEN = "register.number-taken"
TRAVEL_DOCUMENT_TAKEN = "register.travel-document-taken"
CORRECTION_CHANGES_NOTHING = "register.correction-changes-nothing"
SEARCH_EMPTY = "register.search-empty"
BIRTH_DATE = "register.birth-date"
NOT_FOUND = "register.not-found"
VIOLATION_ENDS_BEFORE_START = "register.violation-ends-before-start"

MESSAGES = {
    DOCUMENT_NOT_ACTIVE: N_("This document is no longer active and cannot be changed."),
    EXTENSION_NOT_LATER: N_("The new end date must be after the current one."),
    END_NOT_AFTER_CURRENT: N_("%(new)s is not after the current end date %(current)s."),
    DOCUMENT_ENDS_BEFORE_START: N_("The document ends (%(until)s) before it begins (%(start)s)."),
    NUMBER_FORM: N_(
        "%(number)s is not a valid number for this kind of document; expected a number "
        "like %(example)s."
    ),
    NUMBER_TAKEN: N_("A document of this kind numbered %(number)s already exists."),
    TRAVEL_DOCUMENT_TAKEN: N_(
        "The travel document %(state)s %(number)s already belongs to a person in the register."
    ),
    CORRECTION_CHANGES_NOTHING: N_("The correction changes nothing."),
    SEARCH_EMPTY: N_("Type a name, a document number or an MRZ to search for."),
    BIRTH_DATE: N_("Give the date of birth as YYYY-MM-DD; write XX for an unknown month or day."),
    NOT_FOUND: N_("No such record in the register."),
    VIOLATION_ENDS_BEFORE_START: N_("The violation ends before it begins."),
}
