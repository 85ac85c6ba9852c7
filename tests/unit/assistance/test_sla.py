"""Service levels per urgency: the configured hours, their defaults, what a bad setting says,
and the warning (three quarters of the way) and due times of a case."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kervan.assistance.models import Urgency
from kervan.assistance.sla import DEFAULT_HOURS, DEFAULT_SLA, Sla, sla_of

OPENED = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def test_an_urgency_left_out_keeps_its_default() -> None:
    sla = Sla.parse(" critical=12, ,low=100 ")
    assert sla.hours[Urgency.CRITICAL] == 12 and sla.hours[Urgency.LOW] == 100
    assert sla.hours[Urgency.HIGH] == DEFAULT_HOURS[Urgency.HIGH]
    assert Sla.parse("") == DEFAULT_SLA


@pytest.mark.parametrize("text", ["urgent=5", "high", "high=x", "high=0", "low=9000"])
def test_a_bad_setting_is_refused_with_what_it_should_be(text: str) -> None:
    with pytest.raises(ValueError, match="assistance SLA"):
        Sla.parse(text)


def test_a_case_warns_at_three_quarters_and_is_due_at_the_end() -> None:
    warn_at, due_at = Sla.parse("critical=24").due(OPENED, Urgency.CRITICAL)
    assert warn_at == OPENED + dt.timedelta(hours=18)
    assert due_at == OPENED + dt.timedelta(hours=24)
    assert warn_at < due_at  # what the SLA counts rely on: a case warns before it is due


def test_the_node_setting_or_the_defaults() -> None:
    assert sla_of(None) is DEFAULT_SLA
    assert sla_of(SimpleNamespace(assistance_sla_hours="normal=48")).hours[Urgency.NORMAL] == 48
