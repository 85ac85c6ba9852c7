"""How much a peer — or anyone, since the inbox and the query endpoint need no sign-in — may
make this node read: the request body is counted while it streams in and refused with 413 as
soon as it passes the limit, before anything is parsed (a pure ASGI middleware, because a route
with a body model only runs after the whole body was read); and how many refused envelopes a
client address may send in a minute before its requests are answered 429."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kervan.db.base import utcnow
from kervan.errors import KervanError
from kervan.exchange import inbox, messages
from kervan.web.deps import SessionDep, SettingsDep
from kervan.web.problems import problem_response


def too_large(limit: int, path: str) -> JSONResponse:
    return problem_response(
        413,
        "payload-too-large",
        "The request body is too large",
        f"this endpoint reads at most {limit} bytes",
        path,
        limit=limit,
    )


class BodyLimit:
    """POST bodies of the given paths are at most ``limits[path]`` bytes."""

    def __init__(self, app: ASGIApp, limits: dict[str, int]):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await too_large(limit, scope["path"])(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # stop reading: what is left of the stream is never buffered
                await too_large(limit, scope["path"])(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, handed to the app as one message; then the real channel (for a
    disconnect)."""
    pending = [body]

    async def replayed() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return replayed


class PayloadTooLarge(KervanError):
    status = 413
    type_slug = "payload-too-large"
    title = "The request body is too large"


class TooManyRefusals(KervanError):
    status = 429
    type_slug = "too-many-refusals"
    title = "Too many refused envelopes from this address"


def refusal_budget(request: Request, session: SessionDep, settings: SettingsDep) -> str:
    """The client's address, unless it sent more refused envelopes than allowed in the last
    minute: then 429, before its request is looked at."""
    source = request.client.host if request.client else "unknown"
    since = utcnow() - dt.timedelta(minutes=1)
    if inbox.refusals_from(session, source, since) >= settings.exchange_refusals_per_minute:
        raise TooManyRefusals(
            f"more than {settings.exchange_refusals_per_minute} refused envelopes from "
            "this address in the last minute; try again later",
            retry_after=60,
            code=messages.TOO_MANY_REFUSALS,
            params={"limit": settings.exchange_refusals_per_minute},
        )
    return source
