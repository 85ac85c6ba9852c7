"""The app factory: everything the node serves is built here, from settings, at call time."""

from __future__ import annotations

from fastapi import Depends, FastAPI

import kervan
from kervan.accounts.api import router as accounts_router
from kervan.accounts.roles import Permission
from kervan.accounts.sessions import resolve_session_user
from kervan.benefits import install as install_benefits
from kervan.benefits.api import router as benefits_router
from kervan.benefits.views import router as benefits_views
from kervan.border.api import router as border_router
from kervan.border.views import router as border_views
from kervan.config import Settings
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.diplomacy import install as install_diplomacy
from kervan.exchange.node import install_app as install_exchange
from kervan.measures import install as install_measures
from kervan.measures.api import router as measures_router
from kervan.measures_ui.pages import router as measures_pages
from kervan.measures_ui.views import router as measures_views
from kervan.registry.api import router as register_router
from kervan.registry.transfer.api import router as transfer_router
from kervan.web.deps import Policy
from kervan.web.pages import install_ui
from kervan.web.problems import install_problem_handlers
from kervan.web.security import PreSessionCookieMiddleware, SecurityHeadersMiddleware


def create_app(settings: Settings) -> FastAPI:
    install_measures()  # new and corrected documents come under the measures in force
    install_benefits()  # measures in force grant the benefits they name
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
    for api_router in (
        register_router,
        transfer_router,
        accounts_router,
        benefits_router,
        border_router,
        measures_router,
    ):
        app.include_router(api_router)
    install_exchange(app)  # inbox, queries, consular view; the worker if exchange_worker is set
    app.state.session_user_resolver = resolve_session_user
    install_ui(app)  # the officer UI: pages, static files, HTML error pages
    for ui_router in (benefits_views, border_views, measures_views, measures_pages):
        app.include_router(ui_router)
    install_diplomacy(app)  # accreditations, airport access, passes, the offline verifier
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
