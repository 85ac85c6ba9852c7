"""Who is eligible for a benefit kind, chosen in a form (issue 12, item 7): the rule shown as
choices, the live count of people it reaches, each problem on its field in the officer's
language, the change shown before it is saved, audited; the rule stays the scope language the
benefit kinds file, the API and the CLI speak."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role, system_principal
from kervan.benefits import service
from kervan.benefits.models import BenefitKind
from kervan.benefits.schemas import BenefitKindIn
from kervan.uow import unit_of_work
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def _kind(sessions: sessionmaker[Session], eligibility: dict[str, Any]) -> str:
    with unit_of_work(sessions) as session:
        kind = service.save_kind(
            session,
            system_principal("KAZ", "test"),
            BenefitKindIn(code="fee_waiver", names={"en": "Fee waiver"}, eligibility=eligibility),
            state="KAZ",
        )
        return str(kind.id)


def _rule(sessions: sessionmaker[Session], kind_id: str) -> dict[str, Any]:
    with sessions() as session:
        kind = session.scalars(select(BenefitKind)).one()
        assert str(kind.id) == kind_id
        return dict(kind.eligibility)


def test_the_rule_is_chosen_counted_reviewed_then_saved_and_audited(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_person(app_sessions)  # UZB, born 1988, a work permit
    seed_person(app_sessions, nationality="KGZ", document_number="WK77777777")
    kind_id = _kind(app_sessions, {"nationality": ["member_states"]})
    client = ui_as(Role.MIGRATION_OFFICER)
    assert f'href="/benefit-kinds/{kind_id}/eligibility"' in client.get("/benefit-kinds").text
    url = f"/benefit-kinds/{kind_id}/eligibility"
    form = client.get(url)
    assert 'value="member_states" checked' in form.text  # the stored rule, as choices
    assert f'hx-post="{url}/count"' in form.text
    token = csrf_from(form.text)
    chosen = {
        "nationality": ["UZB"],
        "kind": ["work_permit"],
        "age_min": "18",
        "status": ["active"],
    }
    live = client.post(
        f"{url}/count", data={**chosen, "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert "1 person would be eligible today." in live.text and "<html" not in live.text
    review = client.post(url, data={**chosen, "csrf_token": token})
    assert review.status_code == 200
    assert 'data-before="2"' in review.text and 'data-after="1"' in review.text
    assert "Aged 18 or more" in review.text and "Uzbekistan" in review.text
    assert _rule(app_sessions, kind_id) == {"nationality": ["member_states"]}  # nothing yet
    hidden = html.unescape(review.text.split('name="scope" value="')[1].split('"')[0])
    done = client.post(url, data={"scope": hidden, "confirm": "confirm", "csrf_token": token})
    assert done.status_code == 303, done.text
    assert "Who is eligible was saved." in client.get(done.headers["location"]).text
    assert _rule(app_sessions, kind_id) == {
        "all": [
            {"nationality": ["UZB"]},
            {"document_kind": ["work_permit"]},
            {"document_status": ["active"]},
            {"age": {"min": 18}},
        ]
    }
    with app_sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "benefit_kind.eligibility")
        ).one()
    assert entry.details["before"] == {"nationality": ["member_states"]}
    # Saved again unchanged: refused, the form says so.
    again = client.post(url, data={"scope": hidden, "csrf_token": token})
    assert again.status_code == 422 and "Nothing has changed" in again.text


def test_each_problem_is_on_its_field_in_the_officers_language(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    kind_id = _kind(app_sessions, {})
    client = ui_as(Role.MIGRATION_OFFICER, locale="ru")
    url = f"/benefit-kinds/{kind_id}/eligibility"
    token = csrf_from(client.get(url).text)
    wrong = {"expires_from": "2020-06-30", "age_min": "40", "age_max": "200"}
    refused = client.post(url, data={**wrong, "csrf_token": token})
    assert refused.status_code == 422
    text = refused.text
    assert 'id="f-expires_to-error"' in text and "Укажите и первый, и последний день" in text
    assert 'id="f-age_max-error"' in text and "от 0 до 150" in text
    reversed_ = {"expires_from": "2020-06-30", "expires_to": "2020-03-16", "csrf_token": token}
    assert "раньше первого" in client.post(url, data=reversed_).text
    # The advanced field: a clause the language does not know, shown with its path.
    typo = client.post(url, data={"scope": "nationalty: [UZB]\n", "csrf_token": token})
    assert typo.status_code == 422 and 'id="f-scope-error"' in typo.text
    assert "<code>scope</code>" in typo.text or "<code>scope." in typo.text
    assert _rule(app_sessions, kind_id) == {}


def test_a_rule_the_choices_cannot_say_is_shown_in_the_advanced_field(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    kind_id = _kind(app_sessions, {"any": [{"nationality": ["UZB"]}, {"vulnerable": True}]})
    page = ui_as(Role.MIGRATION_OFFICER).get(f"/benefit-kinds/{kind_id}/eligibility")
    assert "<details open>" in page.text and "vulnerable: true" in page.text


def test_only_the_officer_who_configures_benefits_may_change_the_rule(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    kind_id = _kind(app_sessions, {})
    url = f"/benefit-kinds/{kind_id}/eligibility"
    assert ui_as(Role.CONSULAR_OFFICER, state="UZB").get(url).status_code == 403
    officer = ui_as(Role.MIGRATION_OFFICER)
    token = csrf_from(officer.get(url).text)
    # What an attacker would send: a rule far past the limit, a flood of checkboxes.
    huge = officer.post(url, data={"scope": "x" * 200_001, "csrf_token": token})
    assert huge.status_code == 422
    flood = officer.post(url, data={"nationality": ["UZB"] * 100, "csrf_token": token})
    assert flood.status_code == 422
    assert officer.post(url, data={"nationality": ["UZB"]}).status_code == 403  # no CSRF token
