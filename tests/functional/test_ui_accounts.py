"""Accounts in the UI: own tokens, the users admin page, the audit log; and imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.registry.transfer.columns import COLUMNS
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def test_a_token_is_shown_once_works_and_can_be_revoked(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    created = post_form(client, "/account/tokens", "/account/tokens", {"name": "reporting"})
    secret = re.search(r'id="new-secret" class="mono secret" value="([^"]+)"', created.text)
    assert secret, created.text
    token_id = re.search(r"/account/tokens/([0-9a-f-]+)/revoke", created.text)
    assert token_id
    api = client.get(
        "/api/v1/persons",
        headers={"Authorization": f"Bearer {secret.group(1)}", "Accept": "application/json"},
    )
    assert api.status_code == 200
    revoked = client.post(
        f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf_from(created.text)}
    )
    assert revoked.status_code == 303
    assert secret.group(1) not in client.get("/account/tokens").text


def test_an_admin_adds_and_disables_a_user(ui_as: UiClientFactory) -> None:
    admin = ui_as(Role.ADMIN)
    weak = post_form(
        admin,
        "/admin/users",
        "/admin/users",
        {
            "username": "new.officer",
            "role": "migration_officer",
            "state": "KAZ",
            "password": "short",
        },
    )
    assert "The password is too weak." in weak.text
    added = post_form(
        admin,
        "/admin/users",
        "/admin/users",
        {
            "username": "new.officer",
            "role": "migration_officer",
            "state": "KAZ",
            "password": "a much longer passphrase 2026",
        },
    )
    assert added.status_code == 303
    page = admin.get("/admin/users")
    assert "new.officer" in page.text
    disabled = admin.post(
        "/admin/users/new.officer/active", data={"active": "0", "csrf_token": csrf_from(page.text)}
    )
    assert disabled.status_code == 200  # the page, saying what the disable took away
    assert "new.officer is disabled" in disabled.text
    assert "Disabled" in admin.get("/admin/users").text


def test_the_audit_log_filters_exports_and_checks_its_chain(ui_as: UiClientFactory) -> None:
    admin = ui_as(Role.ADMIN)
    page = admin.get("/admin/audit", params={"action": "auth.sign_in"})
    assert page.status_code == 200
    assert "auth.sign_in" in page.text
    export = admin.get("/admin/audit/export.csv", params={"action": "auth.sign_in"})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert export.text.splitlines()[0].startswith("seq,at,username")
    verified = admin.post("/admin/audit/verify", data={"csrf_token": csrf_from(page.text)})
    assert "The chain is intact" in verified.text


def test_an_officer_cannot_read_the_audit_log(ui_as: UiClientFactory) -> None:
    assert ui_as(Role.MIGRATION_OFFICER).get("/admin/audit").status_code == 403


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The node's settings, with uploads kept in this test's own folder."""
    return Settings(
        database_url=database_url,
        state="KAZ",
        environment="test",
        secret_key="test-secret-key-not-for-production",
        data_dir=tmp_path,
    )


def _csv(*rows: dict[str, str]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


GOOD_ROW = {
    "primary_name": "Karimova",
    "secondary_name": "Dilnoza",
    "nationality": "UZB",
    "birth_date": "1990-05-17",
    "sex": "F",
    "passport_number": "FA7654321",
    "passport_issuing_state": "UZB",
    "document_kind": "registration",
    "document_number": "RK2026012345",
    "purpose": "work",
    "valid_from": "2026-01-10",
    "valid_until": "2026-07-10",
}


def test_import_shows_the_dry_run_row_by_row_then_imports(
    ui_as: UiClientFactory, tmp_path: Path
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    token = csrf_from(client.get("/import").text)
    bad = client.post(
        "/import",
        data={"csrf_token": token},
        files={
            "file": (
                "rows.csv",
                _csv(
                    GOOD_ROW,
                    {**GOOD_ROW, "birth_date": "yesterday", "document_number": "RK2026012346"},
                ),
                "text/csv",
            )
        },
    )
    assert bad.status_code == 200
    assert "Dry run: nothing was written yet" in bad.text
    assert re.search(r"<tr><td>3</td><td class=\"mono\">birth_date</td>", bad.text)
    assert "Import now" not in bad.text
    good = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("rows.csv", _csv(GOOD_ROW), "text/csv")},
    )
    upload = re.search(r'name="upload" value="([^"]+)"', good.text)
    assert upload, good.text
    done = client.post("/import/run", data={"csrf_token": token, "upload": upload.group(1)})
    assert done.status_code == 200
    assert "Imported" in done.text
    assert "Karimova" in client.get("/search", params={"q": "Karimova"}).text
    again = client.post("/import/run", data={"csrf_token": token, "upload": upload.group(1)})
    assert again.status_code == 410
    assert not any(p.is_file() for p in (tmp_path / "uploads").rglob("*"))


def test_a_file_of_an_unknown_kind_is_refused(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    token = csrf_from(client.get("/import").text)
    refused = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("rows.pdf", b"%PDF", "application/pdf")},
    )
    assert refused.status_code == 422
    assert "Choose a CSV, JSON, JSON Lines or XLSX file." in refused.text


def test_form_fields_carry_their_extra_attributes_as_attributes(ui_as: UiClientFactory) -> None:
    page = ui_as(Role.ADMIN).get("/admin/users").text
    assert 'type="password" value="" required autocomplete="new-password"' in page
    assert 'maxlength="3"' in page and "&#34;" not in page
