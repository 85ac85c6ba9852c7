"""kervan/config.py: the settings' own rules — a state code in upper case, trusted proxies as a
comma list of networks, no placeholder secret outside development, the import limits in one
object — and that the environment is read with its prefix."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kervan.config import Settings


def test_the_state_is_an_upper_case_iso_code() -> None:
    assert Settings(state="uzb").state == "UZB"
    with pytest.raises(ValidationError):
        Settings(state="UZBEK")


def test_trusted_proxies_are_read_as_a_comma_list_of_networks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KERVAN_TRUSTED_PROXIES", " 10.0.0.5, 10.1.2.3/16 ,,")
    assert Settings().trusted_proxies == ["10.0.0.5/32", "10.1.0.0/16"]
    assert Settings(trusted_proxies=["::1"]).trusted_proxies == ["::1/128"]
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(trusted_proxies=["gateway.local"])


@pytest.mark.parametrize("environment", ["test", "production"])
def test_the_placeholder_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="KERVAN_SECRET_KEY"):
        Settings(environment=environment)  # type: ignore[arg-type]
    assert Settings(environment=environment, secret_key="s" * 40).secret_key == "s" * 40  # type: ignore[arg-type]
    assert Settings(environment="development").environment == "development"


def test_the_environment_is_read_with_the_kervan_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERVAN_STATE", "tur")
    monkeypatch.setenv("STATE", "KGZ")
    assert Settings().state == "TUR"


def test_the_import_limits_are_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Settings(import_max_rows=7, import_max_bytes=1024).import_limits()
    assert (limits.max_rows, limits.max_bytes) == (7, 1024)
    with pytest.raises(ValidationError):
        Settings(import_max_rows=0)
