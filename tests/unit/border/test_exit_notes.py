"""kervan/border/exit_notes.py: what other capabilities add to the exit check, each provider
once (a node wired twice), asked in the order they were registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kervan.border import exit_notes
from kervan.border.schemas import ExitNote

TODAY = dt.date(2026, 12, 3)


def _note(code: str) -> ExitNote:
    return ExitNote(code=code, params={}, message=code)


def _leaves_on_a_leg(
    session: Any, person: Any, passport: Any, today: dt.date, waiver: Any
) -> list[ExitNote]:
    return [_note("repatriation.on-leg")] if today == TODAY else []


def _two_notes(
    session: Any, person: Any, passport: Any, today: dt.date, waiver: Any
) -> list[ExitNote]:
    return [_note("a.first"), _note("a.second")]


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    fresh: list[Any] = []
    monkeypatch.setattr(exit_notes, "_PROVIDERS", fresh)
    yield fresh


def test_providers_are_registered_once_and_asked_in_order(providers: list[Any]) -> None:
    exit_notes.register(_leaves_on_a_leg)
    exit_notes.register(_two_notes)
    exit_notes.register(_leaves_on_a_leg)
    assert providers == [_leaves_on_a_leg, _two_notes]
    found = exit_notes.notes_for(None, None, None, TODAY, None)  # type: ignore[arg-type]
    assert [n.code for n in found] == ["repatriation.on-leg", "a.first", "a.second"]
    later = exit_notes.notes_for(None, None, None, TODAY + dt.timedelta(days=1), None)  # type: ignore[arg-type]
    assert [n.code for n in later] == ["a.first", "a.second"]


def test_without_providers_the_check_has_no_notes(providers: list[Any]) -> None:
    assert exit_notes.notes_for(None, None, None, TODAY, None) == []  # type: ignore[arg-type]
