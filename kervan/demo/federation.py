"""``kervan demo --federation``: the secretariat and three member nodes on localhost, each its
own OS process with its own SQLite database and keys, all trusting one co-signed trust list.

``prepare`` makes the databases, keys, trust list, demo data and accounts; ``start`` runs the
nodes (``python -m kervan.demo.serve_node``, with the in-process delivery worker);
``wait_ready`` waits until each answers; ``bring_measure_into_force`` brings the worked example
of an emergency regime into force on KAZ through KAZ's own API, signed in as its migration
officer, so that UZB's and TUR's consulates receive their nationals' extended documents. The
integration test ``tests/integration/test_federation_demo.py`` drives the same functions."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import typer
import yaml

from kervan.accounts.roles import Role, system_principal
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.db.migrate import upgrade
from kervan.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from kervan.demo.example import example_kinds, example_measure
from kervan.demo.reports import weekly_reports
from kervan.demo.trust_setup import make_federation
from kervan.errors import KervanError
from kervan.exchange.trust_store import install
from kervan.ops.ports import port_taken
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory

STATES = ("OTS", "KAZ", "UZB", "TUR")
SECRETARIAT = "OTS"
HOST = "KAZ"  # the member state that brings the example regime into force
MEASURE_FILE = "kaz-emergency.yaml"  # the example, moved to the present, in the demo folder
READY_SECONDS = 120.0
ARRIVAL_SECONDS = 60.0
_PASSWORDS = {role: password for _, role, password in DEMO_ACCOUNTS}
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_HTML = {"Accept": "text/html,application/xhtml+xml"}


class FederationError(KervanError):
    type_slug = "federation-demo"
    title = "The federation demo cannot run"


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str
    acting_for: str  # the state whose officer it is (a consul serves their home state)


@dataclass(frozen=True)
class DemoNode:
    state: str
    port: int
    settings: Settings
    accounts: tuple[Account, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def account(self, username: str) -> Account:
        for account in self.accounts:
            if account.username == username:
                return account
        raise KeyError(f"{self.state} has no demo account {username}")

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "KERVAN_STATE": self.state,
            "KERVAN_DATABASE_URL": self.settings.database_url,
            "KERVAN_KEYS_DIR": str(self.settings.keys_dir),
            "KERVAN_EXCHANGE_WORKER": "true",
            "KERVAN_ENVIRONMENT": "development",
        }


def consecutive_ports(base_port: int) -> dict[str, int]:
    return {state: base_port + offset for offset, state in enumerate(STATES)}


def check_ports(ports: Mapping[str, int]) -> None:
    """Fail with one line if a port is taken on 127.0.0.1 (bound as uvicorn binds it)."""
    for state, port in ports.items():
        if (reason := port_taken(port)) is not None:
            raise FederationError(
                f"port {port} on 127.0.0.1 (for {state}) is not free ({reason}); "
                "choose another --base-port"
            )


def _configure_benefit_kinds(settings: Settings, today: dt.date) -> None:
    """The benefit kinds the example regime grants (simplified temporary residence): part of
    the host node's configuration, there before the regime is brought into force."""
    from kervan.benefits import service as benefits

    kinds = example_kinds(settings.state, today)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(node_session_factory(engine)) as session:
            principal = system_principal(settings.state, "demo")
            benefits.load_kinds(session, principal, kinds, state=settings.state)
    finally:
        engine.dispose()


def _member_data(settings: Settings, documents: int, seed: int) -> tuple[Account, ...]:
    """Generated register rows and the demo accounts (one per role, as ``kervan demo``), plus
    a consular officer of the node's own state, who reads its nationals abroad. No measure:
    the federation demo brings one into force once the nodes are up."""
    from kervan.accounts.service import create_user

    engine = make_engine(settings.database_url)
    try:
        load(engine, generate(documents, seed=seed, host_state=settings.state, today=_today()))
        with unit_of_work(node_session_factory(engine)) as session:
            accounts = [
                Account(username, password, role, username.rpartition(".")[2].upper())
                for username, role, password in ensure_demo_accounts(session, settings.state)
            ]
            home_consul = Account(
                f"consular.{settings.state.lower()}",
                _PASSWORDS[Role.CONSULAR_OFFICER],
                Role.CONSULAR_OFFICER.value,
                settings.state,
            )
            if all(a.username != home_consul.username for a in accounts):
                create_user(
                    session,
                    system_principal(settings.state, "demo"),
                    username=home_consul.username,
                    password=home_consul.password,
                    role=Role.CONSULAR_OFFICER,
                    state=settings.state,
                    full_name="Demo consular officer (nationals abroad)",
                    demo=True,
                )
                accounts.append(home_consul)
    finally:
        engine.dispose()
    return tuple(accounts)


