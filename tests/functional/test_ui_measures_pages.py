"""The measures pages of the officer UI: the list, a new draft from the form or a YAML file,
the measure page, and preview → bring into force → lift, each confirmed with a reason."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit
from kervan.accounts.roles import Role, system_principal
from kervan.measures import jobs
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.views.pages import router as measures_pages
from kervan.registry.enums import ViolationStatus
from kervan.registry.models import StayDocument, Violation
from kervan.uow import unit_of_work
from kervan.web.deps import Policy
from kervan.web.security import csrf_protect
from tests.functional.benefits_support import TODAY, record_overstay, seed_traveller
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.test_ui_measures_benefits import _kind
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

START, END = TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=30)
SCOPE = "nationality: [member_states]\n"
ACTIONS = f"""\
- extend:
    period_end_plus_days: 30
    scope:
      expires_between: {{from: {START}, to: {END}}}
- waive:
    kinds: [overstay]
"""
MEASURE_FILE = f"""\
reference: KAZ-FILE-01
issuing_state: KAZ
legal_basis: {{act: Decree of the Government, number: "77", date: {START}}}
title: {{en: Flood relief, ru: Помощь при наводнении}}
period: {{from: {START}, to: {END}}}
scope: {{nationality: [UZB]}}
actions:
  - waive: {{kinds: [overstay]}}
