"""The public help request without sign-in and without JavaScript: in Russian and Kyrgyz a case
lands in the "to triage" queue, the person gets a reference and a secret that show the status
only; a bot filling the honeypot, an oversized form and a flood from one address are refused
or ignored, and nothing from the form is trusted until an officer triages it."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kervan.assistance.models import Case
from kervan.web import public_intake
from tests.functional.ui_support import csrf_from

FORM = {
    "requester": "relative",
    "requester_name": "Айбек",
    "full_name": "Турсунов Азамат <script>alert(1)</script>",
    "nationality": "KGZ",
    "needs": ["shelter", "return_travel"],
    "vulnerabilities": ["minor"],
    "danger": "yes",
    "city": "Алматы",
    "contact": "+7 700 111 22 33",
    "consent": "yes",
}


@pytest.fixture(autouse=True)
def fresh_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_intake.public_limit, "_seen", {})


def _send(client: TestClient, lang: str, **changes: object) -> tuple[str, int]:
    page = client.get(f"/help?lang={lang}")
    assert page.status_code == 200 and f'lang="{lang}"' in page.text
    assert "<script" not in page.text  # works without JavaScript, and needs none
    data = {**FORM, **changes, "csrf_token": csrf_from(page.text), "lang": lang}
    sent = client.post("/help", data=data)
    return sent.text, sent.status_code


@pytest.mark.parametrize(
    ("lang", "received"), [("ru", "Ваш запрос получен"), ("ky", "Сурамыңыз кабыл алынды")]
)
def test_request_in_two_languages_then_status_only(
    app: FastAPI, anonymous_client: TestClient, lang: str, received: str
) -> None:
    text, status = _send(anonymous_client, lang)
    assert status == 200 and received in text
    reference = re.search(r"data-reference>([^<]+)<", text).group(1)  # type: ignore[union-attr]
    secret = re.search(r"data-secret>([^<]+)<", text).group(1)  # type: ignore[union-attr]
    with app.state.session_factory() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None and case.status.value == "new" and case.source.value == "public"
        assert case.urgency.value == "critical" and case.consent_how == "public_form"
        assert "<" not in case.full_name and case.person_id is None
    form = anonymous_client.get(f"/help/status?lang={lang}")
    token = csrf_from(form.text)
    asked = anonymous_client.post(
        "/help/status",
        data={"reference": reference.lower(), "secret": secret, "csrf_token": token, "lang": lang},
    )
    assert asked.status_code == 200 and 'data-status="new"' in asked.text
    assert "Турсунов" not in asked.text and "+7 700" not in asked.text  # no personal data
    wrong = anonymous_client.post(
        "/help/status",
        data={"reference": reference, "secret": secret + "x", "csrf_token": token},
    )
    assert wrong.status_code == 404 and "data-status" not in wrong.text


def test_missing_fields_are_named_and_nothing_is_stored(
    app: FastAPI, anonymous_client: TestClient
) -> None:
    text, status = _send(anonymous_client, "en", full_name="", needs=[])
    assert status == 422
    assert 'id="e-full_name"' in text and 'id="e-needs"' in text
    with app.state.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_honeypot_oversize_and_flood(app: FastAPI, anonymous_client: TestClient) -> None:
    text, status = _send(anonymous_client, "en", website="http://spam.example")
    assert status == 200 and "data-reference" in text  # a bot is answered as if accepted
    with app.state.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
    page = anonymous_client.get("/help")
    huge = {**FORM, "description": "x" * (public_intake.MAX_FORM_BYTES + 10)}
    refused = anonymous_client.post("/help", data={**huge, "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 413
    statuses = [
        _send(anonymous_client, "en")[1] for _ in range(public_intake.public_limit.per_minute)
    ]
    assert statuses[-1] == 429
