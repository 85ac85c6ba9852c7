"""The register in the officer UI: search, the person page, and the document decisions.

Thin like ``api.py``: parse the form, call ``service``, render. A decision (issue, extend,
revoke) takes two posts: the first shows a summary to confirm, the second carries it out, so
that a slip of the finger on a slow line never changes the register unseen.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.config import Settings
from kervan.errors import KervanError
from kervan.registry import hooks, search, service
from kervan.registry.codes import region_name
from kervan.registry.enums import StayKind, StayPurpose
from kervan.registry.forms import ExtendForm, IssueForm, RevokeForm
from kervan.registry.numbers import NUMBER_EXAMPLES
from kervan.registry.schemas import BirthDate, StayDocumentCreate
from kervan.registry.status import PersonStatus, person_statuses
from kervan.registry.transfer.importer import import_file, refuse_upload
from kervan.registry.transfer.limits import save_bounded
from kervan.registry.transfer.report import ImportFileError
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import FormValues, fields_of, read_form
from kervan.web.i18n import N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=2000)]
Decision = Literal["extend", "revoke"]

# What the person page says after a decision (``?done=``): a fixed set, never reflected text.
DONE_MESSAGES = {
    "issued": N_("The document was issued."),
    "extended": N_("The document was extended."),
    "revoked": N_("The document was revoked."),
}


# ---------------------------------------------------------------------------------------------
# Search and reading


SEARCH_PAGE_SIZE = 25
# Beyond this many matches the page suggests narrowing by date of birth.
NARROW_HINT_AT = SEARCH_PAGE_SIZE
MAX_SEARCH_PAGE = 40  # the ranking looks at about a thousand candidates: 40 pages of 25


@router.get("/search")
def search_page(
    page: PageDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=400)] = "",
    mrz: Annotated[str, Query(max_length=400)] = "",
    birth_date: Annotated[str, Query(max_length=20)] = "",
    p: Annotated[int, Query(ge=1, le=MAX_SEARCH_PAGE)] = 1,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    errors = FormErrors()
    birth = None
    if birth_date.strip():
        try:
            birth = BirthDate.parse(birth_date)
        except (ValueError, ValidationError):
            errors["birth_date"] = page.gettext(
                "Give the date of birth as YYYY-MM-DD; write XX for an unknown month or day."
            )
    if mrz.strip() and search.mrz_lines(mrz) is None:
        errors["mrz"] = page.gettext(
            "Paste the two or three lines of the MRZ as printed at the foot of the page."
        )
    text = mrz if mrz.strip() else q
    found = None
    statuses: dict[uuid.UUID, PersonStatus] = {}
    if (text.strip() or birth) and not errors:
        found = search.find_persons(
            session,
            principal,
            text,
            birth_date=birth,
            offset=(p - 1) * SEARCH_PAGE_SIZE,
            limit=SEARCH_PAGE_SIZE,
        )
        statuses = person_statuses(
            session, principal, [h.person.id for h in found.hits], today=dt.date.today()
        )
    template = (
        "registry/_results.html"
        if page.request.headers.get("hx-request")
        else ("registry/search.html")
    )
    return page.render(
        template,
        q=q,
        mrz=mrz,
        birth_date=birth_date,
        found=found,
        statuses=statuses,
        page_number=p,
        narrow_hint=bool(found and found.total > NARROW_HINT_AT and birth is None),
        errors=errors,
    )


@router.get("/persons/{person_id}")
def person_page(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    open: uuid.UUID | None = None,
    done: str = "",
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    person = service.get_person(session, principal, person_id)
    histories = {}
    if open is not None and any(d.id == open for d in person.stay_documents):
        histories[open] = service.document_history(session, principal, open)
    events = [e for history in histories.values() for e in history]
    return page.render(
        "registry/person.html",
        person=person,
        histories=histories,
        measures=hooks.measure_titles(session, {e.measure_id for e in events if e.measure_id}),
        birth_date=service.birth_date_text(person),
        regions={
            d.region: region_name(d.region, page.translator.code)
            for d in person.stay_documents
            if d.region
        },
        done=page.gettext(DONE_MESSAGES[done]) if done in DONE_MESSAGES else "",
    )


@router.get("/documents/{document_id}/history")
def document_history(
    document_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    document = service.get_document(session, principal, document_id)
    events = service.document_history(session, principal, document_id)
    measures = hooks.measure_titles(session, {e.measure_id for e in events if e.measure_id})
    template = (
        "registry/_history.html"
        if page.request.headers.get("hx-request")
        else ("registry/history.html")
    )
    return page.render(template, document=document, events=events, measures=measures)


# ---------------------------------------------------------------------------------------------
# Decisions


def _decision_redirect(person_id: uuid.UUID, document_id: uuid.UUID, done: str) -> Response:
    return RedirectResponse(
        f"/persons/{person_id}?open={document_id}&done={done}#document-{document_id}",
        status_code=303,
    )


@router.get("/persons/{person_id}/documents/new")
def issue_form(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> Response:
    person = service.get_person(session, principal, person_id)
    today = dt.date.today().isoformat()
    return page.render(
        "registry/issue.html",
        person=person,
        values={"valid_from": today},
        errors=FormErrors(),
        kinds=list(StayKind),
        purposes=list(StayPurpose),
        examples=NUMBER_EXAMPLES,
        step="form",
    )


@router.post("/persons/{person_id}/documents/new", dependencies=[Depends(csrf_protect)])
def issue_submit(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> Response:
    person = service.get_person(session, principal, person_id)
    values, step = fields_of(IssueForm, sent), sent.get("step", "review")
    errors = FormErrors()
    form = read_form(page.translator, IssueForm, values, errors)
    if form is not None and form.valid_until < form.valid_from:
        errors["valid_until"] = page.gettext("The document ends before it begins.")
    context: dict[str, Any] = dict(
        person=person,
        values=values,
        errors=errors,
        kinds=list(StayKind),
        purposes=list(StayPurpose),
        examples=NUMBER_EXAMPLES,
    )
    if errors or step != "confirm":
        if errors or step == "edit":
            return page.render(
                "registry/issue.html", step="form", status_code=422 if errors else 200, **context
            )
        return page.render(
            "registry/issue.html",
            step="confirm",
            chosen_kind=form.kind if form else None,
            chosen_purpose=form.purpose if form else None,
            **context,
        )
    try:
        data = StayDocumentCreate.model_validate(values)
        # A savepoint: a refused decision is undone, the audited read of the person is kept.
        with session.begin_nested():
            document = service.issue_document(
                session, principal, person_id, data, host_state=settings.state
            )
    except ValidationError:
        errors["_"] = page.gettext("Some of the input is not valid")
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        return page.render("registry/issue.html", step="form", status_code=422, **context)
    return _decision_redirect(person_id, document.id, "issued")


@router.get("/documents/{document_id}/{action}")
def decision_form(
    document_id: uuid.UUID,
    action: Decision,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> Response:
    document = service.get_document(session, principal, document_id)
    return page.render(
        "registry/decision.html",
        action=action,
        document=document,
        person=document.person,
        values={},
        errors=FormErrors(),
        step="form",
    )


@router.post("/documents/{document_id}/{action}", dependencies=[Depends(csrf_protect)])
def decision_submit(
    document_id: uuid.UUID,
    action: Decision,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> Response:
    document = service.get_document(session, principal, document_id)
    person_id = document.person_id
    errors = FormErrors()
    values, step = fields_of(ExtendForm, sent), sent.get("step", "review")
    model = ExtendForm if action == "extend" else RevokeForm
    form = read_form(page.translator, model, values, errors)
    new_until = form.valid_until if isinstance(form, ExtendForm) else None
    if new_until is not None and new_until <= document.valid_until:
        errors["valid_until"] = page.gettext("The new end date must be after the current one.")
    text = form.reason if form is not None else values["reason"]
    context: dict[str, Any] = dict(
        action=action,
        document=document,
        person=document.person,
        errors=errors,
        values=values,
    )
    if errors or step != "confirm":
        shown = "confirm" if not errors and step == "review" else "form"
        return page.render(
            "registry/decision.html", step=shown, status_code=422 if errors else 200, **context
        )
    try:
        with session.begin_nested():
            if action == "extend" and new_until is not None:
                service.extend_document(session, principal, document_id, new_until, text)
            else:
                service.revoke_document(session, principal, document_id, text)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        return page.render("registry/decision.html", step="form", status_code=exc.status, **context)
    done = "extended" if action == "extend" else "revoked"
    return _decision_redirect(person_id, document_id, done)


# ---------------------------------------------------------------------------------------------
# Import: a dry run first, shown row by row; then the same uploaded file for real.

IMPORT_SUFFIXES = (".csv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx")
UPLOAD_LIFETIME_SECONDS = 24 * 3600


def _upload_dir(settings: Settings, principal: Principal) -> Path:
    # Per user, so an upload id guessed or copied from another officer's page finds nothing.
    return settings.data_dir / "uploads" / str(principal.user_id or principal.username)


def _sweep(folder: Path) -> None:
    """Forget checked files nobody went on to import (a dry run left open, a closed tab)."""
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for stale in folder.glob("*.*"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


def _find_upload(settings: Settings, principal: Principal, upload: str) -> Path | None:
    try:
        upload_id = uuid.UUID(upload)
    except ValueError:
        return None
    matches = sorted(_upload_dir(settings, principal).glob(f"{upload_id}.*"))
    return matches[0] if matches else None


@router.get("/import")
def import_form(
    page: PageDep, principal: Principal = policy(Permission.REGISTER_IMPORT)
) -> Response:
    return page.render("registry/import.html", report=None, upload="", errors=FormErrors())


@router.post("/import", dependencies=[Depends(csrf_protect)])
def import_dry_run(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    file: UploadFile | None = None,
    principal: Principal = policy(Permission.REGISTER_IMPORT),
) -> Response:
    suffix = Path(file.filename or "").suffix.lower() if file else ""
    if file is None or not file.filename or suffix not in IMPORT_SUFFIXES:
        errors = FormErrors(file=page.gettext("Choose a CSV, JSON, JSON Lines or XLSX file."))
        return page.render(
            "registry/import.html", report=None, upload="", errors=errors, status_code=422
        )
    folder = _upload_dir(settings, principal)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    path = folder / f"{uuid.uuid4()}{suffix}"
    name = Path(file.filename).name[:200]
    try:
        save_bounded(file.file, path, settings.import_limits())
    except ImportFileError as exc:
        path.unlink(missing_ok=True)
        refuse_upload(session, principal, name, exc)
        errors = FormErrors().from_error(page.translator, exc)
        return page.render(
            "registry/import.html", report=None, upload="", errors=errors, status_code=exc.status
        )
    return _run_import(page, session, settings, principal, path, dry_run=True, file_name=name)


def _run_import(
    page: Page,
    session: Session,
    settings: Settings,
    principal: Principal,
    path: Path,
    *,
    dry_run: bool,
    file_name: str,
) -> Response:
    try:
        report = import_file(
            session,
            principal,
            path,
            host_state=settings.state,
            dry_run=dry_run,
            file_name=file_name,
            limits=settings.import_limits(),
        )
    except KervanError as exc:
        path.unlink(missing_ok=True)
        errors = FormErrors().from_error(page.translator, exc)
        return page.render(
            "registry/import.html", report=None, upload="", errors=errors, status_code=exc.status
        )
    if not dry_run or report.outcome == "rejected" or report.rows_rejected:
        # Kept only while it may still be imported as checked: a file with bad rows must be
        # corrected and uploaded again anyway.
        path.unlink(missing_ok=True)
    upload = path.stem if dry_run else ""
    return page.render(
        "registry/import.html",
        report=report,
        upload=upload,
        errors=FormErrors(),
        file_name=file_name,
    )


@router.post("/import/run", dependencies=[Depends(csrf_protect)])
def import_run(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    upload: Text = "",
    file_name: Text = "",
    principal: Principal = policy(Permission.REGISTER_IMPORT),
) -> Response:
    path = _find_upload(settings, principal, upload)
    if path is None:
        errors = FormErrors(file=page.gettext("The uploaded file has expired; upload it again."))
        return page.render(
            "registry/import.html", report=None, upload="", errors=errors, status_code=410
        )
    return _run_import(
        page, session, settings, principal, path, dry_run=False, file_name=file_name[:200]
    )