"""


def _form(**overrides: Any) -> dict[str, Any]:
    form = {
        "reference": "KAZ-UI-01",
        "legal_act": "Decree of the Government",
        "legal_number": "123",
        "legal_date": START.isoformat(),
        "legal_link": "",
        "title": "Quarantine regime",
        "summary": "Documents expiring during the quarantine stay valid.",
        "period_from": START.isoformat(),
        "period_to": END.isoformat(),
        "scope": SCOPE,
        "actions": ACTIONS,
    }
    return {**form, **overrides}


def _create(client: TestClient, **overrides: Any) -> str:
    done = post_form(client, "/measures/new", "/measures/new", _form(**overrides))
    assert done.status_code == 303, done.text
    match = re.fullmatch(r"/measures/([0-9a-f-]{36})\?done=created", done.headers["location"])
    assert match, done.headers["location"]
    return match.group(1)


def _step(client: TestClient, measure: str, step: str, reason: str) -> str:
    """Review then confirm a lifecycle step, as an officer clicks through it."""
    url = f"/measures/{measure}/{step}"
    review = post_form(client, url, url, {"reason": reason, "confirm": "review"})
    assert review.status_code == 200, review.text
    assert "Check and confirm" in review.text
    done = client.post(
        url, data={"reason": reason, "confirm": "confirm", "csrf_token": csrf_from(review.text)}
    )
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def test_the_list_shows_measures_and_the_new_button_to_migration_officers(
    ui_as: UiClientFactory,
) -> None:
    officer = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(officer)
    listing = officer.get("/measures")
    assert listing.status_code == 200
    assert f'href="/measures/{measure}"' in listing.text and "Quarantine regime" in listing.text
    assert 'data-status="draft"' in listing.text and "Decree of the Government" in listing.text
    assert 'href="/measures/new"' in listing.text and 'href="/measures"' in listing.text
    analyst = ui_as(Role.SECRETARIAT_ANALYST).get("/measures")
    assert analyst.status_code == 200 and "Quarantine regime" in analyst.text
    assert 'href="/measures/new"' not in analyst.text
    drafts_only = officer.get("/measures", params={"status": "in_force"})
    assert "Quarantine regime" not in drafts_only.text


def test_the_new_form_creates_a_draft(
    ui_as: UiClientFactory,
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    form = client.get("/measures/new")
    assert form.status_code == 200
    assert "period_end_plus_days: 30" not in form.text  # no YAML example: actions are chosen
    assert 'for="f-scope"' in form.text and 'for="f-actions"' in form.text
    page = client.get(f"/measures/{_create(client)}?done=created")
    assert "The draft was saved." in page.text
    assert "Quarantine regime" in page.text and "KAZ-UI-01" in page.text
    assert "member states of the Organization of Turkic States" in page.text
    assert "Waive violations (Overstay)" in page.text
    assert 'data-step="created"' in page.text
    unsafe = _create(client, reference="KAZ-UI-02", legal_link="javascript:alert(1)")
    assert 'href="javascript:' not in client.get(f"/measures/{unsafe}").text
    assert f'href="/measures/{page.url.path.split("/")[-1]}/preview"' in page.text


def test_an_invalid_scope_is_shown_next_to_the_field_with_its_path(
    ui_as: UiClientFactory,
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    bad = "all:\n  - nationality: [XYZ1]\n  - document_kinds: [visa]\n"
    refused = post_form(client, "/measures/new", "/measures/new", _form(scope=bad))
    assert refused.status_code == 422
    error = refused.text.split('id="f-scope-error"')[1].split("</div>")[0]
    assert "scope.all[0].nationality[0]" in error
    assert (
        "scope.all[1].document_kinds" in error and "did you mean &#39;document_kind&#39;" in error
    )
    assert 'id="f-scope" name="scope"' in refused.text and 'aria-invalid="true"' in refused.text
    not_yaml = post_form(client, "/measures/new", "/measures/new", _form(actions="- [oops"))
    assert not_yaml.status_code == 422
    assert "This is not valid YAML (line" in not_yaml.text.split('id="f-actions-error"')[1]
    dates = post_form(client, "/measures/new", "/measures/new", _form(period_to="15.05.2020"))
    # the example is a real date in the officer's own format, as their date picker shows it
    assert 'id="f-period_to-error">Enter a real date, for example ' in dates.text
    assert "YYYY-MM-DD" not in dates.text.split('id="f-period_to-error"')[1].split("</p>")[0]
    assert client.get("/measures").text.count("/measures/") <= 1  # nothing was saved


def test_a_measure_file_pasted_or_uploaded_creates_then_updates_the_draft(
    ui_as: UiClientFactory,
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    pasted = post_form(client, "/measures/new", "/measures/new/file", {"document": MEASURE_FILE})
    assert pasted.status_code == 303, pasted.text
    page = client.get(pasted.headers["location"])
    assert "Flood relief" in page.text and "KAZ-FILE-01" in page.text
    token = csrf_from(client.get("/measures/new").text)
    uploaded = client.post(
        "/measures/new/file",
        data={"csrf_token": token},
        files={"file": ("m.yaml", MEASURE_FILE.replace("Flood relief", "Flood aid"), "text/yaml")},
    )
    assert uploaded.status_code == 303
    assert uploaded.headers["location"] == pasted.headers["location"]  # same reference: updated
    assert "Flood aid" in client.get(uploaded.headers["location"]).text
    broken = MEASURE_FILE.replace("[UZB]", "[uzb]").replace("overstay", "speeding")
    refused = post_form(client, "/measures/new", "/measures/new/file", {"document": broken})
    assert refused.status_code == 422
    error = refused.text.split('id="f-document-error"')[1].split("</div>")[0]
    assert "scope.nationality[0]" in error and "actions[0].waive.kinds[0]" in error


def test_preview_shows_counts_then_bring_into_force_extends_and_lift_keeps_it(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, document = seed_traveller(app_sessions, valid_until=TODAY + dt.timedelta(days=10))
    seed_traveller(app_sessions, passport="FA7654321", number="WK87654321", name="Karimov")
    record_overstay(app_sessions, person, TODAY - dt.timedelta(days=2))
    client = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(client)
    assert "/activate" not in client.get(f"/measures/{measure}").text  # preview first

    page = client.get(_step(client, measure, "preview", "counted before the decree"))
    assert "The preview is ready." in page.text
    assert 'data-documents="1" data-persons="1" data-violations="1"' in page.text
    assert "Uzbekistan" in page.text and "Work permit" in page.text and "WK12345678" in page.text
    assert "No measure in force overlaps this one." in page.text
    assert "counted before the decree" in page.text

    location = _step(client, measure, "activate", "decree 123 published")
    assert location.endswith("done=in_force")
    page = client.get(location)
    # The whole register is the worker's job, off the request, as for the API.
    assert "the worker is applying it to the register" in page.text
    assert "Applying to the register: 0 of 2 persons so far (0%)." in page.text
    assert 'data-status="in_force"' in page.text and 'data-step="applied"' not in page.text
    with unit_of_work(app_sessions) as session:
        waiting = session.get(StayDocument, uuid.UUID(str(document)))
        assert waiting is not None and waiting.valid_until == TODAY + dt.timedelta(days=10)
    assert jobs.apply_requested(app_sessions, today=TODAY)
    assert not jobs.apply_requested(app_sessions, today=TODAY)  # done: nothing waits
    page = client.get(f"/measures/{measure}")
    assert "Applying to the register" not in page.text
    assert "Stay documents extended: 1; violations waived: 1." in page.text
    assert 'data-step="applied"' in page.text
    with unit_of_work(app_sessions) as session:
        extended = session.get(StayDocument, uuid.UUID(str(document)))
        assert extended is not None and extended.valid_until == END + dt.timedelta(days=30)
        waived = session.query(Violation).filter_by(person_id=person).one()
        assert waived.status is ViolationStatus.WAIVED
    history = client.get(f"/documents/{document}/history")
    assert "By an emergency measure" in history.text
    # the measure by its title, as actor and reason; never its id
    assert "Extended by the measure Quarantine regime" in history.text
    assert "measure:" not in history.text

    page = client.get(_step(client, measure, "lift", "the emergency is over"))
    assert "The measure was lifted." in page.text and "the emergency is over" in page.text
    assert 'data-status="lifted"' in page.text and f"/measures/{measure}/lift" not in page.text
    with unit_of_work(app_sessions) as session:
        kept = session.get(StayDocument, uuid.UUID(str(document)))
        assert kept is not None and kept.valid_until == END + dt.timedelta(days=30)


def test_a_step_needs_a_reason_and_the_right_status(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(client)
    url = f"/measures/{measure}/preview"
    refused = post_form(client, url, url, {"reason": " ", "confirm": "confirm"})
    assert refused.status_code == 422
    assert 'id="f-reason-error">Give the reason for this decision' in refused.text
    url = f"/measures/{measure}/activate"
    too_early = post_form(client, url, url, {"reason": "skip the preview", "confirm": "confirm"})
    assert too_early.status_code == 409
    assert "This step is not possible in the measure&#39;s current status" in too_early.text


def test_a_step_without_its_csrf_token_is_refused(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(client)
    forged = client.post(
        f"/measures/{measure}/preview", data={"reason": "forged", "confirm": "confirm"}
    )
    assert forged.status_code == 403 and "The form has expired" in forged.text
    assert client.post("/measures/new", data=_form(reference="KAZ-FORGED")).status_code == 403
    with unit_of_work(app_sessions) as session:
        found = session.get(Measure, uuid.UUID(measure))
        assert found is not None and found.status is MeasureStatus.DRAFT


def test_roles_without_the_permission_are_refused(ui_as: UiClientFactory) -> None:
    measure = _create(ui_as(Role.MIGRATION_OFFICER))
    border = ui_as(Role.BORDER_OFFICER)
    assert border.get("/measures").status_code == 403
    assert 'href="/measures"' not in border.get("/").text
    consul = ui_as(Role.CONSULAR_OFFICER)
    assert consul.get(f"/measures/{measure}").status_code == 200
    refused = consul.get("/measures/new")
    assert refused.status_code == 403 and "You are not allowed to do this" in refused.text
    assert consul.get(f"/measures/{measure}/preview").status_code == 403
    assert f"/measures/{measure}/preview" not in consul.get(f"/measures/{measure}").text


def test_every_measures_page_declares_a_policy_and_checks_csrf_when_unsafe() -> None:
    for route in measures_pages.routes:
        assert isinstance(route, APIRoute)
        calls = [d.call for d in route.dependant.dependencies]
        assert any(isinstance(c, Policy) for c in calls), route.path
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            assert csrf_protect in calls, route.path


def test_the_pages_in_russian(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER, locale="ru")
    assert "Новая мера" in client.get("/measures").text
    assert "Меры" in client.get("/").text


def test_the_officers_decisions_survive_any_number_of_import_chunks(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    """Regression (issue 11, bug 2): the page rebuilt the story from the newest 200 audit
    entries of the measure, and every import chunk adds one; the reasons then vanished and
    "applied by" became ``measure:<id>``. Decisions are now the measure's own events."""
    seed_traveller(app_sessions, valid_until=TODAY + dt.timedelta(days=10))
    client = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(client)
    _step(client, measure, "preview", "counted before the decree")
    _step(client, measure, "activate", "decree 123 published")
    assert jobs.apply_requested(app_sessions, today=TODAY)
    chunk_actor = system_principal("KAZ", f"measure:{measure}")
    with unit_of_work(app_sessions) as session:
        for chunk in range(205):  # what 205 import chunks leave in the audit log
            audit.record(
                session,
                chunk_actor,
                "measure.apply",
                record_type="measure",
                record_id=uuid.UUID(measure),
                details={"trigger": "documents_imported", "chunk": chunk},
            )
    page = client.get(f"/measures/{measure}").text
    assert "counted before the decree" in page and "decree 123 published" in page
    rows = re.findall(r'<tr data-step="(\w+)"><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', page)
    assert [step for step, _ in rows] == ["created", "previewed", "in_force", "applied"]
    assert all(not by.startswith("measure:") for _, by in rows)


