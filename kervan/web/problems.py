"""RFC 9457 problem details for every error the API can return, so a client never sees HTML
or a bare 500 stack."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kervan.errors import KervanError

log = logging.getLogger("kervan.web")

PROBLEM_BASE = "https://kervan.dev/problems/"
MEDIA_TYPE = "application/problem+json"


def problem_response(
    status: int, slug: str, title: str, detail: str, instance: str, **extra: Any
) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=MEDIA_TYPE)


def _location(loc: tuple[Any, ...]) -> str:
    # ("body", "birth_date", "month") -> "birth_date.month": the client knows where it sent it.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


async def _kervan_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KervanError)
    extra: dict[str, Any] = dict(exc.extra)
    if exc.errors:
        extra["errors"] = [e.as_dict() for e in exc.errors]
    return problem_response(
        exc.status, exc.type_slug, exc.title, exc.detail, request.url.path, **extra
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _location(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()
    ]
    return problem_response(
        422, "invalid-input", "The input is not valid",
        f"{len(errors)} field(s) are not valid", request.url.path, errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated"}.get(
        exc.status_code, "http-error"
    )
    return problem_response(
        exc.status_code, slug, str(exc.detail), str(exc.detail), request.url.path,
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(
        500, "internal-error", "Internal error",
        "The node failed to handle this request; the operator has the details in the log.",
        request.url.path,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KervanError, _kervan_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
