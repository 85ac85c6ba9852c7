"""kervan/accounts/checkpoints.py: a checkpoint reads back only with a key of this node and
unaltered; every other token is refused with a coded reason; a checkpoint is written when one
is due and the chain has grown, never over an existing one that says something else."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit, checkpoints, messages
from kervan.accounts.checkpoints import InvalidCheckpoint, read_checkpoint, sign_checkpoint
from kervan.accounts.models import AuditHead
from kervan.accounts.roles import Principal
from kervan.config import Settings
from kervan.errors import InvalidInput
from kervan.exchange import compact
from kervan.exchange.keys import SigningKey, new_key
from kervan.uow import unit_of_work

AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
KEY = new_key("KAZ")
KEYS = {KEY.kid: KEY.private_key.public_key()}
HASH = "a" * 64


hashes = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(st.integers(min_value=0, max_value=2**40), hashes)
def test_a_checkpoint_reads_back_as_signed(seq: int, entry_hash: str) -> None:
    signed = sign_checkpoint(KEY, seq, entry_hash, AT)
    assert read_checkpoint(f"  {signed.token}\n", KEYS) == signed


def _code(token: str, keys: checkpoints.PublicKeys = KEYS) -> str:
    with pytest.raises(InvalidCheckpoint) as caught:
        read_checkpoint(token, keys)
    return str(caught.value.code)


def _signed(payload: dict[str, object], typ: str = checkpoints.TYP, key: SigningKey = KEY) -> str:
    body = json.dumps(payload).encode()
    return compact.sign(key.private_key, kid=key.kid, typ=typ, payload=body)


def test_a_checkpoint_of_another_key_or_altered_is_refused() -> None:
    token = sign_checkpoint(KEY, 5, HASH, AT).token
    assert _code(token, {}) == messages.CHECKPOINT_UNKNOWN_KEY
    header, _, signature = token.split(".")
    other = sign_checkpoint(KEY, 6, HASH, AT).token.split(".")[1]
    assert _code(f"{header}.{other}.{signature}") == messages.CHECKPOINT_ALTERED
    impostor = new_key("KAZ")
    forged = sign_checkpoint(impostor, 5, HASH, AT).token
    assert _code(forged, {impostor.kid: KEY.private_key.public_key()}) == (
        messages.CHECKPOINT_ALTERED
    )


@pytest.mark.parametrize(
    "token",
    [
        "not a jws",
        "x" * (checkpoints.MAX_TOKEN_CHARACTERS + 1),
        _signed({"type": "audit.checkpoint", "seq": 1, "hash": HASH, "at": AT.isoformat()}, "JWT"),
        _signed({"type": "receipt", "seq": 1, "hash": HASH, "at": AT.isoformat()}),
        _signed({"type": "audit.checkpoint", "seq": 1, "hash": "short", "at": AT.isoformat()}),
        _signed({"type": "audit.checkpoint", "seq": -1, "hash": HASH, "at": AT.isoformat()}),
        _signed({"type": "audit.checkpoint", "seq": 1, "hash": HASH, "at": "2026-12-01T09:00"}),
        _signed({"type": "audit.checkpoint", "hash": HASH, "at": AT.isoformat()}),
        _signed([1, 2]),  # type: ignore[arg-type]
    ],
    ids=[
        "garbage",
        "too long",
        "wrong typ",
        "other type",
        "hash",
        "seq",
        "naive time",
        "no seq",
        "not an object",
    ],
)
def test_what_is_not_a_checkpoint_is_refused_as_malformed(token: str) -> None:
    assert _code(token) == messages.CHECKPOINT_MALFORMED


def test_a_file_lists_one_token_a_line_skipping_comments(tmp_path: Path) -> None:
    good = sign_checkpoint(KEY, 1, HASH, AT)
    checkpoints.keep_outside(good, tmp_path / "anchors")
    checkpoints.keep_outside(sign_checkpoint(KEY, 2, HASH, AT), tmp_path / "anchors")
    path = tmp_path / "anchors" / checkpoints.FILE_NAME
    path.write_text("# exported\n\n" + path.read_text() + "garbage\n")
    tokens = checkpoints.directory_tokens(tmp_path / "anchors")
    assert len(tokens) == 3 and tokens[0] == good.token
    found, refused = checkpoints.verified(tokens, KEYS)
    assert [c.seq for c in found] == [1, 2] and len(refused) == 1
    assert checkpoints.directory_tokens(tmp_path / "none") == []
    assert checkpoints.directory_tokens(None) == []


def test_a_file_too_large_to_be_checkpoints_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.jws"
    with path.open("wb") as handle:
        handle.truncate(checkpoints.MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(InvalidCheckpoint) as caught:
        checkpoints.read_file(path)
    assert caught.value.code == messages.CHECKPOINT_FILE_TOO_LARGE


def _append(factory: sessionmaker[Session], system: Principal) -> None:
    with unit_of_work(factory) as session:
        audit.record(session, system, "test.entry")


def test_a_checkpoint_is_written_when_due_and_the_chain_grew(
    session_factory: sessionmaker[Session], system: Principal
) -> None:
    settings = Settings(state="KAZ", audit_checkpoint_minutes=60)
    due = checkpoints.checkpoint_if_due
    _append(session_factory, system)
    first = due(session_factory, KEY, settings, AT)
    assert first is not None and first.seq == 1
    _append(session_factory, system)
    assert due(session_factory, KEY, settings, AT + dt.timedelta(minutes=30)) is None  # not due
    second = due(session_factory, KEY, settings, AT + dt.timedelta(minutes=61))
    assert second is not None and second.seq == 2
    assert due(session_factory, KEY, settings, AT + dt.timedelta(hours=5)) is None  # no growth
    off = Settings(state="KAZ", audit_checkpoint_minutes=0)
    _append(session_factory, system)
    assert due(session_factory, KEY, off, AT + dt.timedelta(hours=9)) is None
    with session_factory() as session:
        assert [c.seq for c in checkpoints.stored_tokens(session)] == [2, 1]
        found, refused = checkpoints.known(session, KEYS, [first.token])
        assert sorted(c.seq for c in found) == [1, 2] and refused == []


def test_an_existing_checkpoint_is_never_overwritten(session: Session, system: Principal) -> None:
    audit.record(session, system, "test.entry")
    first = checkpoints.write_checkpoint(session, KEY, AT)
    again = checkpoints.write_checkpoint(session, KEY, AT + dt.timedelta(hours=1))
    assert again.token == first.token  # nothing appended since: the same checkpoint
    head = session.get_one(AuditHead, 1)
    head.last_hash = "b" * 64  # the chain rewritten under it
    with pytest.raises(InvalidInput) as caught:
        checkpoints.write_checkpoint(session, KEY, AT + dt.timedelta(hours=2))
    assert caught.value.code == messages.CHAIN_MISMATCH
