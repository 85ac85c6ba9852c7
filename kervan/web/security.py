"""Browser-facing defences: CSRF tokens for the UI's forms, and the security headers of every
response.

A CSRF token is an HMAC, under the node's secret key, of what identifies the browser: its session
cookie once signed in, before that a random pre-session cookie (so the sign-in form is protected
too). Nothing is stored server-side, and a token from one browser is worthless in another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Collection

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kervan.accounts.sessions import COOKIE_NAME, NEW_SESSION_STATE
from kervan.config import Settings
from kervan.errors import KervanError
from kervan.messages import CSRF_HEADER as CSRF_HEADER_CODE
from kervan.messages import FORM_EXPIRED
from kervan.web.problems import unexpected_error

log = logging.getLogger("kervan.web.security")

PRESESSION_COOKIE = "kervan_presession"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_NEW_PRESESSION_STATE = "kervan_new_presession_cookie"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRejected(KervanError):
    status = 403
    type_slug = "csrf-rejected"
    title = "The form is out of date or did not come from this site"


def csrf_token_for(secret_key: str, binding: str) -> str:
    """The token for a browser identified by ``binding`` ("session:…" or "pre:…")."""
    mac = hmac.new(secret_key.encode(), b"kervan-csrf|" + binding.encode(), hashlib.sha256)
    return mac.hexdigest()


def mask_token(token: str) -> str:
    """The token under a fresh random mask, different in every response: pages are compressed,
    and a secret that repeats byte for byte next to reflected input could be guessed from the
    compressed length (BREACH). The mask travels with the token: mask ‖ (mask XOR token)."""
    raw = bytes.fromhex(token)
    mask = secrets.token_bytes(len(raw))
    return (mask + bytes(a ^ b for a, b in zip(mask, raw, strict=True))).hex()


def unmask_token(given: str) -> str:
    """The token a form or header carried, with its mask removed; an unmasked one as is."""
    try:
        raw = bytes.fromhex(given)
    except ValueError:
        return given
    if len(raw) != 2 * hashlib.sha256().digest_size:
        return given
    half = len(raw) // 2
    return bytes(a ^ b for a, b in zip(raw[:half], raw[half:], strict=True)).hex()


def _tokens_match(given: str | None, expected: str) -> bool:
    return bool(given and expected) and hmac.compare_digest(unmask_token(given or ""), expected)


def _sent_binding(request: Request) -> str | None:
    session_value = request.cookies.get(COOKIE_NAME)
    if session_value:
        return "session:" + session_value
    presession = request.cookies.get(PRESESSION_COOKIE)
    return "pre:" + presession if presession else None


def _secret_key(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.secret_key


def csrf_token(request: Request) -> str:
    """The token to put in a form (field ``csrf_token``) or send as ``X-CSRF-Token``.

    Bound to the session the browser will hold once this response arrives: the new one if
    this request signed in, otherwise the one it sent; with neither, a pre-session cookie is
    created here and set on the response by ``PreSessionCookieMiddleware``."""
    new_session = getattr(request.state, NEW_SESSION_STATE, None)
    if new_session:
        return mask_token(csrf_token_for(_secret_key(request), "session:" + new_session))
    binding = _sent_binding(request)
    if binding is None:
        presession = getattr(request.state, _NEW_PRESESSION_STATE, None)
        if presession is None:
            presession = secrets.token_urlsafe(32)
            setattr(request.state, _NEW_PRESESSION_STATE, presession)
        binding = "pre:" + presession
    return mask_token(csrf_token_for(_secret_key(request), binding))


def _bearer_authenticated(request: Request) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(value.strip())


async def _given_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)  # cached: the route's Form() reads it too
        return value if isinstance(value, str) else None
    return None


async def csrf_protect(request: Request) -> None:
    """Dependency of every UI route: an unsafe method must carry the browser's CSRF token.

    Requests with a bearer token are exempt: a browser never adds that header by itself, so a
    forged cross-site request cannot carry one."""
    if request.method in _SAFE_METHODS or _bearer_authenticated(request):
        return
    binding = _sent_binding(request)
    given = await _given_token(request)
    expected = csrf_token_for(_secret_key(request), binding) if binding else ""
    if not _tokens_match(given, expected):
        log.warning("CSRF check failed on %s %s", request.method, request.url.path)
        raise CsrfRejected(
            "the form has expired or was not sent from this site; reload the page and try again",
            code=FORM_EXPIRED,
        )


def require_csrf_header_on_api(request: Request) -> None:
    """The JSON API honours the session cookie for an unsafe method only with the
    ``X-CSRF-Token`` header: a cross-site form can neither set a header nor read the token.
    (The UI's own routes check the form field instead, with ``csrf_protect``.)"""
    if request.method in _SAFE_METHODS or not request.url.path.startswith("/api/"):
        return
    binding = _sent_binding(request)
    given = request.headers.get(CSRF_HEADER, "")
    expected = csrf_token_for(_secret_key(request), binding) if binding else ""
    if not _tokens_match(given, expected):
        log.warning("CSRF header missing or wrong on %s %s", request.method, request.url.path)
        raise CsrfRejected(
            f"a request signed in by cookie must send the {CSRF_HEADER} header",
            code=CSRF_HEADER_CODE,
            params={"header": CSRF_HEADER},
        )


class PreSessionCookieMiddleware:
    """Sets the pre-session cookie that ``csrf_token`` created while rendering the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            value = (scope.get("state") or {}).get(_NEW_PRESESSION_STATE)
            if message["type"] == "http.response.start" and value:
                carrier = Response()
                carrier.set_cookie(
                    PRESESSION_COOKIE,
                    value,
                    path="/",
                    httponly=True,
                    samesite="lax",
                    secure=scope.get("scheme") == "https",
                )
                MutableHeaders(scope=message).append("set-cookie", carrier.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_cookie)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The Swagger UI page (its assets are the node's own, kervan.web.api_docs) starts them with an
# inline script: that one page gets the hash of exactly that script, never 'unsafe-inline'.
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
_CACHEABLE_TYPES = ("text/css", "text/javascript", "application/javascript", "image/", "font/")


def docs_policy(html: bytes) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


class SecurityHeadersMiddleware:
    """Security headers on every HTTP response: a CSP allowing scripts from the node itself
    only, framing denied (CSP and X-Frame-Options for older browsers), no MIME sniffing, a
    same-origin referrer, no caching of responses that may carry personal data, and HSTS —
    only over HTTPS, since a browser ignores it on plain HTTP and a demo must stay reachable."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        docs_paths: Collection[str] = ("/api/docs", "/docs/oauth2-redirect"),
        hsts_max_age: int = 31_536_000,
    ) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)
        self.hsts = f"max-age={hsts_max_age}"

    def _apply(self, headers: MutableHeaders, scope: Scope, policy: str) -> None:
        headers["Content-Security-Policy"] = policy
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if scope.get("scheme") == "https":
            headers["Strict-Transport-Security"] = self.hsts
        if "cache-control" not in headers and not headers.get("content-type", "").startswith(
            _CACHEABLE_TYPES
        ):
            headers["Cache-Control"] = "no-store"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_paths:
            await self._docs(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self._apply(MutableHeaders(scope=message), scope, CONTENT_SECURITY_POLICY)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # Starlette answers an unhandled error outside every middleware, so its 500 would
            # carry none of these headers: answer it here, then let the error go on to the
            # server's handler and log (which see it answered and do not answer again).
            if not started:
                response = await unexpected_error(Request(scope), exc)
                await response(scope, receive, send_with_headers)
            raise

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The page is small: hold it back until its inline scripts can be hashed.
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        # Asked uncompressed, so the scripts can be read whatever middleware sits inside.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        await self.app({**scope, "headers": headers}, receive, hold)
        html = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
        for message in held:
            if message["type"] == "http.response.start":
                self._apply(MutableHeaders(scope=message), scope, docs_policy(html))
            await send(message)
