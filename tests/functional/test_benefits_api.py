"""Benefits over the API: kinds, applications evaluated with reasons, approve and reject with a
reason, and grant-all previewed then done set-based and audited — on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role, system_principal
from kervan.benefits import service
from kervan.uow import unit_of_work
from tests.functional.benefits_support import TODAY, seed_traveller
from tests.functional.conftest import ClientFactory
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

EXAMPLE = Path(__file__).parents[2] / "kervan" / "benefits" / "examples" / "kaz-2020.yaml"
WINDOW = {"from": (TODAY - dt.timedelta(days=30)).isoformat(), "to": TODAY.isoformat()}


def kind_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "simplified_temporary_residence",
        "names": {"en": "Simplified temporary residence", "ru": "Упрощённое проживание"},
        "default_entitlement_days": 90,
        "eligibility": {
            "all": [
                {"nationality": ["AZE", "KGZ", "TUR", "UZB", "HUN"]},
                {"expires_between": WINDOW},
            ]
        },
    }
    body.update(overrides)
    return body


def _kind(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/benefit-kinds", json=kind_body(**overrides))
    assert response.status_code == 200, response.text
    return response.json()


def test_the_example_file_loads(app_sessions: sessionmaker[Session]) -> None:
    with unit_of_work(app_sessions) as session:
        kinds = service.load_kinds(
            session,
            system_principal("KAZ", "test"),
            yaml.safe_load(EXAMPLE.read_text()),
            state="KAZ",
        )
        assert {k.code for k in kinds} == {
            "simplified_temporary_residence",
            "fee_waiver",
            "right_to_work",
        }


def test_a_bad_rule_is_reported_by_its_path(client_as: ClientFactory) -> None:
    response = client_as(Role.MIGRATION_OFFICER).post(
        "/api/v1/benefit-kinds",
        json=kind_body(eligibility={"all": [{"nationalty": ["UZB"]}]}),
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "eligibility.all[0].nationalty"
    assert "did you mean 'nationality'" in error["message"]


def test_apply_approve_with_reasons_and_entitlement(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    kind = _kind(officer)
    person, _ = seed_traveller(app_sessions, valid_until=TODAY - dt.timedelta(days=5))
    applied = officer.post(f"/api/v1/persons/{person}/benefits", json={"kind_id": kind["id"]})
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "eligible"
    reasons = application["eligibility_reasons"]
    assert reasons[0]["matched"] is True and reasons[0]["clause"] == "all of"
    assert {"nationality": "UZB"} in [r["saw"] for r in reasons]

    approved = officer.post(
        f"/api/v1/benefits/{application['id']}/approve", json={"reason": "could not leave"}
    ).json()
    assert approved["status"] == "approved"
    assert approved["entitlement_from"] == TODAY.isoformat()
    assert approved["entitlement_until"] == (TODAY + dt.timedelta(days=89)).isoformat()
    again = officer.post(f"/api/v1/benefits/{application['id']}/approve", json={"reason": "twice"})
    assert again.status_code == 409

    listed = client_as(Role.CONSULAR_OFFICER, "UZB").get(f"/api/v1/persons/{person}/benefits")
    assert [a["status"] for a in listed.json()] == ["approved"]
    # Another state's consul does not see this person's benefits at all.
    other = client_as(Role.CONSULAR_OFFICER, "KGZ").get(f"/api/v1/persons/{person}/benefits")
    assert other.status_code == 404


def test_ineligible_application_says_why_and_can_be_rejected(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    kind = _kind(officer)
    person, _ = seed_traveller(app_sessions, nationality="RUS")
    application = officer.post(
        f"/api/v1/persons/{person}/benefits", json={"kind_code": kind["code"]}
    ).json()
    assert application["status"] == "ineligible"
    failed = [r for r in application["eligibility_reasons"] if not r["matched"]]
    assert any(r["clause"].startswith("nationality in") for r in failed)
    refused = officer.post(
        f"/api/v1/benefits/{application['id']}/approve", json={"reason": "try anyway"}
    )
    assert refused.status_code == 409
    rejected = officer.post(
        f"/api/v1/benefits/{application['id']}/reject", json={"reason": "not a member state"}
    ).json()
    assert rejected["status"] == "rejected"
    assert rejected["decision_reason"] == "not a member state"
    short = officer.post(f"/api/v1/benefits/{application['id']}/reject", json={"reason": "x"})
    assert short.status_code == 422


def test_grant_all_previews_grants_once_and_audits_counts(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    kind = _kind(officer)
    ended = TODAY - dt.timedelta(days=3)
    eligible = [
        seed_traveller(app_sessions, passport="UZ0000001", number="WK00000001", valid_until=ended),
        seed_traveller(
            app_sessions,
            passport="KG0000002",
            nationality="KGZ",
            number="WK00000002",
            valid_until=ended,
        ),
        seed_traveller(app_sessions, passport="UZ0000003", number="WK00000003", valid_until=ended),
    ]
    seed_traveller(app_sessions, passport="RU0000004", nationality="RUS", number="WK00000004")
    # One of the eligible already has a pending application: grant-all leaves them alone.
    officer.post(f"/api/v1/persons/{eligible[2][0]}/benefits", json={"kind_id": kind["id"]})

    preview = officer.post(f"/api/v1/benefit-kinds/{kind['id']}/grant-all/preview").json()
    assert preview["eligible_without_benefit"] == 2
    assert preview["by_nationality"] == {"KGZ": 1, "UZB": 1}
    assert {s["person_id"] for s in preview["sample"]} == {str(eligible[0][0]), str(eligible[1][0])}

    granted = officer.post(
        f"/api/v1/benefit-kinds/{kind['id']}/grant-all", json={"reason": "decree 123"}
    ).json()
    assert granted["granted"] == 2 and granted["by_nationality"] == {"KGZ": 1, "UZB": 1}
    benefits = officer.get(f"/api/v1/persons/{eligible[0][0]}/benefits").json()
    assert benefits[0]["status"] == "approved"
    assert benefits[0]["decision_reason"] == "decree 123"
    assert benefits[0]["entitlement_until"] == granted["entitlement_until"]

    second = officer.post(
        f"/api/v1/benefit-kinds/{kind['id']}/grant-all", json={"reason": "decree 123"}
    ).json()
    assert second["granted"] == 0
    with app_sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "benefit.grant_all")
        ).all()
    assert [e.details["granted"] for e in entries] == [2, 0]
    assert entries[0].details["by_nationality"] == {"KGZ": 1, "UZB": 1}


def test_border_officer_cannot_read_benefits(client_as: ClientFactory) -> None:
    assert client_as(Role.BORDER_OFFICER).get("/api/v1/benefit-kinds").status_code == 403
