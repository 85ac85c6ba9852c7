"""Codes of repatriation: explanations of the allocation and errors, worded in the catalogs."""

from __future__ import annotations

from kervan.messages import N_

SEATED = "repatriation.seated"
SEATED_CONFIRMED = "repatriation.seated-confirmed"
SEATED_PINNED = "repatriation.seated-pinned"
WAITING_NO_LEG = "repatriation.waiting-no-leg"
WAITING_PRIORITY = "repatriation.waiting-priority"
WAITING_GROUP = "repatriation.waiting-group"
WAITING_RECEPTION = "repatriation.waiting-reception"
EXCLUDED = "repatriation.excluded"
LEG_NOT_FOUND = "repatriation.leg-not-found"
REQUEST_NOT_FOUND = "repatriation.request-not-found"
LEG_FULL = "repatriation.leg-full"
LEG_NOT_CONFIRMED = "repatriation.leg-not-confirmed"
NOT_ON_MANIFEST = "repatriation.not-on-manifest"
WRONG_STATUS = "repatriation.wrong-status"
CONSENT_REQUIRED = "repatriation.consent-required"

MESSAGES = {
    SEATED: N_(
        "Seated on %(leg)s on %(date)s (priority level %(level)s): every waiting request of"
        " higher priority that fits this leg has a seat."
    ),
    SEATED_CONFIRMED: N_(
        "Seated on %(leg)s on %(date)s: the seat is confirmed and is kept when seats are"
        " allocated again."
    ),
    SEATED_PINNED: N_("Seated on %(leg)s on %(date)s: placed there by an officer (%(reason)s)."),
    WAITING_NO_LEG: N_(
        "Waiting: no agreed leg goes from %(origin)s to %(destination)s on or after %(earliest)s."
    ),
    WAITING_PRIORITY: N_(
        "Waiting: %(ahead)s people of the same or higher priority hold the %(seats)s seats"
        " from %(origin)s to %(destination)s on or after %(earliest)s."
    ),
    WAITING_GROUP: N_(
        "Waiting: the group of %(size)s travels together, and no leg from %(origin)s on or"
        " after %(earliest)s has more than %(room)s seats left for its priority."
    ),
    WAITING_RECEPTION: N_(
        "Waiting: there are seats, but %(destination)s can receive no more people on the"
        " arrival days of the legs from %(origin)s on or after %(earliest)s."
    ),
    EXCLUDED: N_("Not allocated: excluded by an officer (%(reason)s)."),
    LEG_NOT_FOUND: N_("There is no leg %(leg)s."),
    REQUEST_NOT_FOUND: N_("There is no return request %(reference)s."),
    LEG_FULL: N_("Leg %(leg)s has no %(size)s free seats."),
    LEG_NOT_CONFIRMED: N_("Leg %(leg)s is not yet agreed by the host state."),
    NOT_ON_MANIFEST: N_("This passport is not on the manifest of leg %(leg)s."),
    WRONG_STATUS: N_("This cannot be done while the request is %(status)s."),
    CONSENT_REQUIRED: N_(
        "The person must consent to their data being shared with the carrier"
        " and the host state's border service."
    ),
}

EXIT_AGREED_LEG = "repatriation.exit-agreed-leg"
EXIT_AGREED_LEG_WAIVED = "repatriation.exit-agreed-leg-waived"

MESSAGES |= {
    EXIT_AGREED_LEG: N_(
        "On the manifest of %(leg)s to %(destination)s, departing %(departs)s: a return leg"
        " agreed with %(home_state)s (request %(reference)s)."
    ),
    EXIT_AGREED_LEG_WAIVED: N_(
        "On the manifest of %(leg)s to %(destination)s, departing %(departs)s: a return leg"
        " agreed with %(home_state)s (request %(reference)s). Penalties for the overstay are"
        " waived by %(measure)s (%(legal_basis)s)."
    ),
}

# Refusals of the pages' forms, next to their field.
FORM_STATE = "repatriation.form-state"
FORM_PLACE = "repatriation.form-place"
FORM_NAME = "repatriation.form-name"
FORM_PASSPORT = "repatriation.form-passport"
FORM_SEX = "repatriation.form-sex"
FORM_CHOICE = "repatriation.form-choice"
FORM_MEMBER_BIRTH = "repatriation.form-member-birth"
FORM_BIRTH_FUTURE = "repatriation.form-birth-future"
FORM_NUMBER = "repatriation.form-number"
FORM_MOMENT = "repatriation.form-moment"
FORM_REQUIRED = "repatriation.form-required"
FORM_LEG_NUMBER = "repatriation.form-leg-number"
FORM_ARRIVES_BEFORE = "repatriation.form-arrives-before"
FORM_HELD_TOO_MANY = "repatriation.form-held-too-many"
FORM_REFUSAL_REASON = "repatriation.form-refusal-reason"

MESSAGES |= {
    FORM_STATE: N_("Choose a state."),
    FORM_PLACE: N_("Write the code of the place: 2 to 40 Latin letters or digits, e.g. ALA."),
    FORM_NAME: N_("Write the name in Latin letters, as in the passport's machine-readable zone."),
    FORM_PASSPORT: N_("Write the passport number: up to 20 Latin letters and digits."),
    FORM_SEX: N_("Choose F, M or X."),
    FORM_CHOICE: N_("Choose one of the options."),
    FORM_MEMBER_BIRTH: N_("Give the date of birth of this member of the group."),
    FORM_BIRTH_FUTURE: N_("The date of birth cannot be in the future."),
    FORM_NUMBER: N_("Write a whole number from %(low)s to %(high)s."),
    FORM_MOMENT: N_("Give the date and the time (UTC)."),
    FORM_REQUIRED: N_("This field is required."),
    FORM_LEG_NUMBER: N_("Write the flight, train or bus number: Latin letters, digits, spaces."),
    FORM_ARRIVES_BEFORE: N_("The leg cannot arrive before it departs."),
    FORM_HELD_TOO_MANY: N_("More seats are held back than the leg has."),
    FORM_REFUSAL_REASON: N_("Give the reason for the refusal (at least 3 characters)."),
}

# What the audit page calls each action this package records.
AUDIT_ACTIONS = {
    "repatriation.allocate": N_("Return seats allocated"),
    "repatriation.board": N_("Passenger boarded at the gate"),
    "repatriation.leg.confirm-seats": N_("Seats on a return leg confirmed"),
    "repatriation.leg.decide": N_("Return leg agreed or refused"),
    "repatriation.leg.schedule": N_("Return leg scheduled"),
    "repatriation.manifest.read": N_("Return manifest read"),
    "repatriation.manifest.send": N_("Return manifest sent"),
    "repatriation.reception.set": N_("Reception places set"),
    "repatriation.request.create": N_("Return request registered"),
    "repatriation.request.update": N_("Return request changed"),
    "repatriation.request.read": N_("Return request read"),
    "repatriation.request.list": N_("Return requests listed"),
    "repatriation.request.pin": N_("Return request pinned to a leg"),
    "repatriation.request.exclude": N_("Return request excluded"),
    "repatriation.request.cancel": N_("Return request cancelled"),
    "repatriation.request.no-show": N_("Return passenger did not show"),
}
