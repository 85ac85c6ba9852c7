"""The accreditation register: entered by an officer, imported from a file, or received from
the home state's node as a signed list (a file, or an ``accreditations.listed`` envelope).
Withdrawing an accreditation, here or in the home state's list, revokes every pass this node
issued on it; ending it sooner revokes those that would outlive it."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, Role
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy.models import Accreditation, AccreditationSource
from kervan.diplomacy.schemas import AccreditationCreate, ListedAccreditation
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.exchange import compact
from kervan.exchange.trust import TrustList
from kervan.messages import ENDS_BEFORE_START, RECORD_NOT_FOUND

MAX_IMPORT_ROWS = 5000
STATE_CODE = re.compile(r"[A-Z]{3}")
Row = TypeVar("Row", bound=AccreditationCreate)
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
    actor: Principal,
    data: AccreditationCreate,
    *,
    accredited_in: str,
    source: AccreditationSource,
    now: dt.datetime,
) -> Accreditation:
    """One accreditation by (accredited_in, card number): a new card, or new details of one.
    A withdrawal (a home state's list) or an earlier end stops the passes this node issued on
    it; a withdrawn accreditation stays withdrawn."""
    _check_dates(data)
    found = session.scalar(
        select(Accreditation).where(
            Accreditation.accredited_in == accredited_in,
            Accreditation.card_number == data.card_number,
        )
    )
    values = data.model_dump(exclude={"accredited_in", "withdrawal_reason"})
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
    withdrawal = getattr(data, "withdrawal_reason", None)
    if withdrawal and found.withdrawn_at is None:
        found.withdrawn_at, found.withdrawal_reason = now, withdrawal
    session.flush()
    stop_passes(session, actor, found, now)
    return found


def stop_passes(
    session: Session, actor: Principal, accreditation: Accreditation, now: dt.datetime
) -> int:
    """Revoke the live passes this node issued that outlive the accreditation: all of them
    when it is withdrawn, else those valid past its last day (signed passes cannot shrink)."""
    from kervan.diplomacy.passes import end_of, revoke_for_accreditation

    if accreditation.withdrawn_at is not None:
        reason = f"accreditation withdrawn: {accreditation.withdrawal_reason}"
        return revoke_for_accreditation(session, actor, accreditation.id, reason[:300], now)
    last_day = accreditation.valid_until
    return revoke_for_accreditation(
        session,
        actor,
        accreditation.id,
        f"the accreditation ends on {last_day.isoformat()}",
        now,
        valid_after=end_of(last_day),
    )


def _tell_airport_states(session: Session, found: Accreditation, node_state: str) -> None:
    """The home state's node tells the airport states it asked for this person's access."""
    if found.home_state == node_state:
        from kervan.diplomacy.messages import send_listed

        send_listed(session, found)


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
        session,
        principal,
        data,
        accredited_in=data.accredited_in or node_state,
        source=source,
        now=now,
    )
    _tell_airport_states(session, found, node_state)
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
    session: Session,
    principal: Principal,
    id: uuid.UUID,
    reason: str,
    *,
    node_state: str,
    now: dt.datetime,
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
    revoked = stop_passes(session, principal, found, now)
    _tell_airport_states(session, found, node_state)
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


def _validated(rows: Iterable[Mapping[str, Any]], model: type[Row]) -> list[Row]:
    """All rows or none: every bad row is reported with its number (the header is row 1)."""
    valid: list[Row] = []
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
            data = model.model_validate({k: v for k, v in row.items() if v != ""})
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
    return valid


def import_rows(
    session: Session,
    principal: Principal,
    rows: Iterable[Mapping[str, Any]],
    *,
    node_state: str,
    now: dt.datetime,
) -> int:
    """A file of accreditations: all rows or none."""
    require(principal, Permission.ACCREDITATIONS_MANAGE)
    valid = _validated(rows, AccreditationCreate)
    for data in valid:
        found = upsert(
            session,
            principal,
            data,
            accredited_in=data.accredited_in or node_state,
            source=AccreditationSource.IMPORT,
            now=now,
        )
        _tell_airport_states(session, found, node_state)
    audit.record(
        session,
        principal,
        "accreditation.imported",
        record_type="accreditation",
        details={"count": len(valid), "source": AccreditationSource.IMPORT.value},
    )
    return len(valid)


def list_payload(
    home_state: str, accredited_in: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"accredited_in": accredited_in, "home_state": home_state, "staff": items}


def listed_item(found: Accreditation) -> dict[str, Any]:
    """An accreditation as a home state's list names it (``ListedAccreditation``)."""
    item: dict[str, Any] = {
        "home_state": found.home_state,
        "card_number": found.card_number,
        "primary_identifier": found.primary_identifier,
        "secondary_identifier": found.secondary_identifier,
        "name_as_written": found.name_as_written,
        "mission": found.mission,
        "function": found.function,
        "valid_from": found.valid_from.isoformat(),
        "valid_until": found.valid_until.isoformat(),
    }
    if found.withdrawn_at is not None:
        item["withdrawal_reason"] = found.withdrawal_reason or "withdrawn"
    return item


def sign_list(signing: Any, accredited_in: str, items: list[dict[str, Any]]) -> str:
    """A home state's signed list of its staff accredited in ``accredited_in`` (compact JWS)."""
    payload = list_payload(signing.state, accredited_in, items)
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return str(
        compact.sign(signing.private_key, kid=signing.kid, typ=SIGNED_LIST_TYP, payload=body)
    )


def apply_list(
    session: Session,
    actor: Principal,
    payload: Any,
    *,
    signer_state: str,
    now: dt.datetime,
) -> int:
    """A home state's list of its staff, whose signature (of the JWS, or of the envelope) the
    caller checked: new details, withdrawals and earlier ends; the passes this node issued that
    outlive them are revoked (``upsert``). All entries or none."""
    if not isinstance(payload, dict) or payload.get("home_state") != signer_state:
        raise InvalidInput(
            f"the list is not {signer_state}'s own",
            code=codes.LIST_NOT_OWN,
            params={"state": signer_state},
        )
    accredited_in = payload.get("accredited_in")
    if not isinstance(accredited_in, str) or not STATE_CODE.fullmatch(accredited_in):
        raise InvalidInput(
            "the list does not name the state that accredited its staff", code=codes.LIST_NO_HOST
        )
    staff = payload.get("staff")
    if not isinstance(staff, list):
        raise InvalidInput("the list has no staff", code=codes.LIST_NO_STAFF)
    if any(not isinstance(s, dict) or s.get("home_state") != signer_state for s in staff):
        raise InvalidInput(
            f"a list signed by {signer_state} may name {signer_state}'s staff only",
            code=codes.LIST_OTHER_STAFF,
            params={"state": signer_state},
        )
    valid = _validated(
        [{k: v for k, v in s.items() if k != "accredited_in"} for s in staff], ListedAccreditation
    )
    for data in valid:
        upsert(
            session,
            actor,
            data,
            accredited_in=accredited_in,
            source=AccreditationSource.HOME_STATE,
            now=now,
        )
    audit.record(
        session,
        actor,
        "accreditation.imported",
        record_type="accreditation",
        details={
            "count": len(valid),
            "source": AccreditationSource.HOME_STATE.value,
            "home_state": signer_state,
            "withdrawn": sum(1 for d in valid if d.withdrawal_reason),
        },
    )
    return len(valid)


def accept_signed_list(
    session: Session,
    principal: Principal,
    text: str,
    *,
    trust: TrustList,
    now: dt.datetime,
) -> int:
    """Accept a home state's list if its node's key (on the trust list in force) signed it."""
    require(principal, Permission.ACCREDITATIONS_MANAGE)
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
    try:
        payload = json.loads(parsed.payload)
    except ValueError as exc:
        raise InvalidInput("the signed list is not JSON", code=codes.LIST_NOT_JSON) from exc
    return apply_list(session, principal, payload, signer_state=key.state, now=now)
