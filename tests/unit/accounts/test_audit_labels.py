"""Every action the code writes to the audit log has a label the audit page shows in the
officer's language, and every label is translated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kervan.accounts.audit_labels import ACTIONS, OUTCOMES
from kervan.web import i18n
from kervan.wiring import wire

ROOT = Path(__file__).resolve().parents[3] / "kervan"


def _recorded_actions() -> set[str]:
    """The action (third argument) of every ``audit.record(…)`` call with a literal action."""
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("record", "record_on_failure")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
            ):
                found.add(node.args[2].value)
    return found


@pytest.fixture(autouse=True, scope="module")
def _packages_installed() -> None:
    wire()  # packages added later label their actions in install(app)


def test_every_recorded_action_has_a_label() -> None:
    recorded = _recorded_actions()
    assert len(recorded) > 20  # the scan sees the calls
    assert sorted(recorded - ACTIONS.keys()) == []


@pytest.mark.parametrize("language", [c for c in i18n.LANGUAGES if c != "en"])
def test_labels_are_translated(language: str) -> None:
    translations = i18n.Translator(language).translations
    missing = [m for m in [*ACTIONS.values(), *OUTCOMES.values()] if translations.gettext(m) == m]
    assert missing == []
