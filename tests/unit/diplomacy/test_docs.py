"""The user guide names every diplomacy setting and every verdict reason."""

from __future__ import annotations

from pathlib import Path

from kervan.config import Settings
from kervan.diplomacy.verification import Reason

GUIDE = Path(__file__).parents[3] / "docs" / "diplomacy.md"


def test_settings_and_reasons_are_documented() -> None:
    text = GUIDE.read_text()
    settings = [n for n in Settings.model_fields if n.startswith("diplomacy_")]
    assert settings
    assert [n for n in settings if f"KERVAN_{n.upper()}" not in text] == []
    assert [r.value for r in Reason if f"`{r.value}`" not in text] == []
