"""``POST /api/v1/imports`` and ``GET /api/v1/exports/stay-documents``. Thin: save the upload,
call the importer or the exporter, shape the answer."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Permission, Principal
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.registry.queries import DocumentFilter
from kervan.registry.transfer import exporter
from kervan.registry.transfer.importer import import_file, refuse_upload
from kervan.registry.transfer.limits import ImportLimits, save_bounded
from kervan.registry.transfer.report import ImportFileError, ImportReport
from kervan.uow import unit_of_work
from kervan.web.deps import SessionDep, SettingsDep, get_session_factory, policy
from kervan.web.problems import MEDIA_TYPE, problem_response

router = APIRouter(prefix="/api/v1", tags=["import and export"])


class ImportRowError(BaseModel):
    row: int = Field(description="Row number as seen in the file (CSV/XLSX: header is row 1)")
    column: str | None = Field(description="The column at fault; null for the row as a whole")
    message: str


class ImportReportPublic(BaseModel):
    file_name: str
    format: str
    dry_run: bool
    all_or_nothing: bool
    outcome: Literal["imported", "rejected", "dry_run"]
    initial: bool = Field(
        description="A first load: an empty register and a file of 20,000 rows or more "
        "(indexes built after, history per batch)"
    )
    rows: int
    persons_created: int
    documents_created: int
    documents_corrected: int
    unchanged: int
    rows_rejected: int
    error_count: int = Field(description="Every row error found; `errors` lists the first 10,000")
    errors_truncated: bool
    errors: list[ImportRowError]


_PROBLEM = {"description": "Problem details (RFC 9457)", "content": {MEDIA_TYPE: {}}}


def _save_upload(
    session: Session, principal: Principal, upload: UploadFile, directory: str, limits: ImportLimits
) -> Path:
    path = Path(directory) / "upload"
    try:
        save_bounded(upload.file, path, limits)
    except ImportFileError as exc:
        refuse_upload(session, principal, _display_name(upload), exc)
        raise
    return path


def _display_name(upload: UploadFile) -> str:
    # Only the last part of what the client calls it: a name to report, never a path to use.
    return PurePath((upload.filename or "").replace("\\", "/")).name[:200] or "upload"


def _rejection(request: Request, report: ImportReport) -> JSONResponse:
    return problem_response(
        422,
        "import-rejected",
        "The file has bad rows; nothing was imported",
        f"{report.error_count} problem(s) in {report.rows_rejected} of {report.rows} rows; "
        "fix them, or import the good rows only with all_or_nothing=false",
        request.url.path,
        **report.as_dict(),
    )


@router.post(
    "/imports",
    operation_id="import_register_file",
    response_model=ImportReportPublic,
    responses={422: _PROBLEM, 409: _PROBLEM},
)
def import_register_file(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, JSON (array), JSON Lines or XLSX")],
    dry_run: Annotated[bool, Form(description="Check and count only; write nothing")] = False,
    all_or_nothing: Annotated[
        bool, Form(description="Write nothing if any row is bad (false: import good rows)")
    ] = True,
    format: Annotated[  # the form field's name; an alias would not reach the OpenAPI schema
        str | None, Form(description="csv, json, jsonl or xlsx; default: from the file name")
    ] = None,
    principal: Principal = policy(Permission.REGISTER_IMPORT),
) -> Any:
    limits = settings.import_limits()
    with tempfile.TemporaryDirectory(prefix="kervan-import-") as directory:
        report = import_file(
            session,
            principal,
            _save_upload(session, principal, file, directory, limits),
            host_state=settings.state,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            file_format=format,
            file_name=_display_name(file),
            limits=limits,
        )
    if report.outcome == "rejected":
        # Returned rather than raised: the audit entry of the rejected import is committed.
        return _rejection(request, report)
    return report.as_dict()


def _stream(
    factory: sessionmaker[Session],
    principal: Principal,
    filters: DocumentFilter,
    file_format: exporter.ExportFormat,
    host_state: str,
) -> Iterator[str]:
    # Its own unit of work: the request's is committed before the body is streamed.
    with unit_of_work(factory) as session:
        rows = exporter.export_rows(session, principal, filters, host_state=host_state)
        yield from exporter.encode(rows, file_format)


@router.get(
    "/exports/stay-documents",
    operation_id="export_stay_documents",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}, 422: _PROBLEM},
)
def export_stay_documents(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    file_format: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
    nationality: Annotated[str | None, Query(min_length=1, max_length=3)] = None,
    kind: StayKind | None = None,
    status: StayStatus | None = None,
    purpose: StayPurpose | None = None,
    expires_from: Annotated[dt.date | None, Query(description="valid_until on or after")] = None,
    expires_to: Annotated[dt.date | None, Query(description="valid_until on or before")] = None,
    principal: Principal = policy(Permission.REGISTER_EXPORT),
) -> StreamingResponse:
    filters = DocumentFilter(
        nationality=nationality.upper() if nationality else None,
        kind=kind,
        status=status,
        purpose=purpose,
        expires_from=expires_from,
        expires_to=expires_to,
    )
    exporter.record_export(session, principal, filters, file_format)
    return StreamingResponse(
        _stream(get_session_factory(request), principal, filters, file_format, settings.state),
        media_type=exporter.MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="stay-documents.{file_format}"'},
    )
