"""The API docs work on a network without internet: Swagger UI comes from the node itself."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_with_every_outside_request_blocked(live_node: Any, page: Any) -> None:
    outside: list[str] = []

    def only_the_node(route: Any) -> None:
        if route.request.url.startswith(live_node.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_node)
    page.goto(f"{live_node.url}/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Kervan node" in title.inner_text()
    assert page.locator(".opblock").count() > 10  # the operations of the OpenAPI document
    assert outside == []
