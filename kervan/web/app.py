"""The app factory: everything the node serves is built here, from settings, at call time."""

from __future__ import annotations

from fastapi import Depends, FastAPI

import kervan
from kervan.accounts.api import router as accounts_router
from kervan.accounts.roles import Permission
from kervan.accounts.sessions import resolve_session_user
from kervan.config import Settings
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.registry.api import router as register_router
from kervan.web.deps import Policy
from kervan.web.pages import install_ui
from kervan.web.problems import install_problem_handlers
from kervan.web.security import PreSessionCookieMiddleware, SecurityHeadersMiddleware


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title=f"Kervan node {settings.state}",
        version=kervan.__version__,
        description="Register of foreign nationals and their stay documents.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_sessionmaker(engine)
    install_problem_handlers(app)
    app.include_router(register_router)
    app.include_router(accounts_router)
    app.state.session_user_resolver = resolve_session_user
    install_ui(app)  # the officer UI: pages, static files, HTML error pages
    app.add_middleware(PreSessionCookieMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)

    @app.get(
        "/healthz",
        operation_id="health",
        tags=["node"],
        dependencies=[Depends(Policy(Permission.PUBLIC))],
    )
    def health() -> dict[str, str]:
        return {"status": "ok", "state": settings.state}

    return app
