"""CSRF tokens and the content security policies, without a server."""

from __future__ import annotations

import base64
import hashlib

from kervan.web.security import CONTENT_SECURITY_POLICY, csrf_token_for, docs_policy


def test_csrf_token_is_bound_to_browser_and_key() -> None:
    token = csrf_token_for("key", "session:abc")
    assert token == csrf_token_for("key", "session:abc")
    assert len(token) == 64
    assert token != csrf_token_for("key", "session:abd")
    assert token != csrf_token_for("other key", "session:abc")
    assert token != csrf_token_for("key", "pre:abc")


def _directive(policy: str, name: str) -> list[str]:
    return next(d.split() for d in policy.split(";") if d.split()[0] == name)


def test_the_policy_allows_no_inline_or_foreign_script() -> None:
    assert _directive(CONTENT_SECURITY_POLICY, "script-src") == ["script-src", "'self'"]
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert _directive(CONTENT_SECURITY_POLICY, "frame-ancestors") == ["frame-ancestors", "'none'"]


def test_docs_policy_hashes_inline_scripts_only() -> None:
    html = (
        b"<script src='https://cdn.jsdelivr.net/x.js'></script>"
        b"<script>start()</script><script type='module'>go()</script>"
    )
    script_src = _directive(docs_policy(html), "script-src")
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in (b"start()", b"go()")
    }
    assert expected <= set(script_src)
    assert "'unsafe-inline'" not in script_src
    assert len(script_src) == 2 + len(expected)  # script-src, 'self', the hashes
