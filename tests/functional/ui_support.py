"""Driving the officer UI over HTTP as a browser would: cookies, CSRF tokens from the forms."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.registry import service
from kervan.registry.enums import Sex, StayKind, StayPurpose
from kervan.registry.schemas import BirthDate, PersonCreate, StayDocumentCreate
from kervan.uow import unit_of_work

PASSWORD = "correct horse battery staple"
HTML = {"Accept": "text/html,application/xhtml+xml"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

UiClientFactory = Callable[..., TestClient]


def csrf_from(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def make_user(
    sessions: sessionmaker[Session], username: str, role: Role, state: str, locale: str = "en"
) -> None:
    with unit_of_work(sessions) as session:
        create_user(
            session,
            system_principal(state, "test"),  # as by the node of the user's state
            username=username,
            password=PASSWORD,
            role=role,
            state=state,
            locale=locale,
        )


def signed_in_client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False, headers=HTML, follow_redirects=False)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "username": username,
            "password": PASSWORD,
            "next": "/",
            "csrf_token": csrf_from(form.text),
        },
    )
    assert response.status_code == 303, response.text
    return client


def post_form(client: TestClient, page_url: str, action: str, data: dict[str, Any]) -> Any:
    """Post ``data`` to ``action`` with the CSRF token of the form page at ``page_url``."""
    token = csrf_from(client.get(page_url).text)
    return client.post(action, data={**data, "csrf_token": token})


def seed_person(
    sessions: sessionmaker[Session],
    *,
    primary: str = "Rahimov",
    secondary: str = "Otkir",
    nationality: str = "UZB",
    document_number: str = "WK12345678",
    valid_until: dt.date | None = None,
) -> tuple[uuid.UUID, uuid.UUID]:
    """A person with an active work permit, written through the register's services."""
    officer = system_principal("KAZ", "seed")
    with unit_of_work(sessions) as session:
        person = service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name=primary,
                secondary_name=secondary,
                nationality=nationality,
                birth_date=BirthDate(year=1988, month=3, day=14),
                sex=Sex.MALE,
            ),
        )
        document = service.issue_document(
            session,
            officer,
            person.id,
            StayDocumentCreate(
                kind=StayKind.WORK_PERMIT,
                number=document_number,
                purpose=StayPurpose.WORK,
                valid_from=dt.date(2026, 1, 1),
                valid_until=valid_until or dt.date(2026, 12, 31),
                reason="employer application 17",
            ),
            host_state="KAZ",
        )
        return person.id, document.id


@pytest.fixture(name="ui_as")
def ui_as_fixture(app: FastAPI, app_sessions: sessionmaker[Session]) -> Iterator[UiClientFactory]:
    """``ui_as(Role.MIGRATION_OFFICER)`` → a client signed in through the sign-in form."""
    clients: list[TestClient] = []
    counter = iter(range(1_000_000))

    def make(
        role: Role = Role.MIGRATION_OFFICER, state: str = "KAZ", locale: str = "en"
    ) -> TestClient:
        username = f"ui-{role.value}-{state.lower()}-{next(counter)}"
        make_user(app_sessions, username, role, state, locale)
        client = signed_in_client(app, username)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
