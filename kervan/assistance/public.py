"""The public help request: a page without sign-in, small and without JavaScript, where a
person (or someone for them) asks for help. It opens a case in the "to triage" queue, marked
as coming from the public, and gives back a reference and a secret with which only the
request's status can be asked later — nothing personal is ever shown back.

Abuse controls (``kervan.web.public_intake``): the body is bounded while it is read, a
per-address rate limit, a honeypot field (a bot is answered as if accepted, nothing stored),
plain text only (no markup kept), and nothing in it trusted until an officer triages it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select

from kervan.accounts.roles import Permission, Principal, Role
from kervan.assistance import service
from kervan.assistance.labels import LABELS
from kervan.assistance.models import Case, Requester, Source, Urgency
from kervan.assistance.schemas import CaseCreate, ConsentIn
from kervan.assistance.sla import sla_of
from kervan.db.base import utcnow
from kervan.registry.codes import MEMBER_STATES
from kervan.web import i18n
from kervan.web.deps import SessionDep, SettingsDep, client_address, policy
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
Field = Annotated[str, Form(max_length=4000)]


def _plain(text: str) -> str:
    # No markup is kept from the public: pages escape it anyway, but an export or a copy into
    # another system should never carry a tag.
    return text.replace("<", "").replace(">", "").strip()


def _render(page: Page, name: str, status: int = 200, **context: object) -> Response:
    return page.render(
        name,
        status_code=status,
        labels=LABELS,
        states=MEMBER_STATES,
        languages=i18n.LANGUAGES,
        honeypot=HONEYPOT_FIELD,
        **context,
    )


@router.get("/help")
def help_form(
    page: PageDep, lang: Lang = None, principal: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    return _render(chosen_language(page, lang), "assistance/public_form.html", values={}, errors={})


@router.post("/help", dependencies=FORM_DEPENDENCIES)
async def help_submit(
    request: Request,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
    needs = (await request.form()).getlist("needs")
    vulnerabilities = (await request.form()).getlist("vulnerabilities")
    page = chosen_language(page, form.get("lang"))
    public_limit.check(client_address(request))
    if is_bot(form):
        receipt = new_receipt("H")  # as if accepted; nothing is stored
        return _render(page, "assistance/public_receipt.html", receipt=receipt)
    values = {k: _plain(v)[:4000] for k, v in form.items() if k != "csrf_token"}
    errors: dict[str, str] = {}
    if not values.get("full_name"):
        errors["full_name"] = page.gettext("Write the name of the person who needs help.")
    if values.get("nationality") not in MEMBER_STATES:
        errors["nationality"] = page.gettext("Choose the person's country.")
    if not needs:
        errors["needs"] = page.gettext("Choose at least one kind of help.")
    if not values.get("contact"):
        errors["contact"] = page.gettext("Write how we can reach the person or you.")
    data = None
    if not errors:
        someone_else = values.get("requester") == "relative"
        try:
            data = CaseCreate(
                full_name=values["full_name"][:200],
                nationality=values["nationality"],
                document_number=values.get("document_number", "")[:40],
                requester=Requester.RELATIVE if someone_else else Requester.PERSON,
                requester_name=values.get("requester_name", "")[:200] if someone_else else "",
                needs=needs,
                vulnerabilities=vulnerabilities,
                urgency=Urgency.CRITICAL if values.get("danger") == "yes" else Urgency.NORMAL,
                region=values.get("region", "")[:100],
                city=values.get("city", "")[:100],
                language=values.get("language", "")[:40],
                contact=values.get("contact", "")[:200],
                description=values.get("description", ""),
                consent=(
                    ConsentIn(
                        given_by=(values.get("requester_name") if someone_else else None)
                        or values["full_name"][:200],
                        how="public_form",
                    )
                    if values.get("consent") == "yes"
                    else None
                ),
            )
        except ValidationError:
            errors["_"] = page.gettext("Check the fields and send the request again.")
    if data is None:
        return _render(
            page,
            "assistance/public_form.html",
            status=422,
            values=values,
            needs=needs,
            vulnerabilities=vulnerabilities,
            errors=errors,
        )
    public = Principal(
        user_id=None, username="public", role=Role.MIGRATION_OFFICER, state=settings.state
    )
    case, secret = service.create_case(
        session,
        public,
        data,
        node_state=settings.state,
        sla=sla_of(settings),
        now=utcnow(),
        source=Source.PUBLIC,
    )
    shown = {"reference": case.reference, "secret": secret}
    return _render(page, "assistance/public_receipt.html", receipt=shown)


@router.get("/help/status")
def status_form(
    page: PageDep, lang: Lang = None, principal: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    page = chosen_language(page, lang)
    return _render(page, "assistance/public_status.html", values={}, found=None)


@router.post("/help/status", dependencies=FORM_DEPENDENCIES)
async def status_check(
    request: Request,
    page: PageDep,
    session: SessionDep,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    """The status of a request, for its reference and secret; the same answer for an unknown
    reference as for a wrong secret (rate-limited like the request itself). The form is read
    here, after ``bounded_form`` counted it, not by FastAPI before it."""
    form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
    reference, secret = form.get("reference", "")[:40], form.get("secret", "")[:100]
    page = chosen_language(page, form.get("lang"))
    public_limit.check(client_address(request))
    wanted = normalise_reference(reference)
    row = session.execute(
        select(Case.secret_hash, Case.status).where(Case.reference == wanted)
    ).first()
    matches = secret_matches(row[0] if row else None, secret)
    return _render(
        page,
        "assistance/public_status.html",
        status=200 if matches else 404,
        values={"reference": wanted},
        found=row[1].value if matches and row else None,
        tried=True,
    )
