"""The audit log anchored outside its table: signed checkpoints catch a cut tail, a wiped log
and a recomputed chain, whichever tables were rewritten with it; a forged checkpoint is
refused; and an entry that cannot even be read is reported while the walk goes on — in the
service, the CLI and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kervan.accounts import audit, audit_verify, checkpoints
from kervan.accounts.audit_rows import entry_digest, hashed_fields
from kervan.accounts.models import AuditCheckpoint, AuditEntry, AuditHead
from kervan.accounts.roles import Principal, Role, system_principal
from kervan.accounts.service import create_user
from kervan.accounts.tokens import create_token
from kervan.cli import app as cli_app
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.exchange.keys import SigningKey, generate, new_key
from kervan.uow import unit_of_work
from kervan.web.app import create_app

ENTRIES = 30


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        state="KAZ",
        keys_dir=tmp_path / "keys",
        audit_checkpoint_dir=tmp_path / "anchors",
        audit_checkpoint_minutes=60,
    )


@pytest.fixture
def signing(settings: Settings) -> SigningKey:
    assert settings.keys_dir is not None
    return generate(settings.keys_dir, "KAZ")


def append(factory: sessionmaker[Session], officer: Principal, count: int) -> None:
    with unit_of_work(factory) as session:
        for n in range(count):
            audit.record(session, officer, "person.read", record_type="person", record_id=f"p{n}")


@pytest.fixture
def anchored(
    session_factory: sessionmaker[Session],
    officer: Principal,
    signing: SigningKey,
    settings: Settings,
) -> checkpoints.Checkpoint:
    """A log of ENTRIES entries with a checkpoint of all of them, kept in the folder too."""
    append(session_factory, officer, ENTRIES)
    checkpoint = checkpoints.checkpoint_if_due(session_factory, signing, settings, utcnow())
    assert checkpoint is not None and checkpoint.seq == ENTRIES
    return checkpoint


def verify(
    factory: sessionmaker[Session], settings: Settings, *outside: str
) -> audit_verify.ChainReport:
    keys, folder = checkpoints.node_sources(settings)
    with factory() as session:
        good, refused = checkpoints.known(session, keys, [*folder, *outside])
        return audit_verify.verify_chain(session, good, refused)


def execute(factory: sessionmaker[Session], *statements: str) -> None:
    with unit_of_work(factory) as session:
        for statement in statements:
            session.execute(text(statement))


def test_an_anchored_chain_verifies_and_says_what_was_promised(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    report = verify(session_factory, settings)
    assert report.intact
    assert report.checkpoint is not None and report.checkpoint.seq == ENTRIES


def test_a_cut_tail_with_its_head_is_caught(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    execute(
        session_factory,
        f"DELETE FROM audit_entries WHERE seq > {ENTRIES - 20}",
        "DELETE FROM audit_head",
    )
    report = verify(session_factory, settings)  # before: "intact"
    assert not report.intact
    assert report.first_bad_seq == ENTRIES - 19
    assert f"vouches for {ENTRIES} entries" in report.problem


def test_the_node_goes_on_recording_after_its_head_was_deleted(
    session_factory: sessionmaker[Session],
    settings: Settings,
    officer: Principal,
    anchored: checkpoints.Checkpoint,
) -> None:
    execute(session_factory, f"DELETE FROM audit_entries WHERE seq > {ENTRIES - 20}")
    execute(session_factory, "DELETE FROM audit_head")
    append(session_factory, officer, 2)  # before: every audited action failed on seq 1
    report = verify(session_factory, settings)
    assert report.entries_checked == ENTRIES - 18
    # The new entries chain onto what was left; the checkpoint still shows the cut.
    assert [p.seq for p in report.problems] == [ENTRIES - 17]
    assert f"vouches for {ENTRIES} entries" in report.problem


def test_a_head_rewritten_to_the_cut_tail_is_caught(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    with unit_of_work(session_factory) as session:
        tenth = session.get(AuditEntry, 10)
        assert tenth is not None
        session.execute(text("DELETE FROM audit_entries WHERE seq > 10"))
        head = session.get(AuditHead, 1)
        assert head is not None
        head.last_seq, head.last_hash = 10, tenth.entry_hash
    assert verify(session_factory, settings).first_bad_seq == 11


@pytest.mark.parametrize("also_checkpoints", [False, True], ids=["log", "log+checkpoints"])
def test_a_wiped_log_is_caught(
    session_factory: sessionmaker[Session],
    settings: Settings,
    anchored: checkpoints.Checkpoint,
    also_checkpoints: bool,
) -> None:
    wipe = ["DELETE FROM audit_entries", "DELETE FROM audit_head"]
    execute(session_factory, *wipe, *(["DELETE FROM audit_checkpoints"] * also_checkpoints))
    report = verify(session_factory, settings)  # the folder's copy is still there
    assert (report.intact, report.first_bad_seq) == (False, 1)
    assert "the log is empty" in report.problem


def test_only_an_exported_checkpoint_is_left(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    execute(
        session_factory,
        "DELETE FROM audit_entries",
        "DELETE FROM audit_head",
        "DELETE FROM audit_checkpoints",
    )
    assert settings.audit_checkpoint_dir is not None
    (settings.audit_checkpoint_dir / checkpoints.FILE_NAME).unlink()
    assert verify(session_factory, settings).intact  # nothing left to tell
    assert not verify(session_factory, settings, anchored.token).intact


def test_a_recomputed_chain_is_caught(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    """Someone who knows the hashing scheme alters entry 5 and recomputes every hash after
    it, and the head: the chain is consistent, but not the one that was checkpointed."""
    with unit_of_work(session_factory) as session:
        prev = session.get(AuditEntry, 4)
        assert prev is not None
        prev_hash = prev.entry_hash
        for seq in range(5, ENTRIES + 1):
            entry = session.get(AuditEntry, seq)
            assert entry is not None
            if seq == 5:
                entry.purpose = "written in later"
            entry.prev_hash = prev_hash
            entry.entry_hash = prev_hash = entry_digest(prev_hash, hashed_fields(entry))
        head = session.get(AuditHead, 1)
        assert head is not None
        head.last_hash = prev_hash
    report = verify(session_factory, settings)
    assert report.first_bad_seq == ENTRIES
    assert "rewritten" in report.problem


def test_a_forged_checkpoint_is_refused(
    session_factory: sessionmaker[Session], settings: Settings, anchored: checkpoints.Checkpoint
) -> None:
    stranger = new_key("KAZ")  # a key of the right shape, not one of this node's
    forged = checkpoints.sign_checkpoint(stranger, ENTRIES + 5, "f" * 64, utcnow())
    header, _payload, signature = anchored.token.split(".")
    altered = f"{header}.{forged.token.split('.')[1]}.{signature}"
    for token in (forged.token, altered, "not.a.checkpoint", "x" * 10_000):
        report = verify(session_factory, settings, token)
        assert not report.intact
        assert report.first_bad_seq is None and len(report.refused_checkpoints) == 1


def test_the_worker_schedule_checkpoints_when_due(
    session_factory: sessionmaker[Session],
    officer: Principal,
    signing: SigningKey,
    settings: Settings,
) -> None:
    schedule = checkpoints.CheckpointSchedule(session_factory, signing, settings)
    now = utcnow()
    append(session_factory, officer, 3)
    assert schedule.tick(now) is not None
    append(session_factory, officer, 2)
    assert schedule.tick(now + dt.timedelta(minutes=2)) is None  # not due yet
    written = schedule.tick(now + dt.timedelta(minutes=61))
    assert written is not None and written.seq == 5
    assert schedule.tick(now + dt.timedelta(minutes=200)) is None  # nothing new since
    assert settings.audit_checkpoint_dir is not None
    lines = (settings.audit_checkpoint_dir / checkpoints.FILE_NAME).read_text().splitlines()
    assert len(lines) == 2


# ----------------------------------------------------------------------------------------------
# Entries that cannot be read


def _malform(factory: sessionmaker[Session], dialect: str) -> list[int]:
    """Break entries the way a direct write can on this database; return their seqs."""
    if dialect == "sqlite":
        execute(
            factory,
            "UPDATE audit_entries SET at = 'garbage' WHERE seq = 3",
            "UPDATE audit_entries SET details = '{not json' WHERE seq = 7",
            "UPDATE audit_entries SET user_id = 'xyz' WHERE seq = 12",
        )
        return [3, 7, 12]
    execute(
        factory,
        "UPDATE audit_entries SET details = '[1, 2]' WHERE seq = 7",
        "UPDATE audit_entries SET details = 'null' WHERE seq = 12",
    )
    return [7, 12]


def test_unreadable_entries_are_reported_and_the_walk_goes_on(
    session_factory: sessionmaker[Session],
    settings: Settings,
    anchored: checkpoints.Checkpoint,
    engine: object,
) -> None:
    dialect = session_factory.kw["bind"].dialect.name
    broken = _malform(session_factory, dialect)
    execute(session_factory, "UPDATE audit_entries SET purpose = 'edited' WHERE seq = 20")
    report = verify(session_factory, settings)
    assert [p.seq for p in report.problems] == [*broken, 20]
    assert all("cannot be read" in p.problem for p in report.problems[:-1])
    assert report.entries_checked == ENTRIES


@pytest.fixture
def admin_client(settings: Settings) -> TestClient:
    app = create_app(settings)
    with unit_of_work(app.state.session_factory) as session:
        admin = create_user(
            session,
            system_principal("KAZ", "test"),
            username="audit.admin",
            password="correct horse battery staple",
            role=Role.ADMIN,
            state="KAZ",
        )
        _, secret = create_token(session, admin, "test")
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def test_the_api_lists_exports_and_verifies_unreadable_entries(
    session_factory: sessionmaker[Session],
    settings: Settings,
    anchored: checkpoints.Checkpoint,
    admin_client: TestClient,
) -> None:
    # Past the export's first batches, so a stop at a bad row would show.
    append(session_factory, system_principal("KAZ"), 2500)
    dialect = session_factory.kw["bind"].dialect.name
    broken = _malform(session_factory, dialect)
    execute(session_factory, "UPDATE audit_entries SET details = '[]' WHERE seq = 2100")
    with admin_client:
        listed = admin_client.get("/api/v1/audit", params={"limit": 500, "cursor": "20"})
        exported = admin_client.get("/api/v1/audit/export")
        verified = admin_client.get("/api/v1/audit/verify")
        anchors = admin_client.get("/api/v1/audit/checkpoints")
        page = admin_client.get("/admin/audit", params={"before": str(broken[-1] + 1)})
        checked = admin_client.post("/admin/audit/verify")
    assert page.status_code == 200
    assert "unreadable" in page.text or dialect != "sqlite"  # only SQLite stores a bad time
    assert checked.status_code == 200, checked.text
    assert f"The chain is broken at entry {broken[0]}." in checked.text
    assert f"vouches for {ENTRIES} entries" in checked.text
    assert listed.status_code == 200, listed.text
    malformed = {e["seq"]: e["malformed"] for e in listed.json()["items"] if e["malformed"]}
    assert sorted(malformed) == broken
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert len(rows) - 1 >= ENTRIES + 2500  # every entry, the broken ones included
    assert verified.status_code == 200
    body = verified.json()
    assert [p["seq"] for p in body["problems"]] == [*broken, 2100]
    assert body["checkpoint_seq"] == ENTRIES
    assert anchors.json()[0]["token"] == anchored.token


def test_the_cli_verifies_against_an_exported_file(
    session_factory: sessionmaker[Session],
    settings: Settings,
    anchored: checkpoints.Checkpoint,
    database_url: str,
    tmp_path: Path,
) -> None:
    env = {
        "KERVAN_DATABASE_URL": database_url,
        "KERVAN_KEYS_DIR": str(settings.keys_dir),
        "KERVAN_STATE": "KAZ",
    }
    runner = CliRunner()
    exported = tmp_path / "kept-elsewhere.jws"
    result = runner.invoke(cli_app, ["audit", "checkpoints", "--out", str(exported)], env=env)
    assert result.exit_code == 0, result.stderr
    made = runner.invoke(cli_app, ["audit", "checkpoint"], env=env)
    assert made.exit_code == 0 and made.stdout.count(".") == 2  # one compact JWS
    execute(
        session_factory,
        "DELETE FROM audit_entries",
        "DELETE FROM audit_head",
        "DELETE FROM audit_checkpoints",
    )
    _malform(session_factory, session_factory.kw["bind"].dialect.name)  # nothing to break now
    result = runner.invoke(
        cli_app, ["audit", "verify", "--json", "--against", str(exported)], env=env
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["checkpoint"]["seq"] == ENTRIES
    assert "the log is empty" in report["problem"]
    absent = str(tmp_path / "no")
    missing = runner.invoke(cli_app, ["audit", "verify", "--against", absent], env=env)
    assert missing.exit_code == 1 and missing.stderr.startswith("kervan: error: cannot read")


def test_the_cli_reports_unreadable_entries_without_a_traceback(
    session_factory: sessionmaker[Session],
    settings: Settings,
    anchored: checkpoints.Checkpoint,
    database_url: str,
) -> None:
    broken = _malform(session_factory, session_factory.kw["bind"].dialect.name)
    env = {"KERVAN_DATABASE_URL": database_url, "KERVAN_KEYS_DIR": str(settings.keys_dir)}
    result = CliRunner().invoke(cli_app, ["audit", "verify"], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"audit chain broken at entry {broken[0]}" in result.stderr
    assert "Traceback" not in result.stderr


def test_checkpoint_rows_are_never_overwritten(
    session_factory: sessionmaker[Session], signing: SigningKey, anchored: checkpoints.Checkpoint
) -> None:
    execute(session_factory, f"UPDATE audit_head SET last_hash = '{'a' * 64}'")
    with (
        pytest.raises(Exception, match="not the one checkpointed"),
        unit_of_work(session_factory) as session,
    ):
        checkpoints.write_checkpoint(session, signing, utcnow())
    with session_factory() as session:
        assert session.get(AuditCheckpoint, ENTRIES) is not None
