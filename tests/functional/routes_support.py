"""The routes an app serves, whatever FastAPI keeps in ``app.routes`` (since 0.16x an included
router is one entry there, and its routes are reached through it)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute


def served_routes(app: FastAPI) -> list[BaseRoute]:
    return [context.original_route for context in iter_route_contexts(app.routes)]
