"""API shapes of accounts, tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kervan.accounts.roles import Role
from kervan.plain_text import NO_CONTROL_CHARACTERS
from kervan.whole_numbers import WholeNumber

Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$"
    ),
]
TokenName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=NO_CONTROL_CHARACTERS
    ),
]


class UserCreate(BaseModel):
    username: Username
    password: str = Field(min_length=1, max_length=1000, description="See the password policy")
    role: Role
    state: str = Field(min_length=3, max_length=3, description="ISO 3166-1 alpha-3")
    full_name: str = Field("", max_length=200, pattern=NO_CONTROL_CHARACTERS)
    locale: str = Field("en", max_length=8)


class PasswordReset(BaseModel):
    password: str = Field(min_length=1, max_length=1000)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    state: str
    locale: str
    is_active: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime


class AccountChangePublic(UserPublic):
    """An account after it was disabled, enabled or given a new password, and the access that
    took away (a disable or a reset ends every session and revokes every API token)."""

    sessions_ended: int = 0
    tokens_revoked: int = 0


class TokenCreate(BaseModel):
    name: TokenName = Field(description="What the token is for, to tell tokens apart")
    expires_in_days: WholeNumber | None = Field(
        None, ge=1, le=3650, description="Omit for a token that lasts until revoked"
    )


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str = Field(description="The secret's first characters, to recognise it")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(BaseModel):
    token: TokenPublic
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`. Shown only once.")


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: dt.datetime | None = Field(description="Absent only for a malformed (tampered) entry")
    user_id: uuid.UUID | None
    username: str
    role: str
    state: str
    action: str
    outcome: str
    record_type: str
    record_id: str
    purpose: str
    address: str
    details: dict[str, Any]
    prev_hash: str
    entry_hash: str
    malformed: list[str] = Field(
        [],
        description="Columns whose stored value does not parse (written around the service): "
        "the entry was tampered with; `raw` holds what is stored",
    )
    raw: dict[str, str] = {}


class AuditPage(BaseModel):
    items: list[AuditEntryPublic]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next (older) page; absent on the last"
    )


class ChainProblemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    problem: str


class CheckpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int = Field(description="Entries the checkpoint vouches for (the last one's number)")
    entry_hash: str
    at: dt.datetime
    kid: str = Field(description="The node key that signed it")
    token: str = Field(description="The signed checkpoint (compact JWS, EdDSA): keep a copy")


class ChainStatus(BaseModel):
    intact: bool
    entries_checked: int
    first_bad_seq: int | None = Field(
        None, description="The first entry altered, inserted, removed or unreadable"
    )
    problem: str = ""
    last_hash: str = Field(description="Hash of the last entry checked; note it to compare later")
    problems: list[ChainProblemPublic] = Field(
        [], description="Every problem found, in order (the first 100)"
    )
    problem_count: int = 0
    checkpoint_seq: int | None = Field(
        None, description="How many entries the latest valid checkpoint vouches for"
    )
    checkpoint_at: dt.datetime | None = None
    refused_checkpoints: list[str] = Field(
        [], description="Why each checkpoint whose signature did not verify was refused"
    )
