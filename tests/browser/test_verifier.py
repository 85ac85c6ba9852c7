"""The offline verifier in Chromium: installed (service worker), the context put offline, a pass
shown to a fake camera turns the page green; forged, revoked, expired, not-yet-valid and
wrong-airport passes turn it red with their reason; scans kept offline are sent once back
online, and a revocation made after the first sync shows red after the next."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from kervan.db.base import utcnow
from kervan.diplomacy.models import DiplomaticPass, PassScan
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.verifier_support import (
    BORDER_USER,
    PASSWORD,
    VerifierNode,
    prepare,
    serving,
    write_y4m,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VerifierNode]:
    folder = tmp_path_factory.mktemp("verifier")
    settings, passes = prepare(folder)
    with serving(settings) as url:
        yield VerifierNode(url, settings, passes)


@pytest.fixture(scope="module")
def camera_browser(
    browser: Any, node: VerifierNode, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """A second Chromium from the session's Playwright (one per process), its camera a video
    of the valid pass's QR code."""
    video = write_y4m(node.passes["valid"], tmp_path_factory.mktemp("camera") / "pass.y4m")
    camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    yield camera
    camera.close()


def _until(page: Any, predicate: str, seconds: float = 20.0) -> None:
    """Poll ``predicate`` from Python: Playwright's own ``wait_for_function`` polls with
    ``eval``, which the page's CSP (rightly) forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {predicate}")
        time.sleep(0.1)


def _installed_offline(browser: Any, node: VerifierNode) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(locale="en-GB", permissions=["camera"], base_url=node.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else 0)
    page.goto("/sign-in")
    page.get_by_label("Username").fill(BORDER_USER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{node.url}/exit-check")  # a border officer's home
    page.goto("/verify")
    page.wait_for_selector("#verifier[data-installed='true'][data-synced='true']")
    page.reload()  # now under the service worker's control
    _until(page, "() => navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()  # from the cache: no network at all
    page.wait_for_selector("#verifier[data-ready='true']")
    assert page.evaluate("navigator.onLine") is False
    page.fill("#post-airport", "IST")
    page.select_option("#post-zone", "transit")
    page.dispatch_event("#post-airport", "change")
    return context, page, csp


def _check(page: Any, text: str) -> tuple[str, str]:
    page.fill("#pass-text", text)
    page.get_by_role("button", name="Check", exact=True).click()
    _until(page, "() => !!document.querySelector('#result').dataset.reason")
    result = page.locator("#result")
    reason = result.get_attribute("data-reason")
    page.evaluate("() => { document.querySelector('#result').dataset.reason = ''; }")
    return result.get_attribute("data-verdict"), reason


def test_offline_the_camera_reads_a_valid_pass_green(
    camera_browser: Any, node: VerifierNode
) -> None:
    context, page, csp = _installed_offline(camera_browser, node)
    page.get_by_role("button", name="Scan with the camera").click()
    page.wait_for_selector("#result[data-verdict='valid']", timeout=30_000)
    assert "Алимов Бобур" in page.locator("#facts").inner_text()
    assert page.locator("#result").evaluate("e => getComputedStyle(e).backgroundColor") == (
        "rgb(19, 115, 51)"
    )
    assert not csp
    context.close()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("forged", "bad-signature"),
        ("revoked", "revoked"),
        ("expired", "expired"),
        ("not-yet-valid", "not-yet-valid"),
        ("wrong-airport", "wrong-airport"),
    ],
)
def test_offline_bad_passes_show_red_with_their_reason(
    camera_browser: Any, node: VerifierNode, kind: str, reason: str
) -> None:
    context, page, _ = _installed_offline(camera_browser, node)
    assert _check(page, node.passes[kind]) == ("invalid", reason)
    assert _check(page, node.passes["valid"]) == ("valid", "valid")
    context.close()


def test_scans_wait_offline_and_a_revocation_shows_after_the_next_sync(
    camera_browser: Any, node: VerifierNode
) -> None:
    context, page, _ = _installed_offline(camera_browser, node)
    assert _check(page, node.passes["valid"]) == ("valid", "valid")
    assert "Scans waiting to be sent: 1" in page.locator("#pending").inner_text()
    from kervan.db.engine import make_engine, make_sessionmaker
    from kervan.diplomacy.codec import open_pass

    pass_id = open_pass(node.passes["valid"]).claims.pass_id
    engine = make_engine(node.settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session, session.begin():
        session.get_one(DiplomaticPass, pass_id).revoked_at = utcnow()
    assert _check(page, node.passes["valid"]) == ("valid", "valid")  # not synced yet
    context.set_offline(False)
    page.get_by_role("button", name="Update now").click()
    _until(page, "() => !document.querySelector('#pending').textContent.match(/[1-9]/)")
    context.set_offline(True)
    assert _check(page, node.passes["valid"]) == ("invalid", "revoked")
    with factory() as session:
        verdicts = list(
            session.scalars(select(PassScan.verdict).where(PassScan.pass_id == pass_id))
        )
    engine.dispose()
    assert verdicts.count("valid") >= 2
    context.close()
