"""The federation demo end to end: the secretariat and KAZ, UZB, TUR as four OS processes, each
with its own SQLite database and keys (``kervan demo --federation``'s own prepare and start).

KAZ's migration officer, signed in through the sign-in form, brings the example emergency
regime into force through KAZ's API; within a bounded time each home state's consular officer
(signed in the same way on their own node) sees exactly their nationals' extended documents,
with the end dates KAZ's register holds, and the secretariat holds no personal data.

SQLite only by design: the demo runs on SQLite. About two thousand generated documents keep it
within about a minute."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kervan.db.engine import make_engine
from kervan.demo.federation import (
    STATES,
    DemoNode,
    NodeSession,
    bring_measure_into_force,
    example_measure,
    nationals_abroad,
    prepare,
    start,
    stop,
    wait_ready,
)
from kervan.exchange.models import ExchangeMessage, NationalAbroadDocument
from kervan.measures.models import MeasureEffect
from kervan.registry.models import Person, StayDocument

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

DOCUMENTS = 1_500  # KAZ's register; UZB and TUR get a tenth (at least 100)
ARRIVAL_SECONDS = 60.0


def _free_ports(count: int) -> list[int]:
    """Ports free now on 127.0.0.1, distinct (all held until every one is chosen)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DemoNode]]:
    folder = tmp_path_factory.mktemp("federation")
    ports = dict(zip(STATES, _free_ports(len(STATES)), strict=True))
    nodes = prepare(folder, ports, DOCUMENTS, seed=11)
    processes = start(nodes, folder)
    try:
        wait_ready(nodes, processes, folder, seconds=90)
        yield {node.state: node for node in nodes}
    finally:
        stop(processes)
        assert all(p.poll() is not None for p in processes)


def _extended_in_register(kaz: DemoNode) -> dict[str, dict[str, str]]:
    """KAZ's register: the documents the regime extended, by nationality, with their end date."""
    engine = make_engine(kaz.settings.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(StayDocument.id, StayDocument.nationality, StayDocument.valid_until).where(
                    StayDocument.id.in_(select(MeasureEffect.document_id))
                )
            ).all()
    finally:
        engine.dispose()
    found: dict[str, dict[str, str]] = {}
    for document_id, nationality, valid_until in rows:
        found.setdefault(nationality, {})[str(document_id)] = valid_until.isoformat()
    return found


def _view(consulate: NodeSession) -> dict[str, str]:
    items = nationals_abroad(consulate)
    assert all(i["host_state"] == "KAZ" and i["last_event"] == "stay.extended" for i in items)
    return {i["document_id"]: i["valid_until"] for i in items}


def _count(node: DemoNode, model: type, *where: Any) -> int:
    engine = make_engine(node.settings.database_url)
    try:
        with engine.connect() as connection:
            statement = select(func.count()).select_from(model).where(*where)
            return int(connection.execute(statement).scalar() or 0)
    finally:
        engine.dispose()


def test_a_measure_in_kaz_reaches_each_home_consulate_and_nobody_else(
    federation: dict[str, DemoNode],
) -> None:
    kaz, uzb, tur, ots = (federation[s] for s in ("KAZ", "UZB", "TUR", "OTS"))
    with NodeSession(uzb, "consular.uzb") as uzb_consul:
        assert _view(uzb_consul) == {}  # nothing before the regime

    applied = bring_measure_into_force(kaz, example_measure("KAZ", dt.date.today()))
    began = time.monotonic()
    expected = _extended_in_register(kaz)
    assert applied["documents_extended"] == sum(len(d) for d in expected.values())
    assert expected.get("UZB") and expected.get("TUR"), "the data should hold both nationalities"

    seen: dict[str, dict[str, str]] = {}
    with (
        NodeSession(uzb, "consular.uzb") as uzb_consul,
        NodeSession(tur, "consular.tur") as tur_consul,
    ):
        while time.monotonic() - began < ARRIVAL_SECONDS:
            seen = {"UZB": _view(uzb_consul), "TUR": _view(tur_consul)}
            if seen["UZB"] == expected["UZB"] and seen["TUR"] == expected["TUR"]:
                break
            time.sleep(0.5)
    took = time.monotonic() - began
    # Each consulate sees exactly its own nationals' extended documents, with KAZ's end dates.
    assert seen["UZB"] == expected["UZB"], f"UZB after {took:.1f} s"
    assert seen["TUR"] == expected["TUR"], f"TUR after {took:.1f} s"
    assert took < ARRIVAL_SECONDS

    # A consul of another state on the same node sees none of them.
    with NodeSession(uzb, "consular.kgz") as visiting:
        assert nationals_abroad(visiting) == []

    # The secretariat: no consulate view for anyone, and no personal data received.
    for username in ("analyst.ots", "admin.ots"):
        with NodeSession(ots, username) as secretariat:
            refused = secretariat.get_raw("/api/v1/exchange/nationals-abroad")
            assert refused.status_code == 403, refused.text
    assert _count(ots, NationalAbroadDocument) == 0
    assert _count(ots, Person) == 0
    personal = ExchangeMessage.type.like("stay.%") | ExchangeMessage.type.like("violation.%")
    assert _count(ots, ExchangeMessage, personal) == 0
    # UZB and TUR logged the signed envelopes they applied.
    assert _count(uzb, ExchangeMessage, ExchangeMessage.type == "stay.extended") > 0
    assert _count(tur, ExchangeMessage, ExchangeMessage.type == "stay.extended") > 0


def test_the_secretariat_sees_the_council_picture(federation: dict[str, DemoNode]) -> None:
    """Each member node made its weekly reports before it started (kervan/demo/reports.py);
    the workers deliver them, and the secretariat's analyst sees KAZ, UZB and TUR."""
    began = time.monotonic()
    hosts: set[str] = set()
    with NodeSession(federation["OTS"], "analyst.ots") as analyst:
        while time.monotonic() - began < ARRIVAL_SECONDS:
            hosts = {r["host_state"] for r in analyst.get("/api/v1/reports")}
            if hosts >= {"KAZ", "UZB", "TUR"}:
                break
            time.sleep(0.5)
        assert hosts == {"KAZ", "UZB", "TUR"}
        page = analyst.get_raw("/reports")
        assert page.status_code == 200 and "<svg" in page.text
    assert _count(federation["OTS"], Person) == 0


def test_a_taken_port_fails_with_one_line(tmp_path: Path) -> None:
    from kervan.cli import app

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = CliRunner().invoke(
            app,
            ["demo", "--federation", "--base-port", str(port), "--folder", str(tmp_path)],
        )
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"kervan: error: port {port} on 127.0.0.1 (for OTS) is not free "
        "(Address already in use); choose another --base-port"
    ]
    assert not list(tmp_path.iterdir())  # nothing prepared
