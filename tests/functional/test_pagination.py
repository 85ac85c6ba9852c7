"""Every list route holds ``limit`` to the node's ``page_size_max`` (one rule, in
``kervan.web.pagination``) and refuses a cursor it did not give out, both as coded 422s."""

from __future__ import annotations

import pytest

from kervan.accounts.roles import Role
from tests.functional.conftest import ClientFactory
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

LISTS = [
    (Role.MIGRATION_OFFICER, "/api/v1/persons"),
    (Role.MIGRATION_OFFICER, "/api/v1/stay-documents"),
    (Role.ADMIN, "/api/v1/audit"),
]


@pytest.mark.parametrize(("role", "path"), LISTS)
def test_a_page_larger_than_the_setting_is_refused(
    client_as: ClientFactory, role: Role, path: str
) -> None:
    response = client_as(role).get(path, params={"limit": 501})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "input.page-too-large" and problem["params"] == {"largest": 500}
    assert client_as(role).get(path, params={"limit": 500}).status_code == 200


@pytest.mark.parametrize(("role", "path"), LISTS[:2])
def test_a_foreign_cursor_is_refused(client_as: ClientFactory, role: Role, path: str) -> None:
    response = client_as(role).get(path, params={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 422
    assert response.json()["code"] == "input.cursor-unknown"
