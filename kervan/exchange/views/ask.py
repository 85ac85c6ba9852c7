"""Ask a host state: a consular officer's question, through this node, about the current stay
documents of one of our nationals, with a purpose and a legal basis.

``kervan.exchange.queries.ask`` signs, sends, checks and keeps the question and the answer and
audits them; this page only checks the form and shows the answer, or why there is none.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.errors import KervanError
from kervan.exchange import queries
from kervan.exchange.api import node_key, query_transport
from kervan.exchange.views import labels
from kervan.exchange.views.nationals import label_context, peer_states
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=2000)]
FIELDS = (
    "host_state",
    "travel_document_number",
    "primary_identifier",
    "birth_year",
    "purpose",
    "legal_basis",
)
_NUMBER = re.compile(r"^[A-Z0-9<-]{3,20}$")


def _question(
    page: Page, values: dict[str, str], hosts: list[str]
) -> tuple[queries.Question | None, FormErrors]:
    errors = FormErrors()
    if values["host_state"] not in hosts:
        errors["host_state"] = page.gettext("Choose a host state from the trust list.")
    number = values["travel_document_number"].strip().upper().replace(" ", "")
    if not _NUMBER.match(number):
        errors["travel_document_number"] = page.gettext(
            "Give the passport number: 3 to 20 letters and digits."
        )
    birth_year = None
    if values["birth_year"].strip():
        try:
            birth_year = int(values["birth_year"])
            if not 1850 <= birth_year <= 2200:
                raise ValueError(birth_year)
        except ValueError:
            errors["birth_year"] = page.gettext("Give the year of birth as four digits, or none.")
    if len(values["primary_identifier"]) > 200:
        errors["primary_identifier"] = page.gettext("The surname is too long.")
    for name in ("purpose", "legal_basis"):
        text = values[name].strip()
        if not 3 <= len(text) <= 500:
            errors[name] = page.gettext(
                "Write between %(min)s and %(max)s characters.", min=3, max=500
            )
    if errors:
        return None, errors
    question = queries.Question(
        host_state=values["host_state"],
        travel_document_number=number,
        primary_identifier=values["primary_identifier"].strip(),
        birth_year=birth_year,
        purpose=values["purpose"].strip(),
        legal_basis=values["legal_basis"].strip(),
    )
    return question, errors


def _ask(
    page: Page,
    session: Session,
    settings: Settings,
    principal: Principal,
    question: queries.Question,
) -> tuple[dict[str, Any] | None, str, int]:
    """The answer's body, or why there is none in the officer's language, and the status. A
    failed question leaves nothing in the message log (its savepoint is undone) but stays in
    the audit log."""
    try:
        with session.begin_nested():
            answer = queries.ask(
                session,
                settings,
                node_key(page.request, session),
                principal,
                question,
                query_transport(page.request),
                utcnow(),
            )
    except KervanError as exc:
        # ``ask`` noted the failed question for a rolled-back request; this one commits.
        for actor, action, fields in audit.take_pending(session):
            audit.record(session, actor, action, **fields)
        return None, labels.query_failure(page.translator, exc), exc.status
    return answer, "", 200


def _render(page: Page, session: Session, settings: Settings, **context: Any) -> Response:
    context.setdefault("values", dict.fromkeys(FIELDS, ""))
    context.setdefault("errors", FormErrors())
    return page.render(
        "exchange/ask.html",
        hosts=peer_states(session, settings.state),
        foreign=not queries.asks_here(page.principal, settings.state),
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
    host_state: Text = "",
    travel_document_number: Text = "",
    primary_identifier: Text = "",
    birth_year: Text = "",
    purpose: Text = "",
    legal_basis: Text = "",
    principal: Principal = policy(Permission.PEER_QUERY),
) -> Response:
    values = {
        "host_state": host_state,
        "travel_document_number": travel_document_number,
        "primary_identifier": primary_identifier,
        "birth_year": birth_year,
        "purpose": purpose,
        "legal_basis": legal_basis,
    }
    question, errors = _question(page, values, peer_states(session, settings.state))
    if question is None:
        return _render(page, session, settings, values=values, errors=errors, status_code=422)
    queries.require_own_consul(principal, settings.state)
    answer, failure, status = _ask(page, session, settings, principal, question)
    return _render(
        page,
        session,
        settings,
        values=values,
        asked=question,
        answer=answer,
        failure=failure,
        status_code=status,
    )
