"""Start-up checks as an operator meets them, each a real ``kervan`` process: one line on
stderr and exit status 1 whenever the node must not start or a command must not run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.demo.serving import free_port
from kervan.ops.startup import claim_for_state
from kervan.uow import unit_of_work

KERVAN = [sys.executable, "-m", "kervan"]


def kervan(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KERVAN_")}
    return subprocess.run(
        [*KERVAN, *args], capture_output=True, text=True, timeout=300, env={**clean, **env}
    )


def one_line_error(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kervan: error: "), result.stderr
    for phrase in phrases:
        assert phrase in lines[0], lines[0]


def test_serve_refuses_a_database_that_does_not_exist_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "never-migrated.db"
    result = kervan("serve", "--port", "9", KERVAN_DATABASE_URL=f"sqlite:///{path}")
    one_line_error(result, "does not exist", "kervan db upgrade")
    assert not path.exists()


@pytest.mark.parametrize("command", [["serve", "--port", "9"], ["worker", "--once"]])
def test_serve_and_worker_refuse_a_database_behind_the_head(
    tmp_path: Path, command: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0006")
    one_line_error(kervan(*command, KERVAN_DATABASE_URL=url), "revision 0006", "db upgrade")
    empty = tmp_path / "empty.db"
    empty.touch()
    result = kervan(*command, KERVAN_DATABASE_URL=f"sqlite:///{empty}")
    one_line_error(result, "no tables yet", "kervan db upgrade")


@pytest.mark.parametrize("environment", ["prod", "Production", "staging", ""])
def test_an_unknown_environment_refuses_to_start(tmp_path: Path, environment: str) -> None:
    result = kervan(
        "serve",
        KERVAN_ENVIRONMENT=environment,
        KERVAN_SECRET_KEY="a-real-secret-of-enough-length-0123456789",
        KERVAN_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
    )
    one_line_error(result, "environment", "'development', 'test' or 'production'")


@pytest.mark.parametrize("environment", ["test", "production"])
def test_every_environment_but_development_needs_a_real_secret(
    tmp_path: Path, environment: str
) -> None:
    result = kervan("serve", KERVAN_ENVIRONMENT=environment)
    one_line_error(result, "KERVAN_SECRET_KEY")


def test_db_upgrade_on_a_missing_folder_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'kervan.db'}"
    one_line_error(kervan("db", "upgrade", KERVAN_DATABASE_URL=url), "does not exist")


@pytest.mark.postgres
def test_db_upgrade_on_a_missing_postgresql_database_says_how_to_create_it() -> None:
    base = os.environ.get("KERVAN_TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs KERVAN_TEST_DATABASE_URL")
    name = f"kervan_missing_{uuid.uuid4().hex[:8]}"  # never created
    url = make_url(base).set(database=name).render_as_string(False)
    result = kervan("db", "upgrade", KERVAN_DATABASE_URL=url)
    one_line_error(result, f'database "{name}" does not exist', "createdb", "kervan db upgrade")


def test_users_add_keeps_accounts_to_the_nodes_state_but_consuls(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'uzb.db'}"
    upgrade(url)
    env = {"KERVAN_DATABASE_URL": url, "KERVAN_STATE": "UZB"}
    env["KERVAN_NEW_PASSWORD"] = "correct horse battery staple"
    refused = kervan("users", "add", "dana", "--role", "migration_officer", "--state", "KAZ", **env)
    one_line_error(refused, "acts for UZB, not KAZ")
    consul = kervan("users", "add", "arman", "--role", "consular_officer", "--state", "KAZ", **env)
    assert consul.returncode == 0, consul.stderr
    officer = kervan(
        "users", "add", "dilnoza", "--role", "migration_officer", "--state", "UZB", **env
    )
    assert officer.returncode == 0, officer.stderr


def test_a_database_belongs_to_one_state(tmp_path: Path) -> None:
    path = tmp_path / "kervan-demo.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        claim_for_state(session, "KAZ")
    engine.dispose()
    demo = kervan("demo", "--state", "TUR", "--database", str(path), "--port", str(free_port()))
    one_line_error(demo, "belongs to KAZ's node, not TUR's")
    serve = kervan("serve", KERVAN_DATABASE_URL=url, KERVAN_STATE="UZB")
    one_line_error(serve, "belongs to KAZ's node, not UZB's")


def test_demo_fresh_on_a_busy_port_leaves_the_running_demo_alone(tmp_path: Path) -> None:
    path = tmp_path / "kervan-demo.db"
    path.write_bytes(b"the running demo's database")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kervan("demo", "--fresh", "--database", str(path), "--port", str(port))
    one_line_error(result, f"port {port}", "--port")
    assert path.read_bytes() == b"the running demo's database"
    assert "account:" not in result.stdout


def _best_of_three(command: list[str], expected: str = "") -> float:
    timings = []
    for _ in range(3):  # the best of three: the machine is shared
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        timings.append(time.perf_counter() - started)
        assert done.returncode == 0 and expected in done.stdout
    return min(timings)


def test_version_and_help_answer_in_under_0_3_seconds() -> None:
    from kervan import __version__

    command = str(Path(sys.executable).parent / "kervan")
    # On a loaded machine even a bare interpreter can take longer: then the bound is twice
    # its start-up, measured now (the commands themselves import nothing: tests/unit/test_entry.py).
    bound = max(0.3, 2 * _best_of_three([sys.executable, "-c", "pass"]))
    for args, expected in ((["--version"], f"kervan {__version__}"), (["--help"], "Commands:")):
        assert _best_of_three([command, *args], expected) < bound, args


def test_backup_never_overwrites_and_restore_never_goes_over_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    upgrade(url)
    taken = tmp_path / "taken.dump"
    taken.write_text("something precious")
    one_line_error(kervan("backup", str(taken), KERVAN_DATABASE_URL=url), "never overwrites")
    assert taken.read_text() == "something precious"
    one_line_error(kervan("restore", str(taken), KERVAN_DATABASE_URL=url), "not a SQLite backup")
    good = tmp_path / "good.dump"
    assert kervan("backup", str(good), KERVAN_DATABASE_URL=url).returncode == 0
    one_line_error(kervan("restore", str(good), KERVAN_DATABASE_URL=url), "exists already")
    nowhere = f"sqlite:///{tmp_path / 'no' / 'restored.db'}"
    one_line_error(kervan("restore", str(good), KERVAN_DATABASE_URL=nowhere), "does not exist")
    elsewhere = str(tmp_path / "no" / "node.dump")
    one_line_error(kervan("backup", elsewhere, KERVAN_DATABASE_URL=url), "does not exist")


def test_an_account_of_the_wrong_state_is_explained_in_the_officers_language(
    session: Session,
) -> None:
    from kervan.accounts import service
    from kervan.accounts.roles import Role, state_problem, system_principal
    from kervan.errors import InvalidInput
    from kervan.web import i18n
    from kervan.web.i18n_errors import error_message
    from kervan.wiring import wire

    wire()  # the codes of every capability
    assert state_problem(Role.CONSULAR_OFFICER, "KAZ", "UZB") is None
    with pytest.raises(InvalidInput) as refused:
        service.create_user(
            session,
            system_principal("UZB"),
            username="officer.kaz",
            password="correct horse battery staple 42",
            role=Role.MIGRATION_OFFICER,
            state="KAZ",
        )
    text = error_message(i18n.Translator("ru"), refused.value)
    assert text.startswith("Учётные записи этой роли")
    assert "(Узбекистан)" in text and "Казахстан" in text  # states by name, never codes
