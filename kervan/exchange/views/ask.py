"""Ask a host state: a consular officer's question, through this node, about the current stay
documents of one of our nationals, with a purpose and a legal basis.

``kervan.exchange.service.ask`` signs, sends, checks and keeps the question and the answer and
audits them; this page only reads the form and shows the answer, or why there is none.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.config import Settings
from kervan.errors import CodedValueError
from kervan.exchange import messages, queries, service
from kervan.exchange.api import node_keys, query_transport
from kervan.exchange.views import labels
from kervan.exchange.views.nationals import label_context
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import FormModel, FormValues, fields_of, read_form
from kervan.web.i18n_errors import FormErrors, coded_text
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

_NUMBER = re.compile(r"^[A-Z0-9<-]{3,20}$")
MIN_TEXT, MAX_TEXT = 3, 500


def _passport(value: str) -> str:
    number = value.upper().replace(" ", "")
    if not _NUMBER.match(number):
        raise CodedValueError("3 to 20 letters and digits", messages.ASK_PASSPORT)
    return number


def _birth_year(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1850 <= year <= 2200:
        raise CodedValueError("four digits, or none", messages.ASK_BIRTH_YEAR)
    return year


def _surname(value: str) -> str:
    if len(value) > 200:
        raise CodedValueError("at most 200 characters", messages.ASK_SURNAME_TOO_LONG)
    return value


def _text(value: str) -> str:
    if not MIN_TEXT <= len(value) <= MAX_TEXT:
        raise CodedValueError(
            f"{MIN_TEXT} to {MAX_TEXT} characters",
            messages.ASK_TEXT_LENGTH,
            min=MIN_TEXT,
            max=MAX_TEXT,
        )
    return value


class AskForm(FormModel):
    """The question as typed; the host state is checked against the trust list by the page."""

    host_state: str = ""
    travel_document_number: Annotated[str, AfterValidator(_passport)]
    primary_identifier: Annotated[str, AfterValidator(_surname)] = ""
    birth_year: Annotated[int | None, BeforeValidator(_birth_year)] = None
    purpose: Annotated[str, AfterValidator(_text)]
    legal_basis: Annotated[str, AfterValidator(_text)]

    def question(self) -> queries.Question:
        return queries.Question(**self.model_dump())


def _render(page: Page, session: Session, settings: Settings, **context: Any) -> Response:
    context.setdefault("values", dict.fromkeys(AskForm.model_fields, ""))
    context.setdefault("errors", FormErrors())
    return page.render(
        "exchange/ask.html",
        hosts=service.peer_states(session, settings.state),
        foreign=not service.asks_here(page.principal, settings.state),
        nav="peer-query",
        **label_context(page.translator),
        **context,
    )


@router.get("/peer-query")
def ask_form(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.PEER_QUERY),
) -> Response:
    return _render(page, session, settings)


@router.post("/peer-query", dependencies=[Depends(csrf_protect)])
def ask_submit(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal = policy(Permission.PEER_QUERY),
) -> Response:
    values = fields_of(AskForm, sent)
    errors = FormErrors()
    form = read_form(page.translator, AskForm, values, errors)
    if values["host_state"] not in service.peer_states(session, settings.state):
        errors["host_state"] = coded_text(
            page.translator, messages.NOT_A_PEER, {}, "not on the trust list"
        )
    if form is None or errors:
        return _render(page, session, settings, values=values, errors=errors, status_code=422)
    question = form.question()
    keys, transport = node_keys(page.request), query_transport(page.request)
    answer, failure = service.ask_from_page(session, settings, keys, principal, question, transport)
    return _render(
        page,
        session,
        settings,
        values=values,
        asked=question,
        answer=answer,
        failure=labels.query_failure(page.translator, failure) if failure else "",
        status_code=failure.status if failure else 200,
    )
