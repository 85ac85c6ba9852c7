"""``/api/docs``: Swagger UI from the package's own static files (``static/swagger-ui``, the
npm package ``swagger-ui-dist``, vendored with its licence), so it works on a network without
internet access."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from kervan.accounts.roles import Permission
from kervan.web.deps import Policy

ASSETS = "/static/swagger-ui"


def install(app: FastAPI) -> None:
    @app.get(
        "/api/docs",
        operation_id="api_docs",
        include_in_schema=False,
        dependencies=[Depends(Policy(Permission.PUBLIC))],
    )
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
