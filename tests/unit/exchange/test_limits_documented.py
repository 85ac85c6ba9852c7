"""Every limit of the exchange's public endpoints is described in the operator's guide."""

from __future__ import annotations

from pathlib import Path

from kervan.config import Settings

OPERATE = Path(__file__).parents[3] / "docs" / "operate.md"
LIMITS = (
    "exchange_max_request_bytes",
    "exchange_max_envelope_bytes",
    "exchange_max_batch_envelopes",
    "exchange_refusals_per_minute",
)


def test_exchange_limits_are_documented_with_their_defaults() -> None:
    text = OPERATE.read_text()
    for name in LIMITS:
        row = next((line for line in text.splitlines() if f"`KERVAN_{name.upper()}`" in line), "")
        assert row, f"KERVAN_{name.upper()} is not in docs/operate.md"
        assert str(Settings.model_fields[name].default) in row, f"{name}: default not documented"
