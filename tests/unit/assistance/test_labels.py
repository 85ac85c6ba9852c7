"""The words for a case's coded values (``kervan.assistance.labels``): every value the case
model accepts has exactly one label, so no officer ever reads a raw code."""

from __future__ import annotations

import enum

import pytest

from kervan.assistance import models
from kervan.assistance.fields import SHARED_FIELDS
from kervan.assistance.labels import (
    AID_LABELS,
    CONSENT_LABELS,
    FIELD_LABELS,
    LABELS,
    NEED_LABELS,
    REFERRAL_LABELS,
    REQUESTER_LABELS,
    STATUS_LABELS,
    URGENCY_LABELS,
    VULNERABILITY_LABELS,
)


def _values(vocabulary: tuple[str, ...] | type[enum.Enum]) -> set[str]:
    if isinstance(vocabulary, tuple):
        return set(vocabulary)
    return {str(member.value) for member in vocabulary}


@pytest.mark.parametrize(
    ("labels", "vocabulary"),
    [
        (NEED_LABELS, models.NEEDS),
        (VULNERABILITY_LABELS, models.VULNERABILITIES),
        (AID_LABELS, models.AID_KINDS),
        (CONSENT_LABELS, models.CONSENT_WAYS),
        (STATUS_LABELS, models.CaseStatus),
        (URGENCY_LABELS, models.Urgency),
        (REQUESTER_LABELS, models.Requester),
        (REFERRAL_LABELS, models.Referral),
    ],
    ids=[
        "needs",
        "vulnerabilities",
        "aid",
        "consent",
        "status",
        "urgency",
        "requester",
        "referral",
    ],
)
def test_every_value_has_one_label_and_no_label_is_left_over(
    labels: dict[str, str], vocabulary: tuple[str, ...] | type[enum.Enum]
) -> None:
    assert set(labels) == _values(vocabulary)
    assert all(label.strip() for label in labels.values())


def test_the_labels_by_field_name_are_the_tables_above() -> None:
    assert LABELS["needs"] is NEED_LABELS and LABELS["status"] is STATUS_LABELS
    assert all(isinstance(table, dict) and table for table in LABELS.values())


def test_every_shared_field_has_a_label() -> None:
    assert set(FIELD_LABELS) == set(SHARED_FIELDS)
