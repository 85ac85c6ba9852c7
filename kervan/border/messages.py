"""Codes of what the exit check says to a border officer (see ``kervan.messages``)."""

from __future__ import annotations

from kervan.messages import N_

NO_HOLDER = "border.no-holder"

MESSAGES = {
    NO_HOLDER: N_("No person in the register holds the travel document %(state)s %(number)s."),
}
