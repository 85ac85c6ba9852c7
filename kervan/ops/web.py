"""What a node serves for its operators: ``/readyz``, ``/metrics``, and the request middleware
that gives every request an id (the ``X-Request-ID`` header, log lines, problem documents and
audit entries) and counts it."""

from __future__ import annotations

import hmac
import logging
import threading
import time
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import SecretStr
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kervan.accounts.roles import Permission
from kervan.config import Settings
from kervan.ops.metrics import NodeMetrics
from kervan.ops.readiness import Check, as_json, readiness
from kervan.ops.request_ids import choose_request_id, request_id_var
from kervan.web.deps import Policy, SessionDep
from kervan.web.problems import problem_response

#: /readyz reads the database and the keys; answers are reused this long, so that polling it
#: (or hammering it) costs the node at most one check per interval.
READINESS_CACHE_SECONDS = 2.0
METRICS_PATH = "/metrics"

# The standard library's logger: silent until configure_logging (tests, embedding), then JSON.
access_log = logging.getLogger("kervan.access")


def route_label(scope: Scope) -> str:
    """The route template, never the path itself: bounded labels, and no ids or names."""
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        return str(route.path)
    path = str(scope.get("path", ""))
    if path == METRICS_PATH:
        return path
    return "/static" if path.startswith("/static/") else "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: NodeMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = choose_request_id(headers.get(b"x-request-id", b"").decode("latin-1"))
        token = request_id_var.set(request_id)
        scope["kervan.request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_label(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                },
            )
            request_id_var.reset(token)


class MetricsEndpoint:
    """``/metrics`` for a Prometheus scraper holding KERVAN_METRICS_TOKEN. Answered before the
    app's routes: the scraper's bearer token is not an officer's API token, and a scrape needs
    no session or policy (it reads counts only, never a person)."""

    def __init__(self, app: ASGIApp, metrics: NodeMetrics, token: SecretStr | None) -> None:
        self.app, self.metrics, self.token = app, metrics, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != METRICS_PATH:
            await self.app(scope, receive, send)
            return
        response: Response
        given = dict(scope["headers"]).get(b"authorization", b"").removeprefix(b"Bearer ")
        if self.token is None:
            response = problem_response(
                404,
                "not-found",
                "Not found",
                "metrics are off (set KERVAN_METRICS_TOKEN)",
                METRICS_PATH,
            )
        elif not hmac.compare_digest(given.strip(), self.token.get_secret_value().encode()):
            response = problem_response(
                401,
                "unauthenticated",
                "Not signed in",
                "the metrics token is missing or wrong",
                METRICS_PATH,
            )
        else:
            body = await run_in_threadpool(self.metrics.exposition)  # reads the database
            response = Response(body, media_type=CONTENT_TYPE_LATEST)
        await response(scope, receive, send)


class ReadinessCache:
    def __init__(self, settings: Settings, engine: Any) -> None:
        self.settings, self.engine = settings, engine
        self.lock = threading.Lock()
        self.at = 0.0
        self.answer: tuple[bool, list[Check]] = (False, [])

    def get(self) -> tuple[bool, list[Check]]:
        with self.lock:
            if time.monotonic() - self.at > READINESS_CACHE_SECONDS:
                self.answer = readiness(self.settings, self.engine)
                self.at = time.monotonic()
            return self.answer


def install(app: FastAPI, settings: Settings) -> None:
    metrics = NodeMetrics(app.state.engine)
    cache = ReadinessCache(settings, app.state.engine)
    app.state.metrics = metrics
    public = [Depends(Policy(Permission.PUBLIC))]

    @app.get("/readyz", operation_id="readiness", tags=["node"], dependencies=public)
    def ready(session: SessionDep) -> JSONResponse:
        """Ready to serve: database reachable, schema at head, signing key, trust list."""
        # The checks open connections of their own. On SQLite every transaction takes the
        # write lock (BEGIN IMMEDIATE), and this request's holds it once a bearer token's
        # last use is written: end it first, or the checks wait out the busy timeout and
        # report the database unreachable.
        session.commit()
        ok, checks = cache.get()
        return JSONResponse(jsonable_encoder(as_json(ok, checks)), status_code=200 if ok else 503)

    app.add_middleware(MetricsEndpoint, metrics=metrics, token=settings.metrics_token)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
