"""The accreditation register: entered by an officer, imported from a file, or received from
the home state's node as a signed list. Withdrawing an accreditation revokes every pass that
depends on it; an expired one stops them because a pass never outlives its accreditation."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, Role
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy.models import Accreditation, AccreditationSource
from kervan.diplomacy.schemas import AccreditationCreate
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.exchange import compact
from kervan.exchange.trust import TrustList
from kervan.messages import ENDS_BEFORE_START, RECORD_NOT_FOUND

MAX_IMPORT_ROWS = 5000
SIGNED_LIST_TYP = "kervan-accreditations+jws"


def scoped(principal: Principal) -> Select[Accreditation]:
    """A consular officer sees their own state's staff only."""
    query = select(Accreditation)
    if principal.role is Role.CONSULAR_OFFICER:
        query = query.where(Accreditation.home_state == principal.state)
    return query


def list_accreditations(
    session: Session, principal: Principal, *, limit: int = 200
) -> list[Accreditation]:
    require(principal, Permission.ACCREDITATIONS_READ)
    query = scoped(principal).order_by(Accreditation.home_state, Accreditation.primary_identifier)
    found = list(session.scalars(query.limit(limit)))
    audit.record(
        session,
        principal,
        "accreditation.list",
        record_type="accreditation",
        details={"count": len(found)},
    )
    return found


def get_accreditation(session: Session, principal: Principal, id: uuid.UUID) -> Accreditation:
    found = session.scalar(scoped(principal).where(Accreditation.id == id))
    if found is None:
        raise NotFound(f"no accreditation {id}", code=RECORD_NOT_FOUND, params={"id": str(id)})
    return found


def _check_dates(data: AccreditationCreate) -> None:
    if data.valid_until < data.valid_from:
        raise InvalidInput("the accreditation ends before it begins", code=ENDS_BEFORE_START)


def upsert(
    session: Session,
    data: AccreditationCreate,
    *,
    accredited_in: str,
    source: AccreditationSource,
    now: dt.datetime,
) -> Accreditation:
    """One accreditation by (accredited_in, card number): a new card, or new details of one."""
    _check_dates(data)
    found = session.scalar(
        select(Accreditation).where(
            Accreditation.accredited_in == accredited_in,
            Accreditation.card_number == data.card_number,
        )
    )
    values = data.model_dump(exclude={"accredited_in"})
    values["name_as_written"] = values["name_as_written"] or (
        f"{data.primary_identifier} {data.secondary_identifier}".strip()
    )
    if found is None:
        found = Accreditation(
            accredited_in=accredited_in, source=source, created_at=now, updated_at=now, **values
        )
        session.add(found)
    else:
        if found.home_state != data.home_state:
            raise Conflict(
                f"card {data.card_number} belongs to staff of {found.home_state}",
                code=codes.CARD_OTHER_STATE,
                params={"card": data.card_number, "state": found.home_state},
            )
        for name, value in values.items():
            setattr(found, name, value)
        found.updated_at = now
    session.flush()
    return found


def add_accreditation(
    session: Session,
    principal: Principal,
    data: AccreditationCreate,
    *,
    node_state: str,
    now: dt.datetime,
    source: AccreditationSource = AccreditationSource.UI,
) -> Accreditation:
    require(principal, Permission.ACCREDITATIONS_MANAGE)
    found = upsert(
        session, data, accredited_in=data.accredited_in or node_state, source=source, now=now
    )
    audit.record(
        session,
        principal,
        "accreditation.saved",
        record_type="accreditation",
        record_id=found.id,
        details={"card_number": found.card_number, "source": source.value},
    )
    return found


def withdraw(
    session: Session, principal: Principal, id: uuid.UUID, reason: str, *, now: dt.datetime
) -> Accreditation:
    require(principal, Permission.ACCREDITATIONS_MANAGE)
    found = get_accreditation(session, principal, id)
    if found.withdrawn_at is not None:
        raise Conflict(
            f"accreditation {found.card_number} is already withdrawn",
            code=codes.ALREADY_WITHDRAWN,
            params={"card": found.card_number},
        )
    found.withdrawn_at, found.withdrawal_reason = now, reason
    from kervan.diplomacy.passes import revoke_for_accreditation

    revoked = revoke_for_accreditation(session, principal, found.id, reason, now)
    audit.record(
        session,
        principal,
        "accreditation.withdrawn",
        record_type="accreditation",
        record_id=found.id,
        details={"reason": reason, "passes_revoked": revoked},
    )
    return found


