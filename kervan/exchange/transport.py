"""How a batch travels: HTTP(S) POST to the peer's inbox. A protocol, so tests can cut the line
at the worst moment (after the receiver committed, before the receipts are read)."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

INBOX_PATH = "/api/v1/exchange/inbox"
QUERY_PATH = "/api/v1/exchange/query"
# Receipts for a full batch are about 1 MB; a peer's answer is read up to this and no further.
MAX_ANSWER_BYTES = 16 * 1024 * 1024


class TransportError(Exception):
    """The batch may or may not have arrived; the receipts were not read. Retry it."""


class Transport(Protocol):
    def post_batch(self, endpoint: str, envelopes: list[str]) -> list[str]: ...


class HttpTransport:
    """One keep-alive client per worker; a timeout on every call, so a hung peer costs a
    bounded wait and then a backoff."""

    def __init__(self, timeout: float = 30.0, client: httpx.Client | None = None):
        self.client = client or httpx.Client(timeout=timeout)

    def _post(self, endpoint: str, path: str, body: dict[str, Any]) -> tuple[str, httpx.Response]:
        url = endpoint.rstrip("/") + path
        try:
            with self.client.stream("POST", url, json=body) as response:
                content = _read_bounded(response, url)
        except httpx.HTTPError as exc:
            raise TransportError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
        # ``content`` is already decoded (a peer may compress its answer): keep the headers that
        # describe it, not those of the bytes on the wire.
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length")
        }
        answer = httpx.Response(response.status_code, headers=headers, content=content)
        if answer.status_code != 200:
            raise TransportError(f"{url}: HTTP {answer.status_code} {answer.text[:300]!r}")
        return url, answer

    def post_batch(self, endpoint: str, envelopes: list[str]) -> list[str]:
        url, response = self._post(endpoint, INBOX_PATH, {"envelopes": envelopes})
        try:
            receipts = response.json()["receipts"]
        except (ValueError, KeyError, TypeError) as exc:
            raise TransportError(f"{url}: no receipts in the answer ({exc})") from exc
        if not isinstance(receipts, list) or len(receipts) != len(envelopes):
            raise TransportError(f"{url}: {len(envelopes)} envelopes sent, receipts do not match")
        return [str(r) for r in receipts]

    def post_query(self, endpoint: str, envelope: str) -> dict[str, Any]:
        url, response = self._post(endpoint, QUERY_PATH, {"envelope": envelope})
        try:
            answer = response.json()
        except ValueError as exc:
            raise TransportError(f"{url}: the answer is not JSON") from exc
        if not isinstance(answer, dict):
            raise TransportError(f"{url}: the answer is not a JSON object")
        return answer

    def close(self) -> None:
        self.client.close()


def _read_bounded(response: httpx.Response, url: str) -> bytes:
    """A peer's answer, refused once it passes ``MAX_ANSWER_BYTES`` (a hostile or broken peer
    must not make the sender read without end)."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise TransportError(f"{url}: the answer is larger than {MAX_ANSWER_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
