"""What the browser tests share: the live node's address and accounts, screenshots, sign-in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser.seed import SeededNode

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass
class LiveNode:
    url: str
    seeded: SeededNode
    accounts: dict[str, str] = field(default_factory=dict)  # username → password


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, node: LiveNode, username: str) -> None:
    page.goto(f"{node.url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(node.accounts[username])
    page.get_by_role("button", name="Sign in").click()
    # Each role has its home: "/" for most, the exit check for a border officer.
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.wait_for_load_state()


def apply_language(page: Any) -> None:
    """The language menu changes the language only when its button is pressed (WCAG 3.2.2)."""
    page.locator("form.lang button[type=submit]").click()
    page.wait_for_load_state()


def choose_language(page: Any, label: str, code: str) -> None:
    """Pick a language in the header's menu (on a phone, behind the folded menu) and apply it."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    page.get_by_label(label).select_option(code)
    apply_language(page)
