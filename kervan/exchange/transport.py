"""How a batch travels: HTTP(S) POST to the peer's inbox. A protocol, so tests can cut the line
at the worst moment (after the receiver committed, before the receipts are read)."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

INBOX_PATH = "/api/v1/exchange/inbox"
QUERY_PATH = "/api/v1/exchange/query"


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
            response = self.client.post(url, json=body)
        except httpx.HTTPError as exc:
            raise TransportError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code != 200:
            raise TransportError(f"{url}: HTTP {response.status_code} {response.text[:300]}")
        return url, response

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
        _, response = self._post(endpoint, QUERY_PATH, {"envelope": envelope})
        answer: dict[str, Any] = response.json()
        return answer

    def close(self) -> None:
        self.client.close()
