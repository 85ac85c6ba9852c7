"""The whole-app policy checks of ``test_policies``, run again on an app with the exchange
installed as the app factory will install it (``kervan.exchange.node.install_app``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from kervan.config import Settings
from kervan.exchange.node import install_app
from kervan.web.app import create_app
from tests.functional.test_policies import (  # noqa: F401  (collected here, on this app)
    targets,
    test_anonymous_caller_is_asked_to_sign_in,
    test_every_api_route_has_a_stable_operation_id,
    test_every_route_declares_a_policy,
    test_role_route_matrix,
)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    if not any(getattr(r, "path", "").startswith("/api/v1/exchange") for r in app.routes):
        install_app(app)
    yield app
    app.state.engine.dispose()
