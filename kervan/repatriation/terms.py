"""Officer-facing labels of repatriation's vocabularies (request and leg statuses, priority
reasons, modes, documents), added to the ``term`` filter's labels by ``install``."""

from __future__ import annotations

import enum

from kervan.repatriation.models import Channel, DocumentStatus, LegMode, LegStatus, RequestStatus
from kervan.repatriation.priority import PriorityReason
from kervan.web.i18n import N_

REPATRIATION_TERMS: dict[tuple[type[enum.Enum], str], str] = {
    (RequestStatus, "waiting"): N_("Waiting"),
    (RequestStatus, "allocated"): N_("Seat proposed"),
    (RequestStatus, "confirmed"): N_("Seat confirmed"),
    (RequestStatus, "boarded"): N_("Boarded"),
    (RequestStatus, "cancelled"): N_("Cancelled"),
    (RequestStatus, "no_show"): N_("Did not show"),
    (RequestStatus, "excluded"): N_("Excluded"),
    (LegStatus, "announced"): N_("Announced to the host state"),
    (LegStatus, "agreed"): N_("Agreed by the host state"),
    (LegStatus, "refused"): N_("Refused by the host state"),
    (LegStatus, "cancelled"): N_("Cancelled"),
    (LegMode, "flight"): N_("Flight"),
    (LegMode, "train"): N_("Train"),
    (LegMode, "bus"): N_("Bus"),
    (DocumentStatus, "valid_passport"): N_("Valid passport"),
    (DocumentStatus, "return_certificate_needed"): N_("Certificate of return needed"),
    (Channel, "consul"): N_("Consulate"),
    (Channel, "public"): N_("Public form"),
    (Channel, "assistance"): N_("Assistance case"),
    (PriorityReason, "medical"): N_("Medical need"),
    (PriorityReason, "pregnancy"): N_("Pregnancy"),
    (PriorityReason, "minors"): N_("Travelling with children"),
    (PriorityReason, "elderly"): N_("Elderly"),
    (PriorityReason, "stranded_in_transit"): N_("Stranded in transit"),
    (PriorityReason, "expired_stay"): N_("Stay expired"),
    (PriorityReason, "no_income"): N_("No income"),
}
