"""The officer UI of issue #4: the exit-check page, the person page's benefits and "applies to
this person" panels, deciding an application, and grant-all with its preview."""

from __future__ import annotations

import datetime as dt
import uuid
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role, system_principal
from kervan.benefits import service
from kervan.benefits.schemas import BenefitKindIn
from kervan.measures import service as measures
from kervan.measures.explain import explain_person
from kervan.measures.models import Measure, MeasureStatus
from kervan.registry import service as registry
from kervan.registry.enums import StayKind, StayPurpose
from kervan.registry.schemas import StayDocumentCreate
from kervan.uow import unit_of_work
from tests.functional.benefits_support import (
    TODAY,
    in_force_measure,
    passport_mrz,
    record_overstay,
    seed_traveller,
)
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def _kind(sessions: sessionmaker[Session]) -> str:
    with unit_of_work(sessions) as session:
        kind = service.save_kind(
            session,
            system_principal("KAZ", "test"),
            BenefitKindIn(
                code="fee_waiver",
                names={"en": "Fee waiver", "ru": "Освобождение от сборов"},
                eligibility={"nationality": ["member_states"]},
            ),
            state="KAZ",
        )
        return str(kind.id)


def test_exit_check_page_gives_the_verdict_and_the_measure(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions, valid_until=TODAY - dt.timedelta(days=2))
    in_force_measure(app_sessions)
    client = ui_as(Role.BORDER_OFFICER)
    page = post_form(client, "/exit-check", "/exit-check", {"mrz": "\n".join(passport_mrz())})
    assert page.status_code == 200, page.text
    assert 'data-verdict="may-exit"' in page.text
    assert "Quarantine regime" in page.text
    bad = post_form(client, "/exit-check", "/exit-check", {"mrz": "P<UZB\nXX"})
    assert bad.status_code == 422
    assert 'class="error"' in bad.text
    unknown = post_form(
        client,
        "/exit-check",
        "/exit-check",
        {"passport_number": "ZZ1", "issuing_state": "UZB"},
    )
    assert unknown.status_code == 422
    assert "No person in the register holds this passport." in unknown.text


def test_exit_check_page_in_russian(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions)
    client = ui_as(Role.BORDER_OFFICER, locale="ru")
    page = post_form(client, "/exit-check", "/exit-check", {"mrz": "\n".join(passport_mrz())})
    assert "Может выехать без штрафа." in page.text


