"""The public return request: a page without sign-in where a national abroad (or someone for
them) asks to go home, and a status page that, for a reference and its secret, says only how
the request stands and why — nothing personal is shown back.

Abuse controls are those of every public form (``kervan.web.public_intake``): the body is
bounded while it is read, a per-address rate limit, a honeypot field (a bot is answered as if
accepted, nothing stored), and the same answer for an unknown reference as for a wrong secret."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal, system_principal
from kervan.repatriation import forms as f
from kervan.repatriation import requests
from kervan.repatriation.models import Channel
from kervan.repatriation.views import explanation_text, read_request, render_with_choices
from kervan.web import i18n
from kervan.web.deps import SessionDep, SettingsDep, client_address, policy
from kervan.web.forms import FormValues
from kervan.web.public_intake import (
    HONEYPOT_FIELD,
    is_bot,
    new_receipt,
    normalise_reference,
    public_limit,
    secret_matches,
)
from kervan.web.public_pages import FORM_DEPENDENCIES, Lang, chosen_language
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)


def _render(page: Page, name: str, status: int = 200, **context: object) -> Response:
    # The public pages add the language links and the honeypot to the officers' choices.
    return render_with_choices(
        page, name, status, languages=i18n.LANGUAGES, honeypot=HONEYPOT_FIELD, **context
    )


@router.get("/return")
def return_form(
    page: PageDep, lang: Lang = None, principal: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    return _render(
        chosen_language(page, lang), "repatriation/public_form.html", values={"members": "1"},
        errors={}, step="form",
    )  # fmt: skip


@router.post("/return", dependencies=FORM_DEPENDENCIES)
def return_submit(
    request: Request,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    """Checked, then shown back for a last look (``step=review``), then stored
    (``step=confirm``): the reference and the secret are shown once."""
    page = chosen_language(page, sent.get("lang"))
    if sent.get("add_member") and not is_bot(sent):
        # One more empty row for the group: nothing is checked or stored, so it does not
        # count against the address's sends (a family of six would otherwise be refused).
        values = read_request(page, sent)[0]
        return _render(page, "repatriation/public_form.html", values=values, errors={}, step="form")
    public_limit.check(client_address(request))
    if is_bot(sent):
        return _render(page, "repatriation/public_receipt.html", receipt=new_receipt("R"))
    values, errors, form = read_request(page, sent)
    step = sent.get("step", "review")
    if errors or step != "confirm" or form is None:
        shown = "confirm" if not errors and step == "review" else "form"
        return _render(
            page, "repatriation/public_form.html", status=422 if errors else 200,
            values=values, errors=errors, form=form, step=shown,
        )  # fmt: skip
    node = system_principal(settings.state, "public form")
    data = f.request_data(form, settings.state)
    _, receipt = requests.create_request(session, node, data, channel=Channel.PUBLIC)
    return _render(page, "repatriation/public_receipt.html", receipt=receipt)


@router.get("/return/status")
def status_form(
    page: PageDep, lang: Lang = None, principal: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    return _render(
        chosen_language(page, lang), "repatriation/public_status.html", values={}, found=None
    )


@router.post("/return/status", dependencies=FORM_DEPENDENCIES)
def status_check(
    request: Request,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    """How a request stands and why, for its reference and secret."""
    page = chosen_language(page, sent.get("lang"))
    public_limit.check(client_address(request))
    wanted = normalise_reference(sent.get("reference", "")[:40])
    found = requests.public_status(session, wanted)
    matches = secret_matches(found.secret_hash if found else None, sent.get("secret", "")[:100])
    return _render(
        page,
        "repatriation/public_status.html",
        status=200 if matches else 404,
        values={"reference": wanted},
        found=found if matches else None,
        explanation=explanation_text(page, found) if matches and found else "",
        tried=True,
    )
