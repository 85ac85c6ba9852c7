"""Diplomacy in the officer UI on one node (TUR, on each test database): the register of
accreditations, a mission's request for an airport of the node's own state, the authority's
decision with the countdown, the pass shown and revoked; the verifier page and its assets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from tests.functional.diplomacy_support import accreditation_body, assign
from tests.functional.exchange_support import exchange_node, node_settings
from tests.functional.ui_support import csrf_from, make_user, post_form, signed_in_client
from tests.unit.exchange.support import federation


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("TUR", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[FastAPI]:
    node = exchange_node(settings, federation(tmp_path / "keys")[0])
    yield node
    node.state.engine.dispose()


def _local(at: dt.datetime) -> str:
    return at.replace(tzinfo=None, second=0, microsecond=0).isoformat(timespec="minutes")


def test_accreditation_request_decision_and_pass_in_the_ui(app: FastAPI) -> None:
    sessions = app.state.session_factory
    make_user(sessions, "migration.tur", Role.MIGRATION_OFFICER, "TUR")
    make_user(sessions, "consul.uzb", Role.CONSULAR_OFFICER, "UZB", locale="tr")
    make_user(sessions, "border.ist", Role.BORDER_OFFICER, "TUR")
    assign(app, "border.ist", "IST")
    officer = signed_in_client(app, "migration.tur")
    bad = post_form(officer, "/accreditations", "/accreditations", {"home_state": "U"})
    assert bad.status_code == 422 and "every one is required" in bad.text
    fields = {k: v for k, v in accreditation_body().items() if k != "accredited_in"}
    saved = post_form(officer, "/accreditations", "/accreditations", fields)
    assert saved.status_code == 303, saved.text
    assert "Алимов Бобур Рустамович" in officer.get("/accreditations").text
    token = csrf_from(officer.get("/accreditations").text)
    csv = "home_state,card_number\nUZB,C-9\n"
    report = officer.post(
        "/accreditations/import", data={"csrf_token": token}, files={"file": ("a.csv", csv)}
    )
    assert report.status_code == 422 and "row 2: primary_identifier" in report.text
    huge = officer.post(
        "/accreditations/import",
        data={"csrf_token": token},
        files={"file": ("a.csv", "x" * 2_000_001)},
    )
    assert huge.status_code == 422 and "larger than 2,000,000 bytes" in huge.text

    consul = signed_in_client(app, "consul.uzb")
    page = consul.get("/airport-access")
    assert "Havalimanı girişi" in page.text  # the consul reads Turkish
    choices = page.text.split('name="accreditation_id">')[1]
    accreditation_id = choices.split('<option value="')[1].split('"')[0]
    now = utcnow()
    asked = post_form(
        consul,
        "/airport-access",
        "/airport-access",
        {
            "accreditation_id": accreditation_id,
            "airport": "IST",
            "terminal": "T1",
            "zone": ["transit", "departures"],
            "window_start": _local(now - dt.timedelta(hours=1)),
            "window_end": _local(now + dt.timedelta(days=1)),
            "purpose": "Flight HY-278 to TAS",
        },
    )
    assert asked.status_code == 303, asked.text
    border = signed_in_client(app, "border.ist")
    listed = border.get("/airport-access")
    assert 'class="countdown" data-due="' in listed.text and "Awaiting decision" in listed.text
    request_id = listed.text.split('data-request="')[1].split('"')[0]
    action = f"/airport-access/{request_id}/decision"
    granted = post_form(border, "/airport-access", action, {"action": "grant", "conditions": ""})
    assert granted.status_code == 303, granted.text
    shown = consul.get("/airport-access").text
    assert "data:image/png;base64," in shown and "/pass.pdf" in shown
    short = post_form(border, "/airport-access", action, {"action": "revoke", "reason": "x"})
    assert short.status_code == 422
    revoked = post_form(border, "/airport-access", action, {"action": "revoke", "reason": "ended"})
    assert revoked.status_code == 303
    assert 'data-status="revoked"' in border.get("/airport-access").text


def test_the_verifier_page_and_its_assets_are_public_and_installable(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/verify")
    assert page.status_code == 200 and 'rel="manifest"' in page.text
    assert '"wrong-airport": "Refused: the pass is for another airport"' in page.text
    worker = client.get("/verify/sw.js")
    assert worker.headers["service-worker-allowed"] == "/verify"
    assert "__VERSION__" not in worker.text
    manifest = client.get("/verify/manifest.webmanifest").json()
    assert manifest["start_url"] == "/verify" and manifest["display"] == "standalone"
    assert client.get("/verify/jsQR.js").status_code == 200
    assert client.get("/verify/..%2Fmodels.py").status_code == 404
    assert client.get("/verify/models.py").status_code == 404
    kazakh = client.get("/verify", headers={"Accept-Language": "kk"})
    assert "Рұқсатнамаларды тексеру" in kazakh.text
