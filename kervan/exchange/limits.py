"""How much a peer — or anyone, since the inbox and the query endpoint need no sign-in — may
make this node read: the request body is counted while it streams in and refused with 413 as
soon as it passes the limit, before anything is parsed (a pure ASGI middleware, because a route
with a body model only runs after the whole body was read)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kervan.web.problems import problem_response


def too_large(limit: int, path: str) -> object:
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
            await too_large(limit, scope["path"])(scope, receive, send)  # type: ignore[operator]
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
                await too_large(limit, scope["path"])(scope, receive, send)  # type: ignore[operator]
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
