"""A situation report from KAZ's register to the council: made through the API, protected,
delivered by the worker to the secretariat (whole) and to UZB (its nationals' rows only),
merged at the secretariat with the states that have not reported shown as missing, and
exported as CSV, XLSX, SDMX and a PDF whose detached signature verifies with KAZ's key.
KAZ runs on each test database; OTS and UZB on SQLite files of their own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.accounts.tokens import create_token
from kervan.config import Settings
from kervan.exchange.worker import Worker
from kervan.registry.synthetic.generator import generate as generate_register
from kervan.registry.synthetic.loader import load
from kervan.reports import service
from kervan.reports.report import cells_of
from kervan.reports.signature import verify
from kervan.reports.tables import TOTAL
from kervan.uow import unit_of_work
from tests.functional.exchange_support import (
    Loopback,
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
    sqlite_node,
    token_client,
)
from tests.unit.exchange.support import ENDPOINTS

pytestmark = pytest.mark.slow
# Two weeks back: the period has ended and the other states' reports are overdue.
PERIOD = service.last_ended(dt.date.today() - dt.timedelta(days=14), 7)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("KAZ", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
    kaz = exchange_node(settings, fed[0])
    load(
        kaz.state.engine,
        generate_register(600, seed=11, host_state="KAZ", today=PERIOD.reference_date),
    )
    yield kaz
    kaz.state.engine.dispose()


@pytest.fixture
def peers(tmp_path: Path, sqlite_template: Path, fed: tuple) -> Iterator[dict[str, FastAPI]]:
    nodes = {s: sqlite_node(s, tmp_path, sqlite_template, fed[0]) for s in ("OTS", "UZB")}
    yield nodes
    for node in nodes.values():
        node.state.engine.dispose()


def _analyst(node: FastAPI, lang: str) -> TestClient:
    """A secretariat analyst whose language is ``lang``."""
    with unit_of_work(node.state.session_factory) as session:
        user = create_user(
            session,
            system_principal("OTS", "test"),
            username=f"analyst-{lang}",
            password="correct horse battery staple",
            role=Role.SECRETARIAT_ANALYST,
            state="OTS",
            locale=lang,
        )
        _, secret = create_token(session, user, "test")
    client = TestClient(node, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def _deliver(app: FastAPI, settings: Settings, fed: tuple, peers: dict[str, FastAPI]) -> None:
    with TestClient(peers["OTS"]) as ots, TestClient(peers["UZB"]) as uzb:
        line = Loopback({ENDPOINTS["OTS"]: ots, ENDPOINTS["UZB"]: uzb})
        worker = Worker(
            settings, app.state.session_factory, fed[1]["KAZ"], line, jitter=lambda: 0.0
        )
        worker.drain(max_rounds=5)


def test_a_report_reaches_the_secretariat_and_the_home_state(
    app: FastAPI, settings: Settings, fed: tuple, peers: dict[str, FastAPI]
) -> None:
    day = PERIOD.reference_date.isoformat()
    with TestClient(app):
        officer = token_client(app, Role.MIGRATION_OFFICER, "KAZ")
        made = officer.post("/api/v1/reports/generate", json={"reference_date": day})
        assert made.status_code == 200, made.text
        assert made.json()["changed"] is True
        again = officer.post("/api/v1/reports/generate", json={"reference_date": day})
        assert again.json()["changed"] is False and again.json()["report"]["revision"] == 1
        consul = token_client(app, Role.CONSULAR_OFFICER, "UZB")
        assert consul.post("/api/v1/reports/generate", json={}).status_code == 403
    _deliver(app, settings, fed, peers)

    with TestClient(peers["OTS"]):
        analyst = token_client(peers["OTS"], Role.SECRETARIAT_ANALYST, "OTS")
        (listed,) = analyst.get("/api/v1/reports").json()
        assert (listed["host_state"], listed["audience"], listed["origin"]) == (
            "KAZ",
            "*",
            "received",
        )
        whole = analyst.get(f"/api/v1/reports/KAZ/{day}").json()["body"]
        assert whole["audit"]["passed"]
        nationalities = {
            k[0] for t in whole["tables"] if t["name"] == "presence" for k, _, _ in cells_of(t)
        }
        assert {"UZB", TOTAL} <= nationalities
        for lang, missing in (("en", "Missing"), ("ru", "Не поступил")):
            reader = _analyst(peers["OTS"], lang)
            page = reader.get("/reports", params={"date": day})
            assert f'<html lang="{lang}"' in page.text
            assert page.status_code == 200
            # UZB and TUR have not reported: missing, and the council's total is not a sum.
            assert page.text.count(missing) >= 2, lang
            assert 'aria-describedby="text-trend"' in page.text
            assert "<svg" in page.text
        assert analyst.get(f"/reports/KAZ/{day}").status_code == 200

    with TestClient(peers["UZB"]):
        uzbek = token_client(peers["UZB"], Role.MIGRATION_OFFICER, "UZB")
        (extract,) = uzbek.get("/api/v1/reports").json()
        assert extract["audience"] == "UZB"
        body = uzbek.get(f"/api/v1/reports/KAZ/{day}").json()["body"]
        for table in body["tables"]:
            assert table["categories"][0] == ["UZB"]
        assert all(t["dims"][0] == "nationality" for t in body["tables"])


def test_exports_and_the_signed_pdf(app: FastAPI, fed: tuple) -> None:
    day = PERIOD.reference_date.isoformat()
    with TestClient(app):
        officer = token_client(app, Role.MIGRATION_OFFICER, "KAZ")
        assert officer.post("/api/v1/reports/generate", json={"reference_date": day}).is_success
        base = f"/api/v1/reports/KAZ/{day}/export"
        rows = list(csv.DictReader(io.StringIO(officer.get(f"{base}.csv").text)))
        assert {"host_state", "table", "nationality", "value", "flag"} <= set(rows[0])
        assert all((r["value"] == "") == (r["flag"] in ("C", "D")) for r in rows)
        book = load_workbook(io.BytesIO(officer.get(f"{base}.xlsx").content))
        assert "presence" in book.sheetnames
        archive = zipfile.ZipFile(io.BytesIO(officer.get(f"{base}.sdmx").content))
        structure = ElementTree.fromstring(archive.read("structure.xml"))
        assert structure.tag.endswith("Structure")
        data = archive.read("DF_SITREP_PRESENCE.csv").decode().splitlines()
        assert data[0].startswith("DATAFLOW,REF_AREA,NATIONALITY,STANDING,KIND,TIME_PERIOD")
        for lang in ("en", "kk"):
            pdf = officer.get(f"{base}.pdf", params={"lang": lang})
            assert pdf.content.startswith(b"%PDF")
            signature = officer.get(f"{base}.pdf.jws", params={"lang": lang}).text
            public = fed[1]["KAZ"].private_key.public_key()
            assert verify(signature, pdf.content, public)
            assert not verify(signature, pdf.content + b" ", public)
        missing = officer.get("/api/v1/reports/KAZ/2001-01-07")
        assert missing.status_code == 404
        assert missing.json()["code"] == "reports.not-found"
