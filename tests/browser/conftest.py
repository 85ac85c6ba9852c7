"""Browser tests: real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against a
real node served by uvicorn on 127.0.0.1, on a SQLite file migrated with Alembic.

They skip, saying why, only when Chromium is absent; CI sets KERVAN_REQUIRE_BROWSER so that a
missing browser fails there instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kervan.config import Settings
from kervan.demo.serving import served
from kervan.web.app import create_app
from tests.browser.seed import seed_node
from tests.browser.support import LiveNode

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def live_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNode]:
    folder = tmp_path_factory.mktemp("live")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'kervan.db'}",
        state="KAZ",
        environment="test",
        secret_key="browser-test-secret-key",
        data_dir=folder,
    )
    seeded = seed_node(settings)
    app = create_app(settings)
    with served(app) as url:
        yield LiveNode(url=url, seeded=seeded, accounts=seeded.accounts)
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("KERVAN_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)  # Playwright's own default: a busy shared machine is slow
    errors: list[str] = []
    # A CSP violation (an inline script or style slipped into a template) shows up here.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    unexpected = [e for e in errors if "status of 40" not in e]  # 403/404 pages tested on purpose
    assert not unexpected, unexpected
