"""kervan/exchange/limits.py: a body over the limit is refused with 413 as soon as it passes
it — by its declared length, or while it streams — and the rest is never read; a body within
it reaches the app whole. Driven as ASGI, with a stand-in app that echoes what it received."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.types import Message, Receive, Scope, Send

from kervan.exchange.limits import BodyLimit

LIMIT = 10
PATH = "/api/v1/exchange/inbox"


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def _call(
    chunks: list[bytes], *, method: str = "POST", path: str = PATH, length: str | None = None
) -> tuple[int, bytes, int]:
    """(status, response body, how many chunks were read)."""
    headers = [] if length is None else [(b"content-length", length.encode())]
    scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "headers": headers}
    incoming = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read += 1
        return incoming[read - 1] if read <= len(incoming) else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    # A loop of its own in a thread: the process may already run one in this thread (the
    # browser tests' Playwright shares the worker).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, BodyLimit(_echo, {PATH: LIMIT})(scope, receive, send)).result()
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body, read


@settings(max_examples=50)
@given(st.lists(st.binary(max_size=6), min_size=1, max_size=5))
def test_a_body_within_the_limit_arrives_whole_and_one_over_is_refused(chunks: list[bytes]) -> None:
    status, body, _ = _call(chunks)
    if sum(map(len, chunks)) <= LIMIT:
        assert (status, body) == (200, b"".join(chunks))
    else:
        assert status == 413 and json.loads(body)["limit"] == LIMIT


def test_the_stream_is_not_read_past_the_limit() -> None:
    status, _, read = _call([b"x" * 6, b"x" * 6, b"never read", b"nor this"])
    assert (status, read) == (413, 2)


def test_a_declared_length_over_the_limit_or_not_a_number_is_refused_unread() -> None:
    assert _call([b"x"], length="11")[::2] == (413, 0)
    assert _call([b"x"], length="-1")[::2] == (413, 0)
    assert _call([b"x"], length="10") == (200, b"x", 1)


def test_other_paths_and_methods_are_not_limited() -> None:
    big = [b"x" * 50]
    assert _call(big, path="/api/v1/persons")[0] == 200
    assert _call(big, method="PUT")[0] == 200
