"""A measure's and a benefit kind's texts edited in other languages in the officer UI: every
language shown with the original marked and the fallback under an empty one, a review before
saving, refusals on their fields, audit, roles and CSRF."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role
from kervan.benefits.models import BenefitKind
from kervan.measures.models import Measure
from kervan.uow import unit_of_work
from kervan.web.i18n import LANGUAGES
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.test_ui_measures_benefits import _kind
from tests.functional.test_ui_measures_pages import _create
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

KK_TITLE = "Карантин режимі"


def _sent(page: str) -> dict[str, str]:
    """The texts as the form shows them, one field per language."""
    fields = dict(
        re.findall(r'<input id="f-([a-z_]+-[a-z]{2})" name="[^"]+" [^>]*value="([^"]*)"', page)
    )
    for name, text in re.findall(
        r'<textarea id="f-([a-z_]+-[a-z]{2})"[^>]*>([^<]*)</textarea>', page
    ):
        fields[name] = text
    return fields


def _save(client: TestClient, url: str, sent: dict[str, str]) -> str:
    review = post_form(client, url, url, {**sent, "confirm": "review"})
    assert review.status_code == 200, review.text
    assert "Check and confirm" in review.text
    done = client.post(
        url, data={**sent, "confirm": "confirm", "csrf_token": csrf_from(review.text)}
    )
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def test_the_kazakh_title_is_added_reviewed_saved_and_audited(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    officer = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(officer)
    url = f"/measures/{measure}/texts"
    assert f'href="{url}"' in officer.get(f"/measures/{measure}").text
    form = officer.get(url)
    assert form.status_code == 200
    for code, language in LANGUAGES.items():
        assert f'id="f-title-{code}"' in form.text and language in form.text
    # The draft was written in English: marked as the original, and shown where kk is empty.
    assert re.search(r'for="f-title-en">English <span class="badge">original</span>', form.text)
    assert 'id="f-title-kk-hint"' in form.text and "Quarantine regime" in form.text
    sent = _sent(form.text)
    assert sent["title-en"] == "Quarantine regime" and sent["legal_act-en"]
    location = _save(officer, url, {**sent, "title-kk": KK_TITLE})
    assert location == f"/measures/{measure}?done=texts"
    with unit_of_work(app_sessions) as session:
        saved = session.get_one(Measure, uuid.UUID(measure))
        assert list(saved.title) == ["en", "kk"]  # the original stays first: the fallback
        assert saved.title["kk"] == KK_TITLE
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "measure.texts")
        ).all()
        assert entry.details["changed"] == ["title.kk"] and entry.record_id == measure
    officer.post("/language", data={"lang": "kk", "csrf_token": csrf_from(form.text)})
    assert KK_TITLE in officer.get(f"/measures/{measure}").text


def test_an_empty_title_and_an_unchanged_form_are_refused_on_their_fields(
    ui_as: UiClientFactory,
) -> None:
    officer = ui_as(Role.MIGRATION_OFFICER)
    url = f"/measures/{_create(officer, reference='KAZ-UI-TX')}/texts"
    sent = _sent(officer.get(url).text)
    emptied = post_form(officer, url, url, {**sent, "title-en": "", "confirm": "review"})
    assert emptied.status_code == 422
    assert 'id="f-title-error"' in emptied.text
    assert "Give the measure a title in one language at least." in emptied.text
    too_long = post_form(officer, url, url, {**sent, "legal_act-ru": "Указ " * 70})
    assert too_long.status_code == 422 and 'id="f-legal_act-ru-error"' in too_long.text
    unchanged = post_form(officer, url, url, {**sent, "confirm": "review"})
    assert unchanged.status_code == 422
    assert "Nothing has changed" in unchanged.text


def test_only_migration_officers_edit_texts_and_never_without_the_token(
    ui_as: UiClientFactory,
) -> None:
    officer = ui_as(Role.MIGRATION_OFFICER)
    measure = _create(officer, reference="KAZ-UI-RL")
    url = f"/measures/{measure}/texts"
    consul = ui_as(Role.CONSULAR_OFFICER)
    assert consul.get(url).status_code == 403
    assert f'href="{url}"' not in consul.get(f"/measures/{measure}").text
    sent = _sent(officer.get(url).text)
    forged = officer.post(url, data={**sent, "title-kk": KK_TITLE, "confirm": "confirm"})
    assert forged.status_code == 403


def test_a_benefit_kinds_description_is_written_in_kazakh(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    kind_id = _kind(app_sessions)
    officer = ui_as(Role.MIGRATION_OFFICER)
    url = f"/benefit-kinds/{kind_id}/texts"
    assert f'href="{url}"' in officer.get("/benefit-kinds").text
    sent = _sent(officer.get(url).text)
    assert sent["names-ru"] == "Освобождение от сборов" and sent["descriptions-kk"] == ""
    description = "Көші-қон алымдарынан босату"
    location = _save(officer, url, {**sent, "descriptions-kk": description})
    assert location.startswith("/benefit-kinds?done=texts")
    with unit_of_work(app_sessions) as session:
        kind = session.get_one(BenefitKind, uuid.UUID(kind_id))
        assert kind.descriptions == {"kk": description} and kind.description == description
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "benefit_kind.texts")
        ).all()
        assert entry.details["changed"] == ["descriptions.kk"]
    no_name = {**sent, "names-en": "", "names-ru": "", "confirm": "review"}
    refused = post_form(officer, url, url, no_name)
    assert refused.status_code == 422 and 'id="f-names-error"' in refused.text
    assert ui_as(Role.CONSULAR_OFFICER).get(url).status_code == 403