def test_person_page_panels_and_a_decision(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_traveller(app_sessions)
    kind_id = _kind(app_sessions)
    in_force_measure(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    page = client.get(f"/persons/{person}")
    assert f'hx-get="/persons/{person}/benefits"' in page.text
    assert f'hx-get="/persons/{person}/applies"' in page.text
    panel = client.get(f"/persons/{person}/applies", headers={"HX-Request": "true"})
    assert "Quarantine regime" in panel.text and "<html" not in panel.text
    assert "Decree of the Government No. 123" in panel.text

    url = f"/persons/{person}/benefits"
    applied = post_form(client, url, url, {"kind_id": kind_id, "notes": "at the counter"})
    assert applied.status_code == 303
    listing = client.get(applied.headers["location"])
    assert "The application was entered and evaluated." in listing.text
    application_id = listing.text.split('action="/benefits/')[1].split("/")[0]
    action = f"/benefits/{application_id}/approve"
    review = post_form(client, url, action, {"reason": "could not leave", "step": "review"})
    assert "Confirm the approval" in review.text
    done = post_form(client, url, action, {"reason": "could not leave", "step": "confirm"})
    assert done.status_code == 303
    assert "The benefit was approved." in client.get(done.headers["location"]).text


def test_grant_all_page_previews_then_grants(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions)
    kind_id = _kind(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    kinds = client.get("/benefit-kinds")
    assert f'href="/benefit-kinds/{kind_id}/grant-all"' in kinds.text
    url = f"/benefit-kinds/{kind_id}/grant-all"
    preview = client.get(url)
    assert 'data-total="1"' in preview.text
    refused = post_form(client, url, url, {"reason": ""})
    assert refused.status_code == 422
    granted = post_form(client, url, url, {"reason": "decree 123"})
    assert 'data-granted="1"' in granted.text


def test_border_officer_sees_no_benefits(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.BORDER_OFFICER)
    assert client.get("/benefit-kinds").status_code == 403


# ---------------------------------------------------------------------------------------------
# "Applies to this person": the panel shows explain_person's verdicts, the API's and the CLI's.

WINDOW = {"from": str(TODAY - dt.timedelta(days=30)), "to": str(TODAY + dt.timedelta(days=30))}
EXTEND_IN_WINDOW: list[dict[str, Any]] = [
    {"extend": {"period_end_plus_days": 30, "scope": {"expires_between": WINDOW}}},
    {"waive": {"kinds": ["overstay"]}},
]


class _Verdicts(HTMLParser):
    """The panel's measures (``article``) and their verdicts (``li.verdict``), by data-*."""

    def __init__(self) -> None:
        super().__init__()
        self.measures: dict[str, dict[str, str]] = {}
        self.verdicts: list[dict[str, str]] = []
        self._measure = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "article" and found.get("id", "").startswith("measure-"):
            self._measure = found["id"].removeprefix("measure-")
            self.measures[self._measure] = found
        elif tag == "li" and found.get("class") == "verdict":
            self.verdicts.append({**found, "measure": self._measure})


def _panel(client: Any, person: uuid.UUID) -> tuple[str, _Verdicts]:
    response = client.get(f"/persons/{person}/applies", headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    parsed = _Verdicts()
    parsed.feed(response.text)
    return response.text, parsed


def _measure(
    sessions: sessionmaker[Session],
    status: MeasureStatus,
    *,
    scope: dict[str, Any] | None = None,
    reference: str,
    title: str,
) -> uuid.UUID:
    measure_id = in_force_measure(
        sessions, scope=scope, actions=EXTEND_IN_WINDOW, reference=reference
    )
    with unit_of_work(sessions) as session:
        measure = session.get(Measure, measure_id)
        assert measure is not None
        measure.status = status
        measure.title = {"en": title, "ru": f"{title} (ru)"}
    return measure_id


def _apply(sessions: sessionmaker[Session], measure_id: uuid.UUID) -> None:
    with unit_of_work(sessions) as session:
        measures.apply_measure(session, system_principal("KAZ", "test"), measure_id, today=TODAY)


def _second_document(sessions: sessionmaker[Session], person: uuid.UUID) -> uuid.UUID:
    """A visa ending well after the measures' window: never in the extension's scope."""
    with unit_of_work(sessions) as session:
        document = registry.issue_document(
            session,
            system_principal("KAZ", "seed"),
            person,
            StayDocumentCreate(
                kind=StayKind.VISA,
                number="VS7654321",
                purpose=StayPurpose.WORK,
                valid_from=TODAY - dt.timedelta(days=100),
                valid_until=TODAY + dt.timedelta(days=200),
                reason="seeded for a test",
            ),
            host_state="KAZ",
        )
        return document.id


def test_applies_panel_agrees_with_explain_person_document_by_document(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, permit = seed_traveller(app_sessions, valid_until=TODAY + dt.timedelta(days=10))
    visa = _second_document(app_sessions, person)
    record_overstay(app_sessions, person, TODAY - dt.timedelta(days=5))
    in_force = _measure(
        app_sessions, MeasureStatus.IN_FORCE, reference="KAZ-IN-FORCE", title="Quarantine"
    )
    _apply(app_sessions, in_force)
    # Previewed after the first was applied: the permit already reaches the date it would give.
    previewed = _measure(
        app_sessions, MeasureStatus.PREVIEWED, reference="KAZ-PREVIEW", title="Second wave"
    )
    client = ui_as(Role.MIGRATION_OFFICER)
    text, panel = _panel(client, person)

    with unit_of_work(app_sessions) as session:
        expected = explain_person(
            session, system_principal("KAZ", "test"), person, today=dt.date.today()
        )
    assert expected.verdicts
    shown = {
        (v["measure"], v["data-action"], v["data-document"]): (
            v["data-outcome"],
            v["data-applies"],
        )
        for v in panel.verdicts
    }
    assert len(shown) == len(panel.verdicts) == len(expected.verdicts)
    for verdict in expected.verdicts:
        key = (str(verdict.measure_id), verdict.action, str(verdict.document_id or ""))
        applies = "true" if verdict.applies else "false"
        assert shown[key] == (verdict.outcome_code, applies), (key, verdict.outcome)

    outcomes = {(m, d): o for (m, _, d), (o, _) in shown.items()}
    assert outcomes[(str(in_force), str(permit))] == "extended"
    assert outcomes[(str(in_force), str(visa))] == "not-in-scope"
    assert outcomes[(str(in_force), "")] == "waived"
    assert outcomes[(str(previewed), str(permit))] == "already-valid"
    assert outcomes[(str(previewed), "")] == "nothing-waived"
    assert panel.measures[str(in_force)]["data-status"] == "in_force"
    assert panel.measures[str(in_force)]["data-applies"] == "true"
    assert panel.measures[str(previewed)]["data-status"] == "previewed"
    assert "Extended WK12345678 from" in text
    assert "VS7654321 is not in the scope of the measure." in text
    assert "Waived 1 violation." in text
    assert "WK12345678 is in the scope, but it is already valid until" in text
    # In force first, and the one register read of the page is audited once.
    assert text.index("Quarantine") < text.index("Second wave")
    with unit_of_work(app_sessions) as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "person.read",
                AuditEntry.record_id == str(person),
                AuditEntry.username.startswith("ui-"),
            )
        ).all()
    assert [r.purpose for r in reads] == ["measures.explain"]


def test_applies_panel_outside_the_scope_names_the_clause_and_the_value(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, permit = seed_traveller(
        app_sessions, nationality="RUS", valid_until=TODAY + dt.timedelta(days=10)
    )
    measure = _measure(
        app_sessions,
        MeasureStatus.IN_FORCE,
        scope={"nationality": ["member_states"]},
        reference="KAZ-MEMBERS",
        title="Quarantine",
    )
    text, panel = _panel(ui_as(Role.MIGRATION_OFFICER), person)
    assert panel.measures[str(measure)]["data-applies"] == "false"
    assert "does not apply" in text
    assert "No measure in force applies to this person." in text
    by_document = {v["data-document"]: v for v in panel.verdicts}
    assert by_document[str(permit)]["data-outcome"] == "not-in-scope"
    assert by_document[str(permit)]["data-applies"] == "false"
    assert "WK12345678 is not in the scope of the measure." in text
    assert "The person is not in the scope of the waiver." in text
    # the clause and what it saw, in the officer's words (English here): no codes
    assert "Nationality is one of: the member states" in text and "nationality: Russia" in text
    assert '<li class="bad">' in text


def test_applies_panel_shows_a_lifted_measure_as_lifted_and_words_each_outcome(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, permit = seed_traveller(app_sessions, valid_until=TODAY + dt.timedelta(days=10))
    with unit_of_work(app_sessions) as session:
        revoked = registry.issue_document(
            session,
            system_principal("KAZ", "seed"),
            person,
            StayDocumentCreate(
                kind=StayKind.REGISTRATION,
                number="RK2026012345",
                purpose=StayPurpose.WORK,
                valid_from=TODAY - dt.timedelta(days=100),
                valid_until=TODAY + dt.timedelta(days=5),
                reason="seeded for a test",
            ),
            host_state="KAZ",
        ).id
        registry.revoke_document(session, system_principal("KAZ", "seed"), revoked, "breach")
    lifted = _measure(app_sessions, MeasureStatus.LIFTED, reference="KAZ-LIFTED", title="Old")
    pending = _measure(app_sessions, MeasureStatus.IN_FORCE, reference="KAZ-NOW", title="Now")
    previewed = _measure(app_sessions, MeasureStatus.PREVIEWED, reference="KAZ-NEXT", title="Next")
    text, panel = _panel(ui_as(Role.MIGRATION_OFFICER), person)

    assert panel.measures[str(lifted)]["data-status"] == "lifted"
    assert 'data-status="lifted">Lifted</span>' in text
    outcomes = {(v["measure"], v["data-document"]): v["data-outcome"] for v in panel.verdicts}
    assert outcomes[(str(lifted), str(permit))] == "lifted-before-reaching"
    assert outcomes[(str(pending), str(permit))] == "will-extend-when-applied"
    assert outcomes[(str(previewed), str(permit))] == "would-extend-once-in-force"
    for measure in (lifted, pending, previewed):
        assert outcomes[(str(measure), str(revoked))] == "document-not-active"
    assert "the measure was lifted before it reached this document" in text
    assert "WK12345678 is in the scope: it will be extended to" in text
    assert "WK12345678 is in the scope: it would be extended to" in text
    assert "RK2026012345 is in the scope, but the document is not active (Revoked)." in text
    # In force, previewed, lifted: in that order.
    assert text.index("measure-" + str(pending)) < text.index("measure-" + str(previewed))
    assert text.index("measure-" + str(previewed)) < text.index("measure-" + str(lifted))


def test_applies_panel_in_russian(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_traveller(app_sessions, valid_until=TODAY + dt.timedelta(days=10))
    _second_document(app_sessions, person)
    measure = _measure(app_sessions, MeasureStatus.IN_FORCE, reference="KAZ-RU", title="Regime")
    _apply(app_sessions, measure)
    text, _ = _panel(ui_as(Role.MIGRATION_OFFICER, locale="ru"), person)
    assert "Regime (ru)" in text
    assert "Продлён WK12345678: с" in text
    assert "Документ VS7654321 не входит в сферу действия меры." in text
    assert "Действует" in text and "Почему" in text
