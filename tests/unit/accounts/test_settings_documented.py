"""Every accounts and security setting is described in the operator's guide."""

from __future__ import annotations

from pathlib import Path

from kervan.config import Settings

OPERATE = Path(__file__).parents[3] / "docs" / "operate.md"
PREFIXES = ("session_", "signin_", "secret_key", "trusted_proxies", "audit_")


def test_accounts_settings_are_documented() -> None:
    text = OPERATE.read_text()
    names = [n for n in Settings.model_fields if n.startswith(PREFIXES)]
    assert names
    missing = [n for n in names if f"KERVAN_{n.upper()}" not in text]
    assert not missing, f"undocumented in docs/operate.md: {missing}"
