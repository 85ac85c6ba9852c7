"""Is this node ready to take traffic? Each check says what it found; ``/readyz`` answers 503
with the list when any fails, so an operator (or a load balancer's log) sees why."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_sessionmaker
from kervan.errors import KervanError
from kervan.ops.startup import schema_problem

#: A trust list whose entry for this node expires sooner than this is reported (still ready).
EXPIRY_WARNING = dt.timedelta(days=30)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    facts: dict[str, Any] = field(default_factory=dict)


def check_database(engine: Engine) -> Check:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.rollback()
    except SQLAlchemyError as exc:
        return Check("database", False, f"cannot reach the database: {type(exc).__name__}")
    return Check("database", True, "reachable")


def check_migrations(engine: Engine) -> Check:
    try:
        problem = schema_problem(engine)
    except SQLAlchemyError as exc:
        return Check("migrations", False, f"cannot read the revision: {type(exc).__name__}")
    return Check("migrations", problem is None, problem or "at the head revision")


def check_keys(settings: Settings) -> Check:
    from kervan.exchange.keys import load_signing_key

    try:
        signing = load_signing_key(settings)
    except (KervanError, OSError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, KervanError) else str(exc)
        return Check("keys", False, detail)
    return Check("keys", True, "signing key loaded", {"kid": signing.kid})


def check_trust_list(settings: Settings, engine: Engine, kid: str | None) -> Check:
    from kervan.exchange import trust_store

    try:
        with make_sessionmaker(engine)() as session:
            trusted = trust_store.current(session)
    except (SQLAlchemyError, KervanError) as exc:
        return Check("trust_list", False, f"cannot read the trust list: {type(exc).__name__}")
    if trusted is None:
        return Check("trust_list", False, "no trust list installed; run `kervan trust install`")
    facts: dict[str, Any] = {"version": trusted.version, "issued_at": trusted.issued_at}
    node = trusted.nodes.get(settings.state)
    key = trusted.key(kid) if kid else None
    if node is None:
        return Check(
            "trust_list", False, f"version {trusted.version} does not list {settings.state}", facts
        )
    if kid and key is None:
        return Check(
            "trust_list", False, f"version {trusted.version} does not list key {kid}", facts
        )
    now = utcnow()
    if key is not None:
        facts["key_expires_at"] = key.valid_until
        if (problem := key.problem_at(now)) is not None:
            return Check("trust_list", False, problem, facts)
        if key.valid_until is not None and key.valid_until - now < EXPIRY_WARNING:
            days = (key.valid_until - now).days
            return Check(
                "trust_list", True, f"in force; this node's key expires in {days} days", facts
            )
    return Check("trust_list", True, f"version {trusted.version} in force", facts)


def readiness(settings: Settings, engine: Engine) -> tuple[bool, list[Check]]:
    checks = [check_database(engine)]
    if checks[0].ok:
        checks.append(check_migrations(engine))
    keys = check_keys(settings)
    checks.append(keys)
    if checks[0].ok:
        checks.append(check_trust_list(settings, engine, keys.facts.get("kid")))
    return all(c.ok for c in checks), checks


def as_json(ready: bool, checks: list[Check]) -> dict[str, Any]:
    return {
        "status": "ready" if ready else "not ready",
        "checks": {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in checks},
    }
