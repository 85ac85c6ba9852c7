"""JSON API of accounts, ``/api/v1``: the caller's API tokens, user administration, and the audit
log. Thin: parse, authorise (every route declares its policy), call the service, shape."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from kervan.accounts import checkpoints, service
from kervan.accounts.audit import AuditFilter
from kervan.accounts.audit_params import before_seq, utc_instant
from kervan.accounts.audit_verify import ChainReport
from kervan.accounts.roles import Permission, Principal
from kervan.accounts.schemas import (
    AccountChangePublic,
    AuditEntryPublic,
    AuditPage,
    ChainProblemPublic,
    ChainStatus,
    CheckpointPublic,
    PasswordReset,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from kervan.web.deps import SessionDep, SettingsDep, get_session_factory, policy
from kervan.web.pagination import PageSize

router = APIRouter(prefix="/api/v1")

# ----------------------------------------------------------------------------------------------
# The caller's own API tokens


@router.get("/tokens", operation_id="list_tokens", tags=["tokens"])
def list_tokens(
    session: SessionDep, principal: Principal = policy(Permission.AUTHENTICATED)
) -> list[TokenPublic]:
    return [TokenPublic.model_validate(t) for t in service.list_api_tokens(session, principal)]


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, operation_id="create_token", tags=["tokens"]
)
def create_token(
    body: TokenCreate, session: SessionDep, principal: Principal = policy(Permission.AUTHENTICATED)
) -> TokenCreated:
    """Create a bearer token for a machine client. The secret is in this response only."""
    token, secret = service.create_api_token(
        session, principal, body.name, expires_in_days=body.expires_in_days
    )
    return TokenCreated(token=TokenPublic.model_validate(token), secret=secret)


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="revoke_token",
    tags=["tokens"],
    response_class=Response,
)
def revoke_token(
    token_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> Response:
    service.revoke_api_token(session, principal, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------------------------
# User administration


@router.get("/users", operation_id="list_users", tags=["users"])
def list_users(
    session: SessionDep, principal: Principal = policy(Permission.ACCOUNTS_MANAGE)
) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in service.list_users(session, principal)]


@router.post(
    "/users", status_code=status.HTTP_201_CREATED, operation_id="create_user", tags=["users"]
)
def create_user(
    body: UserCreate,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> UserPublic:
    user = service.create_user(
        session,
        principal,
        username=body.username,
        password=body.password,
        role=body.role,
        state=body.state.upper(),
        full_name=body.full_name,
        locale=body.locale,
    )
    return UserPublic.model_validate(user)


@router.post("/users/{user_id}/disable", operation_id="disable_user", tags=["users"])
def disable_user(
    user_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> AccountChangePublic:
    """Disable an account: its sessions end at once and its API tokens are revoked (enabling
    it again does not bring them back); the answer says how many of each."""
    username = service.get_user(session, user_id).username
    return _account_change(service.set_active(session, principal, username, False))


@router.post("/users/{user_id}/enable", operation_id="enable_user", tags=["users"])
def enable_user(
    user_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> AccountChangePublic:
    username = service.get_user(session, user_id).username
    return _account_change(service.set_active(session, principal, username, True))


@router.post("/users/{user_id}/reset-password", operation_id="reset_user_password", tags=["users"])
def reset_user_password(
    user_id: uuid.UUID,
    body: PasswordReset,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> AccountChangePublic:
    """Set a new password, lift any lockout, end the user's sessions and revoke their API
    tokens; the answer says how many of each."""
    username = service.get_user(session, user_id).username
    return _account_change(service.reset_password(session, principal, username, body.password))


def _account_change(change: service.AccountChange) -> AccountChangePublic:
    public = UserPublic.model_validate(change.user).model_dump()
    return AccountChangePublic(
        **public, sessions_ended=change.sessions_ended, tokens_revoked=change.tokens_revoked
    )


# ----------------------------------------------------------------------------------------------
# The audit log


def audit_filter(
    username: str | None = None,
    action: Annotated[str | None, Query(description="e.g. person.read, auth.sign_in")] = None,
    record_type: Annotated[str | None, Query(description="e.g. person, user")] = None,
    record_id: str | None = None,
    outcome: Annotated[str | None, Query(description="ok, failed, denied, not_found")] = None,
    since: Annotated[dt.datetime | None, Query(description="From this time on")] = None,
    until: Annotated[dt.datetime | None, Query(description="Before this time")] = None,
) -> AuditFilter:
    return AuditFilter(
        username=username,
        action=action,
        record_type=record_type,
        record_id=record_id,
        outcome=outcome,
        since=utc_instant(since),
        until=utc_instant(until),
    )


AuditFilterDep = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("/audit", operation_id="search_audit", tags=["audit"])
def search_audit(
    limit: PageSize,
    session: SessionDep,
    filters: AuditFilterDep,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> AuditPage:
    """Entries matching every filter given, newest first."""
    entries, next_before = service.search_audit(
        session, principal, filters, before_seq=before_seq(cursor), limit=limit
    )
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e) for e in entries],
        next_cursor=str(next_before) if next_before is not None else None,
    )


@router.get(
    "/audit/export",
    operation_id="export_audit",
    tags=["audit"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The entries as CSV"}},
)
def export_audit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    filters: AuditFilterDep,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> StreamingResponse:
    """Entries matching every filter given, oldest first, as CSV (streamed: any size)."""
    lines = service.export_audit(session, principal, get_session_factory(request), filters)
    name = f"kervan-audit-{settings.state}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%MZ}.csv"
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/audit/verify", operation_id="verify_audit", tags=["audit"])
def verify_audit(
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> ChainStatus:
    """Check the hash chain against its head and the node's signed checkpoints; list every
    entry altered, inserted, removed or unreadable, and say how many entries the latest
    checkpoint vouches for."""
    keys, outside = checkpoints.node_sources(settings)
    return chain_status(service.verify_audit(session, principal, keys, outside))


def chain_status(report: ChainReport) -> ChainStatus:
    return ChainStatus(
        intact=report.intact,
        entries_checked=report.entries_checked,
        first_bad_seq=report.first_bad_seq,
        problem=report.problem,
        last_hash=report.last_hash,
        problems=[ChainProblemPublic.model_validate(p) for p in report.problems],
        problem_count=report.problem_count,
        checkpoint_seq=report.checkpoint.seq if report.checkpoint else None,
        checkpoint_at=report.checkpoint.at if report.checkpoint else None,
        refused_checkpoints=list(report.refused_checkpoints),
    )


@router.get("/audit/checkpoints", operation_id="list_audit_checkpoints", tags=["audit"])
def list_audit_checkpoints(
    limit: PageSize,
    session: SessionDep,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> list[CheckpointPublic]:
    """The latest signed checkpoints of the audit chain, newest first: keep copies outside
    the node (`kervan audit verify --against FILE` reads their `token`s, one per line)."""
    return [
        CheckpointPublic.model_validate(c)
        for c in service.list_checkpoints(session, principal, limit)
    ]
