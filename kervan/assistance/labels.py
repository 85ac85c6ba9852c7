"""The words for a case's coded values, as gettext msgids (translated where they are shown)."""

from __future__ import annotations

from kervan.web.i18n import N_

NEED_LABELS = {
    "shelter": N_("Shelter"),
    "food": N_("Food"),
    "medical": N_("Medical care"),
    "legal": N_("Legal advice"),
    "documents": N_("Lost or expired documents"),
    "money_from_home": N_("Money from home"),
    "return_travel": N_("Return travel"),
    "wages_or_job": N_("Unpaid wages or lost job"),
    "detention": N_("Detention"),
}
VULNERABILITY_LABELS = {
    "minor": N_("Minor"),
    "unaccompanied_minor": N_("Unaccompanied minor"),
    "pregnancy": N_("Pregnancy"),
    "disability": N_("Disability"),
    "elderly": N_("Elderly"),
    "chronic_illness": N_("Chronic illness"),
}
URGENCY_LABELS = {
    "critical": N_("Critical"),
    "high": N_("High"),
    "normal": N_("Normal"),
    "low": N_("Low"),
}
STATUS_LABELS = {
    "new": N_("To triage"),
    "triaged": N_("Triaged"),
    "in_progress": N_("In progress"),
    "referred": N_("Referred"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
}
REFERRAL_LABELS = {
    "none": N_("Not referred"),
    "pending": N_("Referral awaiting decision"),
    "accepted": N_("Referral accepted"),
    "declined": N_("Referral declined"),
}
REQUESTER_LABELS = {
    "person": N_("The person"),
    "consulate": N_("A consulate"),
    "migration_officer": N_("A migration officer"),
    "employer": N_("An employer"),
    "ngo": N_("An NGO"),
    "relative": N_("Someone for them"),
}
CONSENT_LABELS = {
    "in_person": N_("In person"),
    "written": N_("In writing"),
    "phone": N_("By phone"),
    "representative": N_("Through a representative"),
    "public_form": N_("On the public help request"),
}
AID_LABELS = {
    "shelter": N_("Shelter"),
    "food": N_("Food"),
    "medical": N_("Medical care"),
    "legal": N_("Legal advice"),
    "cash": N_("Cash"),
    "travel": N_("Travel"),
    "documents": N_("Documents"),
    "other": N_("Other"),
}
FIELD_LABELS = {
    "full_name": N_("Full name"),
    "birth_date": N_("Date of birth"),
    "document_number": N_("Document number"),
    "needs": N_("Needs"),
    "vulnerabilities": N_("Vulnerabilities"),
    "urgency": N_("Urgency"),
    "region": N_("Region"),
    "city": N_("City"),
    "language": N_("Language spoken"),
    "contact": N_("How to reach them"),
    "description": N_("What happened"),
    "outcome": N_("Outcome"),
}
LABELS = {
    "needs": NEED_LABELS,
    "vulnerabilities": VULNERABILITY_LABELS,
    "urgency": URGENCY_LABELS,
    "status": STATUS_LABELS,
    "referral": REFERRAL_LABELS,
    "requester": REQUESTER_LABELS,
    "consent": CONSENT_LABELS,
    "aid": AID_LABELS,
    "fields": FIELD_LABELS,
}
