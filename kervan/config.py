"""Node settings, read from ``KERVAN_*`` environment variables (and a ``.env`` file).

Only the entry points (CLI, app factory) read settings; domain code is handed what it needs.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kervan.registry.codes import validate_state_code
from kervan.registry.transfer.limits import ImportLimits

DEFAULT_DATABASE_URL = "sqlite:///kervan.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KERVAN_", env_file=".env", extra="ignore")

    state: str = Field("KAZ", description="ISO 3166-1 alpha-3 code of the state this node serves")
    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the database")
    environment: Literal["development", "test", "production"] = Field(
        "development",
        description="development, test or production (all but development are "
        "held to production's safety checks)",
    )
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
    # NoDecode: read from the environment as "10.0.0.5, 10.1.0.0/16" rather than as JSON.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        [],
        description="Reverse proxies (IP addresses or CIDR networks, comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto headers are believed; none by default",
    )
    audit_checkpoint_minutes: int = Field(
        60,
        ge=0,
        description="The worker signs a checkpoint of the audit chain this often (when it has "
        "grown); 0: only `kervan audit checkpoint` makes them",
    )
    audit_checkpoint_dir: Path | None = Field(
        None,
        description="Folder where each audit checkpoint is also appended to a file "
        "(audit-checkpoints.jws); best on storage the database's users cannot write",
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
    # exchange limits: what the public inbox and query endpoints read before anyone is
    # authenticated (docs/operate.md, docs/exchange.md).
    exchange_max_request_bytes: int = Field(
        10 * 1024 * 1024,
        ge=1024,
        description="Largest request body the inbox and query endpoints read (413 beyond)",
    )
    exchange_max_envelope_bytes: int = Field(
        64 * 1024, ge=1024, description="Largest envelope; a larger one is refused unread"
    )
    exchange_max_batch_envelopes: int = Field(
        1000, ge=1, description="Most envelopes in one inbox request (413 beyond)"
    )
    exchange_refusals_per_minute: int = Field(
        1000,
        ge=1,
        description="Refused envelopes from one client address per minute after which its "
        "requests are answered 429 until the minute has passed",
    )

    # Situation reports (docs/reports.md): disclosure control and the weekly schedule.
    report_threshold: int = Field(
        10, ge=1, le=1000, description="Cells counting fewer than this are suppressed"
    )
    report_protection: float = Field(
        5.0,
        gt=0,
        le=1000,
        description="Narrowest interval a reader may work out for a suppressed cell",
    )
    report_period_days: int = Field(7, ge=1, le=366, description="Days a report covers")
    report_audit_periods: int = Field(
        4, ge=0, le=52, description="Earlier reports the suppression and its audit include"
    )
    report_due_days: int = Field(
        3, ge=0, le=60, description="Days after its reference date a report counts as late"
    )
    report_schedule: bool = Field(
        True, description="The worker makes each period's report when the period has ended"
    )

    # Running a node (docs/operate.md): proxies, logs, metrics.
    log_format: Literal["json", "console"] = Field("json", description="json or console")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="Least severe log level"
    )
    metrics_token: SecretStr | None = Field(
        None, description="Bearer token /metrics asks for; unset: /metrics is off (404)"
    )

    # import limits (docs/import-export.md): a file past any of them is refused (413), checked
    # while it is read, so a hostile or mistaken file costs at most a limit's worth of work.
    import_max_bytes: int = Field(
        100 * 1024 * 1024, ge=1, description="Largest import file, in bytes"
    )
    import_max_rows: int = Field(1_000_000, ge=1, description="Most rows in one import file")
    import_max_columns: int = Field(64, ge=17, description="Most columns in an import's header")
    import_max_cell_chars: int = Field(
        1_000, ge=200, description="Longest cell of an import (a longer one fails its row)"
    )
    import_xlsx_max_uncompressed_bytes: int = Field(
        256 * 1024 * 1024,
        ge=1,
        description="Largest XLSX workbook once uncompressed, in bytes (all its parts)",
    )
    import_xlsx_max_shared_strings_bytes: int = Field(
        32 * 1024 * 1024,
        ge=1,
        description="Largest shared-strings part of an XLSX workbook uncompressed, in bytes "
        "(it is held in memory while the sheet is read)",
    )

    def import_limits(self) -> ImportLimits:
        return ImportLimits(
            max_bytes=self.import_max_bytes,
            max_rows=self.import_max_rows,
            max_columns=self.import_max_columns,
            max_cell_chars=self.import_max_cell_chars,
            xlsx_max_uncompressed_bytes=self.import_xlsx_max_uncompressed_bytes,
            xlsx_max_shared_strings_bytes=self.import_xlsx_max_shared_strings_bytes,
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

    # Assistance cases (docs/assistance.md): hours to act on a case, per urgency.
    assistance_sla_hours: str = Field(
        "critical=24,high=72,normal=240,low=720",
        description="Hours to resolve an assistance case per urgency: critical=24,high=72,…",
    )

    @field_validator("state")
    @classmethod
    def _state_code(cls, value: str) -> str:
        return validate_state_code(value.upper())

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        try:
            return [str(ipaddress.ip_network(v.strip(), strict=False)) for v in value]
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {exc}") from exc

    @field_validator("secret_key")
    @classmethod
    def _no_placeholder_secret_in_production(cls, value: str, info: object) -> str:
        data = getattr(info, "data", {})
        if data.get("environment") != "development" and value == "development-only-secret":
            raise ValueError("KERVAN_SECRET_KEY must be set to a real secret outside development")
        return value
