"""Who is eligible for a benefit kind, edited on its page by choices (``eligibility_form``),
with the count of people the rule reaches today as the officer chooses, and the change shown
before it is saved: two posts, as every write of the officer UI."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response

from kervan.accounts.roles import Permission, Principal
from kervan.benefits import messages, service
from kervan.benefits.models import BenefitKind
from kervan.benefits.views.eligibility_form import EligibilityChoices, EligibilityForm
from kervan.errors import KervanError
from kervan.measures.scope import ScopeError, parse_scope, scope_to_data
from kervan.measures.scope_count import persons_in_scope
from kervan.measures.views import forms
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import form_of, read_text_form
from kervan.web.i18n_errors import coded_text
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

Sent = Annotated[dict[str, str], form_of(EligibilityForm)]
Rule = dict[str, Any]


def _as_yaml(rule: Rule) -> str:
    return yaml.safe_dump(rule, allow_unicode=True, sort_keys=False) if rule else ""


def _render(
    page: Page,
    kind: BenefitKind,
    *,
    choices: EligibilityChoices,
    scope: str = "",
    problems: forms.Problems | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    problems = problems or forms.Problems()
    return page.render(
        "benefits/eligibility.html",
        kind=kind,
        choices=choices,
        nationality_choices=EligibilityChoices.OFFERED,
        values={"scope": scope},
        errors=problems.errors,
        paths=problems.paths,
        stay_kind=StayKind,
        stay_purpose=StayPurpose,
        stay_status=StayStatus,
        status_code=status_code,
        **{"step": "form", "in_scope": None, **context},
    )


def _form_for(page: Page, kind: BenefitKind, rule: Rule, **context: Any) -> Response:
    """The form showing ``rule``: by its choices, or in the advanced field if they cannot."""
    choices = EligibilityChoices.from_rule(rule)
    if choices is None:
        return _render(page, kind, choices=EligibilityChoices(), scope=_as_yaml(rule), **context)
    return _render(page, kind, choices=choices, **context)


def _form_as_sent(
    page: Page, kind: BenefitKind, form: EligibilityForm, problems: forms.Problems, **context: Any
) -> Response:
    """The form again as the officer sent it (choices and advanced field), with its problems."""
    choices = EligibilityChoices.from_sent(form)
    return _render(page, kind, choices=choices, scope=form.scope, problems=problems, **context)


def _rule(page: Page, form: EligibilityForm) -> tuple[Rule | None, forms.Problems]:
    """The rule the form says (the advanced field, if written, else the choices), canonical."""
    problems = forms.Problems()
    if form.scope.strip():
        written = forms.load_scope_text(page.translator, problems, form.scope)
        if problems:
            return None, problems
    else:
        written = EligibilityChoices.from_sent(form).rule(page.translator, problems.errors)
        if problems:
            return None, problems
    try:
        return scope_to_data(parse_scope(written, path="scope")), problems
    except ScopeError as exc:
        return None, forms.problems_from_error(page.translator, exc)


def _kind(session: SessionDep, principal: Principal, state: str, kind_id: uuid.UUID) -> BenefitKind:
    return service.get_kind(session, principal, state=state, kind_id=kind_id)


def _sent_rule(
    page: Page, sent: dict[str, str]
) -> tuple[EligibilityForm, Rule | None, forms.Problems]:
    """The posted form and the rule it says (None, with the problems, if it says none)."""
    form = read_text_form(EligibilityForm, sent)
    rule, problems = _rule(page, form)
    return form, rule, problems


def _reach_today(session: SessionDep, principal: Principal, rule: Rule) -> int:
    """How many people ``rule`` reaches today, counted as the officer configuring kinds sees."""
    return persons_in_scope(
        session, principal, rule, today=dt.date.today(), permission=Permission.BENEFITS_CONFIGURE
    )


@router.get("/benefit-kinds/{kind_id}/eligibility")
def eligibility_form(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> Response:
    kind = _kind(session, principal, settings.state, kind_id)
    return _form_for(page, kind, kind.eligibility or {})


@router.post("/benefit-kinds/{kind_id}/eligibility", dependencies=[Depends(csrf_protect)])
def eligibility_submit(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: Sent,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> Response:
    """Review (before and after, with their counts), edit (the form again) or confirm."""
    kind = _kind(session, principal, settings.state, kind_id)
    form, rule, problems = _sent_rule(page, sent)
    if rule is None:
        return _form_as_sent(page, kind, form, problems, status_code=422)
    if form.confirm == "edit":
        return _form_for(page, kind, rule)
    if rule == (kind.eligibility or {}):
        problems.errors["_"] = coded_text(
            page.translator, messages.ELIGIBILITY_UNCHANGED, {}, "nothing has changed"
        )
        return _form_for(page, kind, rule, problems=problems, status_code=422)
    if form.confirm == "confirm":
        try:
            with session.begin_nested():
                service.set_eligibility(session, principal, kind, rule)
        except KervanError as exc:
            return _form_for(
                page,
                kind,
                rule,
                problems=forms.problems_from_error(page.translator, exc),
                status_code=exc.status,
            )
        return RedirectResponse(
            f"/benefit-kinds?done=eligibility#kind-{kind.code}", status_code=303
        )
    return _render(
        page,
        kind,
        choices=EligibilityChoices(),
        step="confirm",
        rule=rule,
        # Carried to the confirmation on one line: JSON, which the YAML field reads as well.
        rule_text=json.dumps(rule, ensure_ascii=False),
        before=kind.eligibility or {},
        counts=(
            _reach_today(session, principal, kind.eligibility or {}),
            _reach_today(session, principal, rule),
        ),
    )


@router.post("/benefit-kinds/{kind_id}/eligibility/count", dependencies=[Depends(csrf_protect)])
def eligibility_count(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: Sent,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> Response:
    """The people the rule reaches today, for the form's figure (htmx), or the form with it."""
    kind = _kind(session, principal, settings.state, kind_id)
    form, rule, problems = _sent_rule(page, sent)
    count = _reach_today(session, principal, rule) if rule is not None else None
    if page.request.headers.get("hx-request"):
        return page.render("benefits/_eligible_count.html", in_scope=count, errors=problems.errors)
    return _form_as_sent(
        page, kind, form, problems, in_scope=count, status_code=200 if rule is not None else 422
    )
