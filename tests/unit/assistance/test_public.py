"""The public help request (``kervan.assistance.public``): what the form accepts and what it
keeps — a name, a member state's national, a need and a contact are required; markup is never
kept; "in danger" is critical; consent only when ticked; a bot is answered as if accepted with
nothing stored; the status answers the same for an unknown reference as for a wrong secret.
Through the node's own app (no sign-in needed) on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from kervan.assistance import public
from kervan.assistance.models import Case, CaseStatus, Requester, Source, Urgency
from kervan.config import Settings
from kervan.web import public_intake
from kervan.web.app import create_app
from tests.functional.shared_app import empty_register, module_database_url

FORM: dict[str, Any] = {
    "full_name": "Турсунов Азамат",
    "nationality": "KGZ",
    "needs": ["shelter"],
    "contact": "+7 700 111 22 33",
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """One node for the module's tests on each database: starting it is most of a test's time.
    Each test starts from an empty register (``client``)."""
    settings = Settings(
        database_url=module_database_url(request, tmp_path_factory, request.param),
        state="KAZ",
        environment="test",
        secret_key="test-secret-x",
    )
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(
    node: FastAPI, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[TestClient]:
    monkeypatch.setattr(public_intake.public_limit, "_seen", {})  # a fresh per-address count
    with TestClient(node) as test_client:
        yield test_client
    empty_register(node.state.engine, request)


def _post(client: TestClient, path: str, **fields: Any) -> Any:
    page = client.get(path)
    token = TOKEN.search(page.text)
    assert token, "the public page has no form"
    return client.post(path, data={**fields, "csrf_token": token.group(1)})


def _cases(client: TestClient) -> list[Case]:
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(Case)))


@given(st.text(max_size=60))
def test_no_markup_is_kept(text: str) -> None:
    kept = public._plain(text)
    assert "<" not in kept and ">" not in kept
    if "<" not in text and ">" not in text:
        assert kept == text.strip()


def test_a_request_without_what_it_needs_is_shown_again(client: TestClient) -> None:
    # One app for the four refusals: starting the node is most of a test's time.
    for missing in ({"full_name": ""}, {"nationality": "FRA"}, {"needs": []}, {"contact": ""}):
        answer = _post(client, "/help", **{**FORM, **missing})
        assert answer.status_code == 422, missing
    assert _cases(client) == []


def test_a_request_opens_an_untrusted_case_and_keeps_no_markup(client: TestClient) -> None:
    answer = _post(
        client,
        "/help",
        **{
            **FORM,
            "full_name": "Азамат <b>Турсунов</b>",
            "danger": "yes",
            "requester": "relative",
            "requester_name": "Айбек",
            "consent": "yes",
        },
    )
    assert answer.status_code == 200
    (case,) = _cases(client)
    assert (case.status, case.source) == (CaseStatus.NEW, Source.PUBLIC)
    assert case.full_name == "Азамат bТурсунов/b"
    assert case.urgency is Urgency.CRITICAL and case.requester is Requester.RELATIVE
    assert (case.consent_by, case.consent_how) == ("Айбек", "public_form")
    assert case.reference in answer.text


def test_no_consent_unless_ticked_and_no_danger_unless_said(client: TestClient) -> None:
    assert _post(client, "/help", **FORM).status_code == 200
    (case,) = _cases(client)
    assert case.consent_at is None and case.urgency is Urgency.NORMAL
    assert case.requester is Requester.PERSON and case.requester_name == ""


def test_a_bot_is_answered_as_if_accepted_and_nothing_is_stored(client: TestClient) -> None:
    answer = _post(client, "/help", **{**FORM, public_intake.HONEYPOT_FIELD: "http://spam"})
    assert answer.status_code == 200 and _cases(client) == []


def test_the_status_answers_only_the_right_secret_and_the_same_otherwise(
    client: TestClient,
) -> None:
    sent = _post(client, "/help", **FORM).text
    reference = re.search(r"data-reference>([^<]+)<", sent).group(1)  # type: ignore[union-attr]
    secret = re.search(r"data-secret>([^<]+)<", sent).group(1)  # type: ignore[union-attr]
    typed = reference.lower().replace("-", " ")
    right = _post(client, "/help/status", reference=typed, secret=secret)
    wrong = _post(client, "/help/status", reference=reference, secret=secret + "x")
    unknown = _post(client, "/help/status", reference="H-ZZZZ-ZZZZ", secret=secret)
    assert right.status_code == 200 and wrong.status_code == unknown.status_code == 404
    assert "Турсунов" not in right.text  # nothing personal is shown back
