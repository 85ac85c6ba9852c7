"""Officer-facing labels of benefit statuses (``kervan.benefits.terms``): one per status."""

from __future__ import annotations

from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.terms import BENEFIT_TERMS


def test_every_application_status_has_one_label() -> None:
    assert sorted(value for _, value in BENEFIT_TERMS) == sorted(s.value for s in ApplicationStatus)
    assert {kind for kind, _ in BENEFIT_TERMS} == {ApplicationStatus}
    assert all(label.strip() for label in BENEFIT_TERMS.values())
