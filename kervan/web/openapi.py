"""The OpenAPI document as the API really behaves: who may call each operation (a bearer token
or the UI's session cookie), and every problem (RFC 9457, ``application/problem+json``) each
operation can answer, besides the success FastAPI describes from the route's return type.

FastAPI knows a route's success and its request validation only, and describes the latter as
``application/json``; Kervan answers every error as a problem document. The statuses are
derived from what a route is (its policy, path parameters, body, method, context), so a route
added later is described without anyone remembering to; the schemathesis run of the test suite
(tests/functional/test_openapi_contract.py) fails on any status the document does not list.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from kervan.accounts.roles import Permission
from kervan.accounts.sessions import COOKIE_NAME
from kervan.web.deps import Policy
from kervan.web.problems import MEDIA_TYPE

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; some problems add members (errors, a report)",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}
DESCRIPTIONS = {
    400: "The request body cannot be read",
    401: "No valid bearer token or session (or an unknown token sent to a public operation)",
    403: "The role may not do this, or a cookie-signed-in request lacks its CSRF header",
    404: "No such record, or one outside the caller's state scope",
    409: "Conflicts with the record's current state",
    413: "Larger than this node accepts",
    422: "The input is not valid; `errors` names each field",
    429: "Too many requests from this caller or address in the last minute; try again shortly",
    502: "A peer node did not answer",
    503: "The exchange is not configured on this node",
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API token"},
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": COOKIE_NAME,
        "description": "The officer UI's session; unsafe methods also need X-CSRF-Token",
    },
}


def _policies(dependant: Dependant) -> list[Policy]:
    found = [d.call for d in dependant.dependencies if isinstance(d.call, Policy)]
    for sub in dependant.dependencies:
        found.extend(_policies(sub))
    return found


def is_public(route: APIRoute) -> bool:
    return all(p.permission is Permission.PUBLIC for p in _policies(route.dependant))


def problem_statuses(route: APIRoute, method: str) -> set[int]:
    """Every problem status the route can answer to ``method``."""
    # A bad token is refused even on a public operation; anything may find nothing to answer
    # with (a record, or the node's trust list).
    statuses = {401, 404, 422}
    if not is_public(route):
        statuses.add(403)
    if method in _UNSAFE:
        statuses |= {403, 409}
    if route.dependant.body_params:
        statuses |= {400, 413}
        if any(isinstance(p.field_info, params.File) for p in route.dependant.body_params):
            statuses.add(413)
    if method in _UNSAFE and is_public(route):
        statuses.add(429)  # what the public sends is rate-limited per address
    if route.path.startswith("/api/v1/exchange"):
        statuses |= {409, 502, 503}
    return statuses


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def build_document(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(unused, None)
    components["securitySchemes"] = SECURITY_SCHEMES
    # Since FastAPI 0.16x an included router is one entry of app.routes: walk its contexts.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in (context.methods or set()) - {"HEAD"}:
            operation = document["paths"][context.path_format][method.lower()]
            if not is_public(route):
                operation["security"] = [{"bearer": []}, {"session": []}]
            responses = operation.setdefault("responses", {})
            for status in sorted(problem_statuses(route, method)):
                responses[str(status)] = _problem(status)
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve ``build_document`` (built once, on the first request for it)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
