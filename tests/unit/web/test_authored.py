"""The officer-authored texts page (``kervan.web.authored.TextsForm``): a first post shows
what changes, a second saves it; nothing saved before the confirmation, nothing saved when the
record's own check refuses the texts, and an edit that changes nothing is refused — rendered
with a real ``Page`` through a small template that shows what the page was given."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment
from sqlalchemy.orm import Session
from starlette.requests import Request

from kervan.errors import InvalidInput
from kervan.web.authored import Texts, TextsForm
from kervan.web.i18n import LANGUAGES, Translator
from kervan.web.i18n_errors import FormErrors
from kervan.web.templating import Page

# What the page was given, as JSON: the test reads it back.
SHOWN = (
    '{{ {"step": step, "errors": errors, "texts": texts, "originals": originals,'
    ' "fallbacks": fallbacks, "fields": fields, "multiline": multiline|list,'
    ' "changes": changes|default([])|map(attribute="language")|list}|tojson }}'
)
LABELS = {"title": "Title", "summary": "Summary"}


def _page(language: str = "en") -> Page:
    app = FastAPI()
    app.state.templates = Environment(loader=DictLoader({"texts.html": SHOWN}), autoescape=True)
    app.state.settings = SimpleNamespace(state="KAZ", secret_key="test-secret")
    request = Request({"type": "http", "app": app, "headers": [], "method": "POST", "path": "/"})
    return Page(request=request, principal=None, translator=Translator(language))


class Record:
    """A record with texts: what ``revise``, ``check`` and ``save`` do to it."""

    def __init__(self, saved: Texts, refuse: str = "") -> None:
        self.saved, self.refuse = saved, refuse
        self.stored: list[Any] = []

    def form(self) -> TextsForm:
        return TextsForm(
            template="texts.html",
            labels=LABELS,
            saved=self.saved,
            revise=lambda sent: {
                name: {**self.saved.get(name, {}), **t} for name, t in sent.items()
            },
            check=self.check,
            save=self.stored.append,
            multiline=frozenset({"summary"}),
        )

    def check(self, texts: Texts) -> None:
        if self.refuse and any(self.refuse in t for by in texts.values() for t in by.values()):
            raise InvalidInput("refused", code="bad-value")


SAVED: Texts = {"title": {"ru": "Амнистия", "en": "Amnesty"}, "summary": {"ru": "Кратко"}}


def _post(session: Session, record: Record, **values: str) -> tuple[int, dict[str, Any], str]:
    response = record.form().submit(_page(), session, values, "/done")
    body = bytes(response.body).decode()
    return (
        response.status_code,
        json.loads(body) if body else {},
        response.headers.get("location", ""),
    )


def test_the_first_post_shows_the_changes_and_saves_nothing(session: Session) -> None:
    record = Record(SAVED)
    status, shown, _ = _post(session, record, **{"title-kk": "Рақымшылық", "title-ru": "Амнистия"})
    assert status == 200 and shown["step"] == "confirm" and shown["changes"] == ["kk"]
    assert record.stored == []
    # The original language is the first one written, for every field.
    assert shown["originals"] == {"title": "ru", "summary": "ru"}
    assert shown["multiline"] == ["summary"]
    assert [name for name, _ in shown["fields"]] == ["title", "summary"]


def test_confirming_saves_what_was_sent_and_goes_on(session: Session) -> None:
    record = Record(SAVED)
    status, _, location = _post(session, record, **{"title-kk": "Рақымшылық", "confirm": "confirm"})
    assert (status, location) == (303, "/done")
    assert record.stored == [{"title": {"kk": "Рақымшылық"}, "summary": {}}]


def test_editing_again_shows_the_form_with_what_was_sent(session: Session) -> None:
    record = Record(SAVED)
    status, shown, _ = _post(session, record, **{"title-kk": "Рақымшылық", "confirm": "edit"})
    assert (status, shown["step"]) == (200, "form") and record.stored == []
    assert shown["texts"]["title"] == {"kk": "Рақымшылық"}


def test_nothing_changed_is_refused_on_review(session: Session) -> None:
    record = Record(SAVED)
    status, shown, _ = _post(session, record, **{"title-en": "Amnesty"})
    assert status == 422 and shown["step"] == "form" and "_" in shown["errors"]
    assert record.stored == []


def test_nothing_changed_is_refused_on_confirmation_too(session: Session) -> None:
    record = Record(SAVED)
    status, _, _ = _post(session, record, **{"title-en": "Amnesty", "confirm": "confirm"})
    assert status == 422 and record.stored == []


@pytest.mark.parametrize("confirm", ["", "edit", "confirm"])
def test_texts_the_record_refuses_are_never_saved(session: Session, confirm: str) -> None:
    record = Record(SAVED, refuse="<script>")
    values = {"title-uz": "<script>", "confirm": confirm}
    status, shown, _ = _post(session, record, **values)
    assert status == 422 and shown["step"] == "form" and shown["errors"]["_"]
    assert record.stored == []


@given(st.sets(st.sampled_from(sorted(LANGUAGES))))
def test_every_language_without_a_text_shows_its_fallback(written: set[str]) -> None:
    texts = {"title": {code: f"t-{code}" for code in sorted(written)}, "summary": {}}
    record = Record({"title": {"ru": "x"}, "summary": {"ru": "y"}})
    response = record.form().render(_page(), texts, errors=FormErrors())
    shown = json.loads(bytes(response.body).decode())
    expected = set(LANGUAGES) - written if written else set()
    assert set(shown["fallbacks"]["title"]) == expected
    assert shown["fallbacks"]["summary"] == {}
