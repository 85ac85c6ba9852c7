"""The app factory: everything the node serves is built here, from settings, at call time."""

from __future__ import annotations

import threading

from fastapi import Depends, FastAPI

import kervan
from kervan.accounts.roles import Permission
from kervan.accounts.sessions import resolve_session_user
from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.jobs import JobRunner
from kervan.ops.web import install as install_ops
from kervan.web.api_docs import install as install_api_docs
from kervan.web.compression import CompressionMiddleware
from kervan.web.deps import Policy
from kervan.web.openapi import install_openapi
from kervan.web.pages import install_ui
from kervan.web.problems import install_problem_handlers
from kervan.web.proxies import ForwardedHeadersMiddleware
from kervan.web.security import PreSessionCookieMiddleware, SecurityHeadersMiddleware
from kervan.wiring import PACKAGES, session_factory, wire


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title=f"Kervan node {settings.state}",
        version=kervan.__version__,
        description="Register of foreign nationals and their stay documents.",
        docs_url=None,  # served by kervan.web.api_docs from the package, not a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    install_problem_handlers(app)
    install_openapi(app)
    app.state.session_user_resolver = resolve_session_user
    # Every capability, in the order of kervan.wiring.PACKAGES: routes, pages, templates,
    # listeners, jobs, codes; then the officer UI's frame (static files, HTML error pages).
    wiring = wire(settings, web=app, packages=PACKAGES)
    install_ui(app, wiring.templates)
    app.state.wiring = wiring
    app.state.session_factory = session_factory(engine, wiring)
    if settings.exchange_worker:
        app.router.on_startup.append(lambda: _start_jobs(app))
        app.router.on_shutdown.append(lambda: _stop_jobs(app))
    app.add_middleware(PreSessionCookieMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    # Pages, JSON and static files compressed for consulates on slow lines (brotli, zstd or
    # gzip by the client's Accept-Encoding; the CSRF token masked afresh against BREACH).
    app.add_middleware(CompressionMiddleware)
    # Outermost but for ops, so that every layer inside sees the same client address and scheme.
    app.add_middleware(ForwardedHeadersMiddleware, trusted_proxies=settings.trusted_proxies)
    install_api_docs(app)
    install_ops(app, settings)  # /readyz, /metrics; request ids (outermost middleware)

    @app.get(
        "/healthz",
        operation_id="health",
        tags=["node"],
        dependencies=[Depends(Policy(Permission.PUBLIC))],
    )
    def health() -> dict[str, str]:
        return {"status": "ok", "state": settings.state}

    return app


def _start_jobs(app: FastAPI) -> None:
    """The node's background jobs (delivery, measures' whole-register apply) in a thread."""
    stop = threading.Event()
    runner = JobRunner(app.state.session_factory, app.state.wiring.jobs)
    thread = threading.Thread(
        target=runner.run_forever, args=(stop, 0.2), name="kervan-jobs", daemon=True
    )
    app.state.jobs = (thread, stop, runner)
    thread.start()


def _stop_jobs(app: FastAPI) -> None:
    running = getattr(app.state, "jobs", None)
    if running is None:
        return
    thread, stop, runner = running
    stop.set()
    thread.join(timeout=10)
    runner.close()