def known_columns() -> set[str]:
    """The columns an accreditation file may have (the fields of a new one); a missing one is
    reported per row by the validation."""
    return set(AccreditationCreate.model_fields)


def import_rows(
    session: Session,
    principal: Principal,
    rows: Iterable[Mapping[str, Any]],
    *,
    node_state: str,
    now: dt.datetime,
    source: AccreditationSource = AccreditationSource.IMPORT,
) -> int:
    """All rows or none: every bad row is reported with its number (the header is row 1)."""
    require(principal, Permission.ACCREDITATIONS_MANAGE)
    valid: list[AccreditationCreate] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            raise InvalidInput(
                f"a file may hold at most {MAX_IMPORT_ROWS} accreditations",
                code=codes.IMPORT_TOO_MANY,
                params={"limit": MAX_IMPORT_ROWS},
            )
        try:
            # An empty cell is a missing value (CSV has no other way to say so).
            data = AccreditationCreate.model_validate({k: v for k, v in row.items() if v != ""})
            _check_dates(data)
            valid.append(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            problems.append(f"row {number}: {'.'.join(map(str, first['loc']))}: {first['msg']}")
        except InvalidInput as exc:
            problems.append(f"row {number}: {exc.detail}")
    if problems:
        listed = "; ".join(problems[:20]) + ("; …" if len(problems) > 20 else "")
        raise InvalidInput(
            listed, code=codes.IMPORT_ROWS, params={"count": len(problems), "rows": listed}
        )
    for data in valid:
        upsert(
            session, data, accredited_in=data.accredited_in or node_state, source=source, now=now
        )
    audit.record(
        session,
        principal,
        "accreditation.imported",
        record_type="accreditation",
        details={"count": len(valid), "source": source.value},
    )
    return len(valid)


def sign_list(signing: Any, accredited_in: str, items: list[dict[str, Any]]) -> str:
    """A home state's signed list of its staff accredited in ``accredited_in`` (compact JWS)."""
    payload = {"accredited_in": accredited_in, "home_state": signing.state, "staff": items}
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return str(
        compact.sign(signing.private_key, kid=signing.kid, typ=SIGNED_LIST_TYP, payload=body)
    )


def accept_signed_list(
    session: Session,
    principal: Principal,
    text: str,
    *,
    trust: TrustList,
    node_state: str,
    now: dt.datetime,
) -> int:
    """Accept a home state's list if its node's key (on the trust list) signed it, and it lists
    that state's own staff accredited here."""
    try:
        parsed = compact.parse(text.strip())
    except Exception as exc:
        raise InvalidInput(
            f"the signed list is not a compact JWS: {exc}", code=codes.LIST_NOT_JWS
        ) from exc
    kid = str(parsed.header.get("kid", ""))
    key = trust.key(kid)
    if key is None or key.problem_at(now) or parsed.header.get("typ") != SIGNED_LIST_TYP:
        raise InvalidInput(
            f"the list is not signed by a key on the trust list ({kid or 'no kid'})",
            code=codes.LIST_UNKNOWN_KEY,
            params={"kid": kid or "-"},
        )
    if not parsed.verifies_with(key.key.public_key):
        raise InvalidInput("the list's signature does not verify", code=codes.LIST_ALTERED)
    payload = json.loads(parsed.payload)
    if payload.get("home_state") != key.state or payload.get("accredited_in") != node_state:
        raise InvalidInput(
            f"the list is {key.state}'s, for {payload.get('accredited_in')}",
            code=codes.LIST_WRONG_STATES,
            params={"signer": key.state, "host": str(payload.get("accredited_in"))},
        )
    staff = payload.get("staff")
    if not isinstance(staff, list):
        raise InvalidInput("the list has no staff", code=codes.LIST_NO_STAFF)
    if any(not isinstance(s, dict) or s.get("home_state") != key.state for s in staff):
        raise InvalidInput(
            f"a list signed by {key.state} may name {key.state}'s staff only",
            code=codes.LIST_OTHER_STAFF,
            params={"state": key.state},
        )
    return import_rows(
        session,
        principal,
        [{**s, "accredited_in": node_state} for s in staff],
        node_state=node_state,
        now=now,
        source=AccreditationSource.HOME_STATE,
    )
