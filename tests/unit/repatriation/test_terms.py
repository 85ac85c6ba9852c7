"""Officer-facing labels of repatriation's vocabularies (``kervan.repatriation.terms``): each
member of each vocabulary has a label, and no label names a value that does not exist."""

from __future__ import annotations

import enum

import pytest

from kervan.repatriation.models import Channel, DocumentStatus, LegMode, LegStatus, RequestStatus
from kervan.repatriation.priority import PriorityReason
from kervan.repatriation.terms import REPATRIATION_TERMS

VOCABULARIES: list[type[enum.Enum]] = [
    RequestStatus,
    LegStatus,
    LegMode,
    DocumentStatus,
    Channel,
    PriorityReason,
]


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_member_has_a_label(vocabulary: type[enum.Enum]) -> None:
    labelled = {value for kind, value in REPATRIATION_TERMS if kind is vocabulary}
    assert labelled == {str(member.value) for member in vocabulary}


def test_no_label_for_a_value_that_does_not_exist() -> None:
    for kind, value in REPATRIATION_TERMS:
        assert kind in VOCABULARIES
        kind(value)  # raises ValueError for a stale value
