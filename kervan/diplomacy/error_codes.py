"""Codes of what the diplomacy services say to an officer (see ``kervan.messages``): their
errors, and a refusal the node made by itself when the decision deadline passed. Named
``error_codes`` because ``messages.py`` here is the exchange message type (its envelopes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kervan.messages import N_

DEADLINE_PASSED = "airport_access.deadline-passed"

CARD_OTHER_STATE = "diplomacy.card-other-state"
ALREADY_WITHDRAWN = "diplomacy.already-withdrawn"
IMPORT_ROWS = "diplomacy.import-rows"
IMPORT_TOO_MANY = "diplomacy.import-too-many"
IMPORT_COLUMNS = "diplomacy.import-columns"
LIST_NOT_JWS = "diplomacy.list-not-jws"
LIST_UNKNOWN_KEY = "diplomacy.list-unknown-key"
LIST_ALTERED = "diplomacy.list-altered"
LIST_WRONG_STATES = "diplomacy.list-wrong-states"
LIST_NO_STAFF = "diplomacy.list-no-staff"
LIST_NOT_OWN = "diplomacy.list-not-own"
LIST_NO_HOST = "diplomacy.list-no-host"
LIST_NOT_JSON = "diplomacy.list-not-json"
LIST_OTHER_STAFF = "diplomacy.list-other-staff"
PASS_TOO_LONG = "diplomacy.pass-too-long"
PASS_REVOKED = "diplomacy.pass-revoked"
NOT_AN_AIRPORT = "diplomacy.not-an-airport"
WINDOW_TIME_ZONE = "diplomacy.window-time-zone"
WINDOW_OVER = "diplomacy.window-over"
WINDOW_TOO_LONG = "diplomacy.window-too-long"
ACCREDITATION_WITHDRAWN = "diplomacy.accreditation-withdrawn"
ACCREDITATION_ENDS = "diplomacy.accreditation-ends"
REQUEST_DECIDED = "diplomacy.request-decided"

MESSAGES = {
    DEADLINE_PASSED: N_(
        "Refused automatically: no decision was made before the deadline. "
        "The mission may ask again."
    ),
    CARD_OTHER_STATE: N_("The card %(card)s belongs to staff of %(state)s."),
    ALREADY_WITHDRAWN: N_("The accreditation %(card)s is withdrawn already."),
    # the rows' own problems, by row number, follow as the validator words them
    IMPORT_ROWS: N_("%(count)s rows of the file are not valid; nothing was imported. %(rows)s"),
    IMPORT_TOO_MANY: N_("A file may hold at most %(limit)s accreditations."),
    IMPORT_COLUMNS: N_(
        "The file's header row names none of the accreditation columns (%(columns)s)."
    ),
    LIST_NOT_JWS: N_("The signed list is not a signed document (compact JWS)."),
    LIST_UNKNOWN_KEY: N_("The list is not signed by a key on the trust list (%(kid)s)."),
    LIST_ALTERED: N_("The list's signature does not verify: it was altered."),
    LIST_WRONG_STATES: N_("The list is %(signer)s's, for %(host)s, not for this node."),
    LIST_NO_STAFF: N_("The list has no staff."),
    LIST_NOT_OWN: N_("The list is not %(state)s's own list of its staff."),
    LIST_NO_HOST: N_("The list does not name the state that accredited its staff."),
    LIST_NOT_JSON: N_("The signed list's content is not JSON."),
    LIST_OTHER_STAFF: N_("A list signed by %(state)s may name only %(state)s's staff."),
    PASS_TOO_LONG: N_("The pass does not fit a QR code of version 15; shorten the names."),
    PASS_REVOKED: N_("The pass is revoked already."),
    NOT_AN_AIRPORT: N_("%(airport)s is not an airport of a member state."),
    WINDOW_TIME_ZONE: N_("Give the window's times with a time zone (UTC: a trailing Z)."),
    WINDOW_OVER: N_("The window is over already."),
    WINDOW_TOO_LONG: N_("A window may last at most %(days)s days."),
    ACCREDITATION_WITHDRAWN: N_("The accreditation %(card)s was withdrawn."),
    ACCREDITATION_ENDS: N_("The accreditation %(card)s ends before the window."),
    REQUEST_DECIDED: N_("The request has been decided already."),
}


@dataclass(frozen=True, slots=True)
class Coded:
    """A coded text stored with its English wording (what the ``explain`` filter renders)."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
