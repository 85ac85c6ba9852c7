"""kervan/web/openapi.py: the problems each operation can answer are derived from what the
route is — its policy, method, body and context — so a route added later is described without
anyone remembering to; protected operations name their security schemes; every problem refers
to the one Problem schema. (The document against the real API: test_openapi_contract.py.)"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, UploadFile
from pydantic import BaseModel

from kervan.accounts.roles import Permission, Principal
from kervan.web.deps import policy
from kervan.web.openapi import DESCRIPTIONS, build_document, install_openapi


class Note(BaseModel):
    text: str


def _app() -> FastAPI:
    app = FastAPI(title="node", version="1")

    @app.get("/api/v1/status")
    def status(_: Principal | None = policy(Permission.PUBLIC)) -> str:
        return "ok"

    @app.post("/api/v1/help")
    def ask_for_help(note: Note, _: Principal | None = policy(Permission.PUBLIC)) -> str:
        return note.text

    @app.get("/api/v1/persons")
    def persons(_: Principal = policy(Permission.REGISTER_READ)) -> list[str]:
        return []

    @app.post("/api/v1/imports")
    def upload(file: UploadFile, _: Principal = policy(Permission.REGISTER_IMPORT)) -> str:
        return file.filename or ""

    @app.post("/api/v1/exchange/inbox")
    def inbox(note: Note, _: Principal | None = policy(Permission.PUBLIC)) -> str:
        return note.text

    install_openapi(app)
    return app


def _statuses(document: dict[str, Any], path: str, method: str) -> set[int]:
    responses = document["paths"][path][method]["responses"]
    return {int(code) for code in responses if int(code) >= 400}


def test_each_operation_lists_the_problems_its_kind_can_answer() -> None:
    document = build_document(_app())
    assert _statuses(document, "/api/v1/status", "get") == {401, 404, 422}
    assert _statuses(document, "/api/v1/persons", "get") == {401, 403, 404, 422}
    # What the public sends is limited per address and may be refused as too large.
    assert _statuses(document, "/api/v1/help", "post") == {400, 401, 403, 404, 409, 413, 422, 429}
    assert {400, 403, 409, 413} <= _statuses(document, "/api/v1/imports", "post")
    assert {409, 502, 503} <= _statuses(document, "/api/v1/exchange/inbox", "post")


def test_protected_operations_name_their_schemes_and_problems_share_one_schema() -> None:
    document = build_document(_app())
    assert "security" not in document["paths"]["/api/v1/status"]["get"]
    assert document["paths"]["/api/v1/persons"]["get"]["security"] == [
        {"bearer": []},
        {"session": []},
    ]
    assert set(document["components"]["securitySchemes"]) == {"bearer", "session"}
    problem = document["paths"]["/api/v1/persons"]["get"]["responses"]["403"]
    assert problem["description"] == DESCRIPTIONS[403]
    [(media, content)] = problem["content"].items()
    assert media == "application/problem+json"
    assert content["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_document_is_built_once_and_served_as_built() -> None:
    app = _app()
    first = app.openapi()
    assert app.openapi() is first
