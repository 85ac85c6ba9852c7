"""Node settings, read from ``KERVAN_*`` environment variables (and a ``.env`` file).

Only the entry points (CLI, app factory) read settings; domain code is handed what it needs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kervan.registry.codes import validate_state_code

DEFAULT_DATABASE_URL = "sqlite:///kervan.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KERVAN_", env_file=".env", extra="ignore")

    state: str = Field("KAZ", description="ISO 3166-1 alpha-3 code of the state this node serves")
    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the database")
    environment: str = Field("development", description="development, test or production")
    secret_key: str = Field(
        "development-only-secret",
        description="Key for session cookies and CSRF tokens; must be set outside development",
    )
    data_dir: Path = Field(Path("."), description="Folder for keys and exports")
    page_size_max: int = Field(500, description="Largest page a list endpoint returns")
    session_idle_minutes: int = Field(
        30, ge=1, description="A UI session ends after this many minutes without a request"
    )
    session_absolute_hours: int = Field(
        12, ge=1, description="A UI session ends this many hours after sign-in, active or not"
    )
    signin_lockout_threshold: int = Field(
        5, ge=1, description="Consecutive failed sign-ins that lock an account"
    )
    signin_lockout_minutes: int = Field(
        15, ge=1, description="How long a locked account stays locked"
    )
    signin_address_max_failures: int = Field(
        20,
        ge=1,
        description="Failed sign-ins from one client address, to any account, within "
        "signin_address_window_minutes that block further attempts from it",
    )
    signin_address_window_minutes: int = Field(
        15,
        ge=1,
        description="Window for counting an address's failed sign-ins, and how long it is "
        "then blocked",
    )

    # The exchange between nodes (docs/exchange.md).
    signing_key: SecretStr | None = Field(
        None,
        description="This node's private signing key as a JWK (JSON); if unset, the current "
        "key is read from the keys folder",
    )
    keys_dir: Path | None = Field(
        None, description="Folder of this node's signing keys (default: data_dir/keys)"
    )
    exchange_replay_window_hours: int = Field(
        168, ge=1, description="Envelopes older than this are refused (ids are kept longer)"
    )
    exchange_clock_skew_seconds: int = Field(
        300, ge=0, description="How far in the future an envelope's created_at may be"
    )
    exchange_batch_size: int = Field(
        1000, ge=1, le=1000, description="Envelopes per delivery request (a receiver takes 1,000)"
    )
    exchange_lanes: int = Field(
        4, ge=1, le=16, description="Batches in flight per peer (subjects are spread over lanes)"
    )
    exchange_max_attempts: int = Field(
        12, ge=1, description="Failed deliveries after which a message becomes a dead letter"
    )
    exchange_worker: bool = Field(
        False, description="Run the delivery worker inside `kervan serve` (else: `kervan worker`)"
    )
    exchange_query_rate_per_minute: int = Field(
        30, ge=1, description="Peer queries a node answers per requesting state and minute"
    )

    # Diplomats' airport access (docs/diplomacy.md).
    diplomacy_decision_hours: int = Field(
        24, ge=1, le=720, description="Hours the airport authority has to decide an access request"
    )
    diplomacy_revocations_max_age_hours: int = Field(
        12,
        ge=1,
        le=720,
        description="The verifier page warns when its revocation list is older than this",
    )

    @field_validator("state")
    @classmethod
    def _state_code(cls, value: str) -> str:
        return validate_state_code(value.upper())

    @field_validator("secret_key")
    @classmethod
    def _no_placeholder_secret_in_production(cls, value: str, info: object) -> str:
        data = getattr(info, "data", {})
        if data.get("environment") == "production" and value == "development-only-secret":
            raise ValueError("KERVAN_SECRET_KEY must be set to a real secret in production")
        return value
