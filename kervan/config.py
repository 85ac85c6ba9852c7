"""Node settings, read from ``KERVAN_*`` environment variables (and a ``.env`` file).

Only the entry points (CLI, app factory) read settings; domain code is handed what it needs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
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
