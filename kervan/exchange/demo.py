"""``kervan demo --federation``: the secretariat and three member nodes on localhost, each a
process with its own SQLite database and keys, all trusting one co-signed trust list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import typer

from kervan.accounts.roles import Role, system_principal
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.exchange.federation import make_federation
from kervan.exchange.trust_store import install
from kervan.uow import unit_of_work

STATES = ("OTS", "KAZ", "UZB", "TUR")
CONSUL_PASSWORD = "demo-consul-password"  # a demo on localhost only, like the other demo accounts


@dataclass(frozen=True)
class DemoNode:
    state: str
    port: int
    settings: Settings

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "KERVAN_STATE": self.state,
            "KERVAN_DATABASE_URL": self.settings.database_url,
            "KERVAN_KEYS_DIR": str(self.settings.keys_dir),
            "KERVAN_EXCHANGE_WORKER": "true",
            "KERVAN_ENVIRONMENT": "development",
        }


def prepare(folder: Path, base_port: int, documents: int, seed: int) -> list[DemoNode]:
    """Fresh databases, keys and trust list; demo data and accounts on the member nodes."""
    from kervan.web.demo import prepare_demo

    folder.mkdir(parents=True, exist_ok=True)
    nodes = []
    for offset, state in enumerate(STATES):
        path = folder / f"{state.lower()}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        settings = Settings(
            state=state, database_url=f"sqlite:///{path}", keys_dir=folder / "keys" / state
        )
        upgrade(settings.database_url)
        nodes.append(DemoNode(state, base_port + offset, settings))
    for key_file in (folder / "keys").glob("*/*"):
        key_file.unlink()
    document, _ = make_federation(folder / "keys", {n.state: n.url for n in nodes}, threshold=2)
    (folder / "trust-list.json").write_text(json.dumps(document, indent=2) + "\n")
    for node in nodes:
        engine = make_engine(node.settings.database_url)
        with unit_of_work(make_sessionmaker(engine)) as session:
            install(session, document, utcnow(), bootstrap=True)
        engine.dispose()
        if node.state != "OTS":
            count = documents if node.state == "KAZ" else max(documents // 10, 100)
            prepare_demo(node.settings, documents=count, seed=seed + STATES.index(node.state))
    _home_consul(nodes[STATES.index("UZB")])
    return nodes


def _home_consul(node: DemoNode) -> None:
    """A consular officer of the node's own state, who sees its nationals abroad."""
    from kervan.accounts.service import create_user

    engine = make_engine(node.settings.database_url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        create_user(
            session,
            system_principal(node.state, "demo"),
            username="uzb.consul",
            password=CONSUL_PASSWORD,
            role=Role.CONSULAR_OFFICER,
            state=node.state,
        )
    engine.dispose()


def start(nodes: list[DemoNode], log_folder: Path) -> list[subprocess.Popen[bytes]]:
    processes = []
    for node in nodes:
        log = (log_folder / f"{node.state.lower()}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "kervan.exchange.serve_node", "--port", str(node.port)],
                env=node.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return processes


def run(folder: Path, base_port: int, documents: int, seed: int) -> None:
    nodes = prepare(folder, base_port, documents, seed)
    processes = start(nodes, folder)
    kaz = nodes[STATES.index("KAZ")]
    typer.echo("\nKervan federation demo (Ctrl-C stops every node)")
    for node in nodes:
        typer.echo(f"  {node.state}: {node.url}/   API docs {node.url}/api/docs")
    typer.echo(f"  UZB consular officer: uzb.consul / {CONSUL_PASSWORD}")
    typer.echo("  member nodes' other accounts: as printed by `kervan demo` (see docs/start.md)")
    typer.echo(f"  trust list: {folder / 'trust-list.json'}; logs: {folder}/<state>.log")
    typer.echo(
        "\nBring the example measure into force in KAZ:\n"
        f"  export KERVAN_STATE=KAZ KERVAN_DATABASE_URL={kaz.settings.database_url}\n"
        "  kervan measures load kervan/measures/examples/spring-2020.yaml\n"
        "  kervan measures activate <reference>\n"
        "then, as uzb.consul on UZB: GET /api/v1/exchange/nationals-abroad"
    )
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
