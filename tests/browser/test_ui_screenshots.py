"""Screenshots of the main pages for docs/ui.md, in Russian and Kazakh at desk and phone width.

Run on purpose, not in CI: ``KERVAN_UI_SCREENSHOTS=1 pytest tests/browser/test_ui_screenshots.py``.
Each picture is reduced to a small palette (Pillow), so the set stays a few hundred KB."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.support import LiveNode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("KERVAN_UI_SCREENSHOTS"), reason="writes docs/ui/; run on purpose"
    ),
]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ui"
WIDTHS = {"desk": (1366, 860), "phone": (390, 844)}
LANGUAGES = ("ru", "kk")
COLOURS = 48
DESK_SCALE = 0.6


def _pages(node: LiveNode) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/search?q=%D0%A8%D0%BE%D0%B4%D0%BC%D0%BE%D0%BD%D0%BE%D0%B2",
        "person": f"/persons/{node.seeded.rahimov}",
    }


def _save_small(raw: Path, target: Path, scale: float) -> None:
    with Image.open(raw) as image:
        if scale != 1:
            size = (int(image.width * scale), int(image.height * scale))
            image = image.resize(size, Image.Resampling.LANCZOS)
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)
    raw.unlink()


def test_main_pages_for_the_docs(browser: Any, live_node: LiveNode, tmp_path: Path) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    user = "officer.languages"
    for code in LANGUAGES:
        context = browser.new_context(viewport={"width": 1366, "height": 860})
        page = context.new_page()
        page.goto(f"{live_node.url}/sign-in")
        page.locator("#f-username").fill(user)
        page.locator("#f-password").fill(live_node.accounts[user])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.get_by_label("Language").select_option(code)
        page.locator("form.lang button[type=submit]").click()
        page.wait_for_load_state()
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, path in _pages(live_node).items():
                page.goto(f"{live_node.url}{path}")
                page.wait_for_load_state("networkidle")
                raw = tmp_path / "raw.png"
                page.screenshot(path=str(raw))
                scale = DESK_SCALE if width_name == "desk" else 1
                _save_small(raw, DOCS / f"{code}-{name}-{width_name}.png", scale)
        # Leave the shared test account in English for the other tests (at desk width the
        # language menu is in sight, not folded behind "Menu").
        page.set_viewport_size({"width": 1366, "height": 860})
        page.get_by_label(page.locator("label[for=lang-select]").inner_text()).select_option("en")
        page.locator("form.lang button[type=submit]").click()
        page.wait_for_load_state()
        context.close()
