"""Every limit of the exchange's public endpoints is described in the operator's guide."""

from __future__ import annotations

from pathlib import Path

from kervan.config import Settings

OPERATE = Path(__file__).parents[3] / "docs" / "operate.md"
LIMITS = ("exchange_max_", "exchange_refusals_")


def test_exchange_limits_are_documented_with_their_defaults() -> None:
    text = OPERATE.read_text()
    names = [n for n in Settings.model_fields if n.startswith(LIMITS)]
    assert len(names) == 4
    for name in names:
        row = next((line for line in text.splitlines() if f"`KERVAN_{name.upper()}`" in line), "")
        assert row, f"KERVAN_{name.upper()} is not in docs/operate.md"
        assert str(Settings.model_fields[name].default) in row, f"{name}: default not documented"
