"""RFC 9457 problem details for every error the API can return, so a client never sees HTML
or a bare 500 stack. A browser asking for a UI page gets the same error as an HTML page in its
language instead (the renderer is installed by ``kervan.web.pages``)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kervan.errors import KervanError, pydantic_field_errors
from kervan.ops.request_ids import current_request_id

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
    if "request_id" not in body and (request_id := current_request_id()) is not None:
        body["request_id"] = request_id  # the same id as the log lines and audit entries
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=MEDIA_TYPE)


def _html_error(
    request: Request, status: int, slug: str, detail: str, exc: KervanError | None = None
) -> Response | None:
    """An HTML error page for a browser on the UI; None for the API and for other clients."""
    renderer = getattr(request.app.state, "html_error_renderer", None)
    wants_html = "text/html" in request.headers.get("accept", "") or (
        request.headers.get("hx-request") == "true"
    )
    if renderer is None or request.url.path.startswith("/api/") or not wants_html:
        return None
    page: Response = renderer(request, status, slug, detail, exc)
    return page


async def _kervan_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KervanError)
    if (page := _html_error(request, exc.status, exc.type_slug, exc.detail, exc)) is not None:
        return page
    extra: dict[str, Any] = {"code": exc.code, "params": exc.params, **exc.extra}
    if exc.errors:
        extra["errors"] = [e.as_dict() for e in exc.errors]
    return problem_response(
        exc.status, exc.type_slug, exc.title, exc.detail, request.url.path, **extra
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if (page := _html_error(request, 422, "invalid-input", "")) is not None:
        return page
    skip = ("body", "query", "path", "header")
    errors = [e.as_dict() for e in pydantic_field_errors(exc, skip=skip)]
    return problem_response(
        422,
        "invalid-input",
        "The input is not valid",
        f"{len(errors)} field(s) are not valid",
        request.url.path,
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated"}.get(
        exc.status_code, "http-error"
    )
    if (page := _html_error(request, exc.status_code, slug, "")) is not None:
        return page
    return problem_response(
        exc.status_code,
        slug,
        str(exc.detail),
        str(exc.detail),
        request.url.path,
    )


async def _unstorable_value(request: Request, exc: Exception) -> Response:
    """The database refused a value the validation let through (PostgreSQL and a NUL
    character, a number past a column's range): the client's input, so a 422, never a 500."""
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc)
    detail = "a value cannot be stored: it holds a character (such as NUL) or a number out of range"
    if (page := _html_error(request, 422, "invalid-input", detail)) is not None:
        return page
    return problem_response(
        422, "invalid-input", "The input is not valid", detail, request.url.path
    )


#: Set on the request's scope once an unexpected error was logged and answered (by the security
#: headers middleware, so that the answer carries the headers); the server's own handler, which
#: sees the error again, then neither logs it twice nor answers twice.
ANSWERED = "kervan_error_answered"


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """A 500 problem (or HTML page) for an error nothing else handled; logged once."""
    # Outside the request middleware by now: the id it chose travels in the scope.
    request_id = request.scope.get("kervan.request_id")
    if not request.scope.get(ANSWERED):
        log.exception(
            "unexpected error on %s %s",
            request.method,
            request.url.path,
            extra={"request_id": request_id},
        )
        request.scope[ANSWERED] = True
    if (page := _html_error(request, 500, "internal-error", "")) is not None:
        return page
    return problem_response(
        500,
        "internal-error",
        "Internal error",
        "The node failed to handle this request; the operator has the details in the log.",
        request.url.path,
        **({"request_id": request_id} if request_id else {}),
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KervanError, _kervan_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _unstorable_value)
    app.add_exception_handler(Exception, unexpected_error)
