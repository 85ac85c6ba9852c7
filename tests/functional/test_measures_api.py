"""The measures API over HTTP: the worked example through its lifecycle, explain, errors and
roles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.exchange.trust_store import install as install_trust_list
from kervan.measures.loader import example_path
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.functional.conftest import ClientFactory
from tests.functional.register_data import document_body, person_body
from tests.unit.exchange.support import federation


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


def _example() -> dict[str, Any]:
    data = yaml.safe_load(example_path().read_text(encoding="utf-8"))
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def _trust_list(settings: Settings, folder: Path) -> None:
    """A federation of OTS, KAZ, UZB and TUR on this node's trust list."""
    document, _, _ = federation(folder)
    engine = make_engine(settings.database_url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        install_trust_list(session, document, utcnow(), bootstrap=True)
    engine.dispose()


def test_lifecycle_apply_and_explain(
    client_as: ClientFactory, settings: Settings, tmp_path: Path
) -> None:
    _trust_list(settings, tmp_path / "keys")
    officer = client_as(Role.MIGRATION_OFFICER)
    person = officer.post("/api/v1/persons", json=person_body()).json()
    body = document_body(valid_from="2020-01-10", valid_until="2020-04-01")
    document = officer.post(f"/api/v1/persons/{person['id']}/stay-documents", json=body)
    assert document.status_code == 201, document.text
    document_id = document.json()["id"]

    created = officer.post("/api/v1/measures", json=_example())
    assert created.status_code == 201, created.text
    measure_id = created.json()["id"]
    assert officer.post(f"/api/v1/measures/{measure_id}/activate").status_code == 409
    preview = officer.post(f"/api/v1/measures/{measure_id}/preview").json()
    assert preview["documents"] == 1 and preview["sample"][0]["would_extend_to"] == "2020-06-14"
    activated = officer.post(f"/api/v1/measures/{measure_id}/activate").json()
    # As in the UI: in force, the whole-register apply asked of the worker, not done here.
    assert activated["status"] == "in_force" and activated["apply_requested_at"] is not None
    assert officer.get(f"/api/v1/stay-documents/{document_id}").json()["valid_until"] == (
        "2020-04-01"
    )
    applied = officer.post(f"/api/v1/measures/{measure_id}/apply").json()
    assert applied["documents_extended"] == 1
    assert applied["messages_written"] == 1  # UZB has a node on the trust list
    again = officer.post(f"/api/v1/measures/{measure_id}/apply").json()
    assert again["documents_extended"] == 0
    events = officer.get(f"/api/v1/measures/{measure_id}/events").json()
    assert [e["kind"] for e in events] == [
        "created",
        "previewed",
        "activated",
        "applied",
        "applied",
    ]
    assert events[3]["details"]["documents_extended"] == 1
    assert officer.get(f"/api/v1/measures/{measure_id}").json()["apply_requested_at"] is None

    extended = officer.get(f"/api/v1/stay-documents/{document_id}").json()
    assert extended["valid_until"] == "2020-06-14"
    explained = officer.get(f"/api/v1/stay-documents/{document_id}/measures").json()
    verdict = next(v for v in explained["verdicts"] if v["action"] == "extend")
    assert verdict["applies"] and verdict["extended"]["to"] == "2020-06-14"
    assert verdict["outcome_code"] == "extended"
    assert verdict["outcome"] == "extended from 2020-04-01 to 2020-06-14"
    assert (verdict["valid_until"], verdict["document_status"]) == ("2020-06-14", "active")
    leaf = next(c for c in verdict["clauses"] if "expires" in c["clause"])
    assert leaf["saw"] == {"valid_until": "2020-04-01"}
    waive = next(v for v in explained["verdicts"] if v["action"] == "waive")
    assert (waive["outcome_code"], waive["waived_count"]) == ("nothing-waived", 0)
    by_person = officer.get(f"/api/v1/persons/{person['id']}/measures").json()
    assert {(v["action"], v["outcome_code"]) for v in by_person["verdicts"]} == {
        ("extend", "extended"),
        ("waive", "nothing-waived"),
    }

    lifted = officer.post(f"/api/v1/measures/{measure_id}/lift", json={"reason": "ended"})
    assert lifted.json()["status"] == "lifted"
    assert officer.get(f"/api/v1/stay-documents/{document_id}").json()["valid_until"] == (
        "2020-06-14"
    )
    # Lifting does not undo what the measure granted, and the explanation still says so.
    after = officer.get(f"/api/v1/stay-documents/{document_id}/measures").json()
    verdict = next(v for v in after["verdicts"] if v["action"] == "extend")
    assert (verdict["status"], verdict["outcome_code"]) == ("lifted", "extended")


def test_scope_errors_are_problems_with_paths(client_as: ClientFactory) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    data = _example()
    data["actions"][0]["extend"]["scope"] = {"expires_between": {"from": "2020-13-01", "to": 3}}
    response = officer.post("/api/v1/measures", json=data)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "actions[0].extend.scope.expires_between.from" in fields
    assert "actions[0].extend.scope.expires_between.to" in fields


def test_roles(client_as: ClientFactory) -> None:
    consular = client_as(Role.CONSULAR_OFFICER, state="UZB")
    assert consular.get("/api/v1/measures").status_code == 200
    assert consular.post("/api/v1/measures", json=_example()).status_code == 403
    border = client_as(Role.BORDER_OFFICER)
    assert border.get("/api/v1/measures").status_code == 403