def _secretariat_accounts(settings: Settings) -> tuple[Account, ...]:
    """The secretariat's node: its administrator and an analyst, no register."""
    from kervan.accounts.service import create_user

    accounts = tuple(
        Account(f"{prefix}.{settings.state.lower()}", password, role.value, settings.state)
        for prefix, role, password in DEMO_ACCOUNTS
        if role in (Role.ADMIN, Role.SECRETARIAT_ANALYST)
    )
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(node_session_factory(engine)) as session:
            for account in accounts:
                create_user(
                    session,
                    system_principal(settings.state, "demo"),
                    username=account.username,
                    password=account.password,
                    role=Role(account.role),
                    state=settings.state,
                    full_name=f"Demo {account.role.replace('_', ' ')}",
                    demo=True,
                )
    finally:
        engine.dispose()
    return accounts


def _today() -> dt.date:
    return dt.date.today()


def prepare(folder: Path, ports: Mapping[str, int], documents: int, seed: int) -> list[DemoNode]:
    """Fresh databases, keys and trust list (v1, co-signed by every node, threshold 2); demo
    data and accounts on each member node (KAZ ``documents`` stay documents, UZB and TUR a
    tenth); the example regime, moved to the present, written to ``folder/kaz-emergency.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    endpoints = {state: f"http://127.0.0.1:{ports[state]}" for state in STATES}
    settings_of = {}
    for state in STATES:
        path = folder / f"{state.lower()}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        settings_of[state] = Settings(
            state=state, database_url=f"sqlite:///{path}", keys_dir=folder / "keys" / state
        )
        upgrade(settings_of[state].database_url)
    for key_file in (folder / "keys").glob("*/*"):
        key_file.unlink()
    document, _ = make_federation(folder / "keys", endpoints, threshold=2)
    (folder / "trust-list.json").write_text(json.dumps(document, indent=2) + "\n")
    nodes = []
    for state in STATES:
        settings = settings_of[state]
        engine = make_engine(settings.database_url)
        with unit_of_work(node_session_factory(engine)) as session:
            install(session, document, utcnow(), bootstrap=True)
        engine.dispose()
        if state == SECRETARIAT:
            accounts = _secretariat_accounts(settings)
        else:
            count = documents if state == HOST else max(documents // 10, 100)
            typer.echo(f"{state}: generating {count:,} stay documents …", err=True)
            accounts = _member_data(settings, count, seed + STATES.index(state))
            weekly_reports(settings, _today())  # the council's picture (kervan/demo/reports.py)
        nodes.append(DemoNode(state, ports[state], settings, accounts))
    _configure_benefit_kinds(settings_of[HOST], _today())
    measure = example_measure(HOST, _today())
    (folder / MEASURE_FILE).write_text(
        yaml.safe_dump(measure, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return nodes


def start(nodes: list[DemoNode], log_folder: Path) -> list[subprocess.Popen[bytes]]:
    """One OS process per node, its output in ``log_folder/<state>.log``."""
    processes = []
    for node in nodes:
        with (log_folder / f"{node.state.lower()}.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "kervan.demo.serve_node", "--port", str(node.port)],
                    env=node.environment(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return processes


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def wait_ready(
    nodes: list[DemoNode],
    processes: list[subprocess.Popen[bytes]],
    log_folder: Path,
    seconds: float = READY_SECONDS,
) -> None:
    """Until every node answers ``/healthz`` for its own state; a node that stops or does not
    answer in time fails the demo with one line."""
    deadline = time.monotonic() + seconds
    waiting = dict(zip([n.state for n in nodes], zip(nodes, processes, strict=True), strict=True))
    with httpx.Client(timeout=2.0) as client:
        while waiting:
            for state, (node, process) in list(waiting.items()):
                log = log_folder / f"{state.lower()}.log"
                if process.poll() is not None:
                    raise FederationError(
                        f"{state} stopped (exit {process.returncode}) before answering: "
                        f"{_last_line(log) or 'no output'} (log: {log})"
                    )
                try:
                    answer = client.get(f"{node.url}/healthz")
                except httpx.HTTPError:
                    continue
                if answer.status_code == 200 and answer.json().get("state") == state:
                    del waiting[state]
            if waiting and time.monotonic() > deadline:
                raise FederationError(
                    f"{', '.join(waiting)} did not answer within {seconds:.0f} s "
                    f"(logs: {log_folder}/<state>.log)"
                )
            if waiting:
                time.sleep(0.2)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class NodeSession:
    """Signed in to a node as a person would be: the sign-in form, then the session cookie
    (and its CSRF token for the API's unsafe methods)."""

    def __init__(self, node: DemoNode, username: str, timeout: float = 60.0):
        account = node.account(username)
        self.where = f"{username} on {node.state}"
        self.client = httpx.Client(base_url=node.url, timeout=timeout, follow_redirects=False)
        try:
            form = self.client.get("/sign-in", headers=_HTML)
            answer = self.client.post(
                "/sign-in",
                headers=_HTML,
                data={
                    "username": account.username,
                    "password": account.password,
                    "next": "/",
                    "csrf_token": _csrf(form.text),
                },
            )
            if answer.status_code != 303:
                raise FederationError(f"{self.where} cannot sign in (HTTP {answer.status_code})")
            # A role's home may be another page (the border officer's is the exit check).
            home = self.client.get("/", headers=_HTML, follow_redirects=True)
            self.csrf = _csrf(home.text)
        except BaseException:
            self.client.close()
            raise

    def __enter__(self) -> NodeSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.client.close()

    def _checked(self, answer: httpx.Response) -> Any:
        if answer.status_code >= 400:
            try:
                detail = answer.json().get("detail", answer.text)
            except ValueError:
                detail = answer.text[:200]
            raise FederationError(
                f"{answer.request.method} {answer.request.url.path} as {self.where}: "
                f"HTTP {answer.status_code}: {detail}"
            )
        return answer.json()

    def get(self, path: str, **params: Any) -> Any:
        return self._checked(self.client.get(path, params=params))

    def get_raw(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)

    def post(self, path: str, body: Any = None) -> Any:
        content = json.dumps(body if body is not None else {}, default=str)
        headers = {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}
        return self._checked(self.client.post(path, content=content, headers=headers))


def _csrf(html: str) -> str:
    match = _CSRF_FIELD.search(html)
    if match is None:
        raise FederationError("the node's page carries no CSRF token")
    return match.group(1)


def bring_measure_into_force(host: DemoNode, measure: dict[str, Any]) -> dict[str, Any]:
    """As the host's migration officer, through its API: create the measure, preview it, bring
    it into force and apply it to the whole register. Returns the apply's counts."""
    officer = f"migration.{host.state.lower()}"
    with NodeSession(host, officer) as kaz:
        created = kaz.post("/api/v1/measures", measure)
        kaz.post(f"/api/v1/measures/{created['id']}/preview")
        kaz.post(f"/api/v1/measures/{created['id']}/activate")
        applied: dict[str, Any] = kaz.post(f"/api/v1/measures/{created['id']}/apply")
    return {"reference": created["reference"], **applied}


def nationals_abroad(consulate: NodeSession, host_state: str | None = None) -> list[dict[str, Any]]:
    """Every item of the consulate's view, page by page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if host_state:
            params["host_state"] = host_state
        if cursor:
            params["cursor"] = cursor
        page = consulate.get("/api/v1/exchange/nationals-abroad", **params)
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def wait_for_arrivals(
    home: DemoNode, since: float, seconds: float = ARRIVAL_SECONDS
) -> tuple[list[dict[str, Any]], float | None]:
    """Poll the home state's consulate view (signed in as its consular officer) until the
    documents from the host stop changing between two looks; returns them and how long after
    ``since`` (a ``time.monotonic()``) the first ones were there (None: none came in time)."""
    first: float | None = None
    seen: list[dict[str, Any]] = []
    with NodeSession(home, f"consular.{home.state.lower()}") as consulate:
        while time.monotonic() - since < seconds:
            items = nationals_abroad(consulate, HOST)
            if items and first is None:
                first = time.monotonic() - since
            if items and len(items) == len(seen):
                break
            seen = items
            time.sleep(0.5)
    return seen, first


def _describe(account: Account, node_state: str) -> str:
    role = account.role.replace("_", " ")
    if account.acting_for == node_state:
        if account.role == Role.CONSULAR_OFFICER.value:
            return f"{role} of {node_state}: its nationals abroad"
        return role
    return f"{role} of {account.acting_for}'s mission in {node_state}"


def _print_nodes(nodes: list[DemoNode], folder: Path) -> None:
    typer.echo("\nKervan federation demo: the secretariat and three member nodes")
    for node in nodes:
        typer.echo(f"\n  {node.state}  {node.url}/   API: {node.url}/api/docs")
        for account in node.accounts:
            typer.echo(
                f"    {account.username:<14} {account.password:<22} "
                f"{_describe(account, node.state)}"
            )
    typer.echo(f"\n  trust list {folder / 'trust-list.json'}; databases, keys, logs in {folder}/")


def _print_by_hand(nodes: list[DemoNode], folder: Path) -> None:
    kaz = nodes[STATES.index(HOST)]
    measure_file = (folder / MEASURE_FILE).resolve()
    typer.echo(
        f"\nBring the example regime into force in {HOST} (its dates moved to the present: "
        f"{measure_file}):\n"
        f"  in the UI, as migration.kaz on {kaz.url}/measures: New measure, choose the file, "
        "Preview, Bring into force\n"
        "  or, from a shell:\n"
        f"    export KERVAN_STATE={HOST} "
        f"KERVAN_DATABASE_URL=sqlite:///{(folder / f'{HOST.lower()}.db').resolve()}\n"
        f"    kervan measures load {measure_file}\n"
        f"    kervan measures preview {HOST}-DEMO-emergency\n"
        f"    kervan measures activate {HOST}-DEMO-emergency\n"
        f"    kervan measures apply {HOST}-DEMO-emergency"
    )


def _print_effect(nodes: list[DemoNode]) -> None:
    uzb, tur = nodes[STATES.index("UZB")], nodes[STATES.index("TUR")]
    typer.echo(
        f"\nSee it: sign in to {uzb.url}/ as consular.uzb, then "
        f"{uzb.url}/api/v1/exchange/nationals-abroad (or /api/docs); consular.tur on "
        f"{tur.url}/ sees Turkish nationals only; the secretariat receives no person.\n"
        "Stop every node with Ctrl-C."
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(
    folder: Path, base_port: int, documents: int, seed: int, *, with_measure: bool = True
) -> None:
    ports = consecutive_ports(base_port)
    check_ports(ports)
    nodes = prepare(folder, ports, documents, seed)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a plain kill stops the nodes too
    processes = start(nodes, folder)
    try:
        wait_ready(nodes, processes, folder)
        _print_nodes(nodes, folder)
        typer.echo("\nready: every node answers")
        if with_measure:
            _in_force(nodes)
        else:
            _print_by_hand(nodes, folder)
        _print_effect(nodes)
        _diplomacy_step(nodes, folder)
        _assistance_step(nodes)
        _repatriation_step(nodes, folder)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        stopped = [n.state for n, p in zip(nodes, processes, strict=True) if p.poll() is not None]
        raise FederationError(f"{', '.join(stopped)} stopped; see {folder}/<state>.log")
    except KeyboardInterrupt:
        typer.echo("stopping the nodes …", err=True)
    finally:
        stop(processes)
        signal.signal(signal.SIGTERM, previous)


def _diplomacy_step(nodes: list[DemoNode], folder: Path) -> None:
    from kervan.demo.diplomacy import airport_access_step, describe

    uzb, tur = nodes[STATES.index("UZB")], nodes[STATES.index("TUR")]
    typer.echo(describe(airport_access_step(uzb, tur, folder), tur.url, folder))


def _assistance_step(nodes: list[DemoNode]) -> None:
    from kervan.demo.assistance import describe, referral_step

    kaz, uzb = nodes[STATES.index("KAZ")], nodes[STATES.index("UZB")]
    typer.echo(describe(referral_step(kaz, uzb), kaz.url))


def _repatriation_step(nodes: list[DemoNode], folder: Path) -> None:
    from kervan.demo.repatriation import describe, return_step

    uzb, kaz, tur = (nodes[STATES.index(s)] for s in ("UZB", "KAZ", "TUR"))
    typer.echo(describe(return_step(uzb, kaz, tur, folder), uzb.url, kaz.url, folder))


def _in_force(nodes: list[DemoNode]) -> None:
    host = nodes[STATES.index(HOST)]
    applied = bring_measure_into_force(host, example_measure(HOST, _today()))
    since = time.monotonic()
    typer.echo(
        f"\n{HOST}: the example regime {applied['reference']} brought into force by "
        f"migration.{HOST.lower()} through {HOST}'s API: {applied['documents_extended']:,} "
        f"documents extended, {applied['messages_written']:,} messages for home states"
    )
    for state in ("UZB", "TUR"):
        items, first = wait_for_arrivals(nodes[STATES.index(state)], since)
        if first is None:
            typer.echo(f"{state}: nothing arrived in {ARRIVAL_SECONDS:.0f} s; see its log")
            continue
        typer.echo(
            f"{state}: its consulate sees {len(items):,} extended documents of its nationals "
            f"in {HOST} (the first {first:.1f} s after)"
        )