def test_the_scope_is_chosen_in_the_form_with_a_live_count(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    from tests.functional.ui_support import seed_person

    seed_person(app_sessions)  # UZB, a work permit
    seed_person(app_sessions, nationality="KGZ", document_number="WK77777777")
    client = ui_as(Role.MIGRATION_OFFICER)
    form = client.get("/measures/new")
    assert 'name="nationality" value="UZB"' in form.text and 'name="kind"' in form.text
    assert 'hx-post="/measures/new/count"' in form.text
    token = csrf_from(form.text)
    uzbeks = {"nationality": ["UZB"], "kind": ["work_permit"], "csrf_token": token}
    live = client.post("/measures/new/count", data=uzbeks, headers={"HX-Request": "true"})
    assert "1 active stay document is in scope today." in live.text
    assert "<html" not in live.text
    # Without JavaScript the "Count" button posts the whole form and gets the page back.
    both = {"nationality": ["UZB", "KGZ", "XXX"], "csrf_token": token}
    page = client.post("/measures/new/count", data=both)
    assert "2 active stay documents are in scope today." in page.text
    assert 'value="KGZ" checked' in page.text and "XXX" not in page.text
    # The choices become the saved measure's scope.
    done = client.post(
        "/measures/new",
        data={**_form(scope=""), "nationality": ["KGZ"], "csrf_token": token},
    )
    assert done.status_code == 303, done.text
    saved = client.get(done.headers["location"])
    assert "Kyrgyzstan" in saved.text


def test_the_actions_are_chosen_in_the_form_and_refused_on_their_fields(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _kind(app_sessions)  # a benefit kind to choose by its name
    client = ui_as(Role.MIGRATION_OFFICER)
    form = client.get("/measures/new")
    assert '<option value="fee_waiver">Fee waiver</option>' in form.text
    chosen = {
        "actions": "",
        "extend": "period_end_plus_days",
        "extend_days": "30",
        "waive": ["overstay", "missing_registration"],
        "benefit": "fee_waiver",
    }
    measure = _create(client, reference="KAZ-UI-ACT", **chosen)
    with unit_of_work(app_sessions) as session:
        saved = session.get_one(Measure, uuid.UUID(measure))
        assert saved.actions == [
            {"extend": {"period_end_plus_days": 30}},
            {"waive": {"kinds": ["missing_registration", "overstay"]}},  # canonical order
            {"grant_benefit": {"kind": "fee_waiver"}},
        ]
    page = client.get(f"/measures/{measure}").text
    assert "Fee waiver" in page and "fee_waiver" not in page.split("<pre")[0]
    for sent, field, message in (
        ({"extend": "to", "extend_to": ""}, "extend_to", "Give the date the documents are"),
        ({"extend": "to", "extend_to": "2027-02-30"}, "extend_to", "Enter a real date"),
        ({"extend": "by_days", "extend_days": "-3"}, "extend_days", "a whole number of days"),
        ({"extend": "by_days", "extend_days": "99999"}, "extend_days", "from 1 to 3,660"),
        ({}, "extend", "Choose what the measure does"),
        ({"benefit": "no_such_kind"}, "extend", "Choose what the measure does"),
    ):
        refused = post_form(
            client,
            "/measures/new",
            "/measures/new",
            _form(reference="KAZ-UI-BAD", actions="", **sent),
        )
        assert refused.status_code == 422, sent
        assert f'id="f-{field}-error">' in refused.text and message in refused.text, sent
        assert "no_such_kind" not in refused.text
