"""The routes an app serves, whatever FastAPI keeps in ``app.routes`` (since 0.16x an included
router is one entry there, and its routes are reached through it); and one bearer token per
role, for the tests that request every route as every role."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute

from kervan.accounts.roles import Role
from tests.functional.conftest import NODE_STATE, ClientFactory

# The consul is another state's officer (Uzbek), every other role this node's.
ROLE_STATES = {role: ("UZB" if role is Role.CONSULAR_OFFICER else NODE_STATE) for role in Role}


def served_routes(app: FastAPI) -> list[BaseRoute]:
    return [context.original_route for context in iter_route_contexts(app.routes)]


def authorization_per_role(client_as: ClientFactory) -> dict[Role, str]:
    """The ``Authorization`` header of a fresh user of each role, to send on one shared client
    (a client per role costs an event loop per request; one client in a ``with`` keeps one)."""
    return {role: client_as(role, ROLE_STATES[role]).headers["Authorization"] for role in Role}
