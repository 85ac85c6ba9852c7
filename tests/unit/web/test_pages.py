"""kervan/web/pages.py: where a page may send a browser next — a path on this node only, never
another site however the address is spelled (an open redirect); and the language a user
chooses kept on their account and in a cookie only the server reads. (The pages themselves:
tests/functional/test_ui_home.py and test_ui_i18n.py.)"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.responses import RedirectResponse, Response
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.models import User
from kervan.accounts.roles import Principal, Role
from kervan.web.i18n import COOKIE_NAME
from kervan.web.pages import remember_language, safe_next, set_language_cookie

NODE = "https://node.example/"


def _lands_on(target: str) -> str:
    """The host a browser goes to after the redirect: the Location as sent, with tabs and line
    breaks removed as the URL standard says, resolved against the node."""
    location = RedirectResponse(safe_next(target), status_code=303).headers["location"]
    cleaned = location.translate({9: None, 10: None, 13: None})
    return urlsplit(urljoin(NODE, cleaned)).netloc


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        None,
    ],
)
def test_no_spelling_of_another_site_leaves_the_node(target: str | None) -> None:
    assert safe_next(target, "/home") == "/home" or _lands_on(target or "") == "node.example"


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_any_target_lands_on_the_node(target: str) -> None:
    assert _lands_on(target) == "node.example"


def test_a_path_on_the_node_is_kept() -> None:
    assert safe_next("/people/7?tab=documents#stays") == "/people/7?tab=documents#stays"


def test_the_chosen_language_is_kept_on_the_account(session: Session) -> None:
    user = User(username="a.officer", password_hash="-", role=Role.MIGRATION_OFFICER)
    user.state = "KAZ"
    session.add(user)
    session.flush()
    remember_language(session, Principal(user.id, user.username, user.role, "KAZ"), "kk")
    assert user.locale == "kk"
    remember_language(session, None, "ru")  # an anonymous visitor: the cookie only
    assert user.locale == "kk"


def test_the_language_cookie_is_the_servers_only() -> None:
    response = Response()
    set_language_cookie(response, "uz", secure=True)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=uz;")
    assert "HttpOnly" in cookie and "Secure" in cookie and "samesite=lax" in cookie.lower()
