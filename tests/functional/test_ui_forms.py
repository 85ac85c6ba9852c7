"""Page forms are read by one dependency (``kervan.web.forms.form_values``): a field longer than
a form holds, or a flood of fields, is refused with a coded 422 while it is read."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from kervan.web.forms import MAX_FIELD_CHARS, MAX_FIELDS
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    post_form,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def test_an_overlong_field_or_a_flood_of_fields_is_refused(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _, document = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    url = f"/documents/{document}/extend"
    long_reason = {"valid_until": "2027-06-30", "reason": "x" * (MAX_FIELD_CHARS + 1)}
    refused = post_form(client, url, url, long_reason)
    assert refused.status_code == 422
    assert "Some of the input is not valid" in refused.text  # the error page, not a crash
    flood = {f"f{i}": "1" for i in range(MAX_FIELDS + 5)}
    assert post_form(client, url, url, flood).status_code == 422
    fine = post_form(client, url, url, {"valid_until": "2027-06-30", "reason": "renewed"})
    assert fine.status_code == 200 and "Check and confirm" in fine.text
