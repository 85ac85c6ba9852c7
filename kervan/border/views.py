"""The exit check in the officer UI: paste the MRZ (or type the passport), read the verdict."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import Response
from pydantic import ValidationError

from kervan.accounts.roles import Permission, Principal
from kervan.border import service
from kervan.border.schemas import ExitCheckRequest
from kervan.errors import KervanError
from kervan.web.deps import SessionDep, policy
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=400)]


@router.get("/exit-check")
def exit_check_form(
    page: PageDep, principal: Principal = policy(Permission.DOCUMENT_CHECK)
) -> Response:
    return page.render("border/exit_check.html", values={}, errors=FormErrors(), result=None)


@router.post("/exit-check", dependencies=[Depends(csrf_protect)])
def exit_check_submit(
    page: PageDep,
    session: SessionDep,
    mrz: Text = "",
    passport_number: Text = "",
    issuing_state: Text = "",
    principal: Principal = policy(Permission.DOCUMENT_CHECK),
) -> Response:
    values = {"mrz": mrz, "passport_number": passport_number, "issuing_state": issuing_state}
    errors = FormErrors()
    lines = [line for line in mrz.splitlines() if line.strip()]
    result = None
    try:
        request = (
            ExitCheckRequest(mrz=lines)
            if lines
            else ExitCheckRequest(
                passport_number=passport_number or None, issuing_state=issuing_state or None
            )
        )
        # A savepoint: a refused check is undone, while its audit note survives (uow).
        with session.begin_nested():
            result = service.check_exit(session, principal, request, today=dt.date.today())
    except ValidationError:
        errors["_"] = page.gettext(
            "Paste the two or three MRZ lines, or give the passport number and issuing state."
        )
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        if exc.status == 404:
            errors["_"] = page.gettext("No person in the register holds this passport.")
        elif exc.errors:
            errors["mrz"] = errors.get(exc.errors[0].field) or errors["_"]
    status = 200 if result is not None else 422
    return page.render(
        "border/exit_check.html", values=values, errors=errors, result=result, status_code=status
    )
