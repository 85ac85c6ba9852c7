"""Codes of what an MRZ check says (see ``kervan.messages``): the booth and the register word
``MRZError`` from these, naming the field in the officer's language."""

from __future__ import annotations

from kervan.messages import N_, Term

CHECK_DIGIT = "mrz.check-digit"
CHARACTERS = "mrz.characters"
SHAPE = "mrz.shape"
LINE_WIDTH = "mrz.line-width"
VALUE = "mrz.value"

MESSAGES = {
    CHECK_DIGIT: N_("The check digit of the %(field)s is %(found)s; it should be %(expected)s."),
    CHARACTERS: N_("Line %(line)s holds characters an MRZ cannot hold: %(characters)s."),
    SHAPE: N_(
        "This is not the shape of an MRZ: it has %(lines)s line(s); an MRZ has 2 lines of 44 or "
        "36 characters, or 3 lines of 30."
    ),
    LINE_WIDTH: N_("Line %(line)s has %(found)s characters; it should have %(expected)s."),
    VALUE: N_("The %(field)s in the MRZ is not valid (found: %(found)s)."),
}

# The fields of an MRZ, as an officer calls them (``%(field)s`` of the sentences above).
FIELDS = {
    "document_code": N_("document code"),
    "issuing_state": N_("issuing state"),
    "name": N_("name"),
    "document_number": N_("document number"),
    "nationality": N_("nationality"),
    "birth_date": N_("date of birth"),
    "sex": N_("sex"),
    "expiry_date": N_("date of expiry"),
    "optional_data": N_("optional data"),
    "composite": N_("whole zone (composite check digit)"),
}


def field_label(field: str) -> Term:
    return Term(FIELDS.get(field, field))
