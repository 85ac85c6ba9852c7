"""The HTTP transport reads a peer's answer only up to a bound."""

from __future__ import annotations

import httpx
import pytest

from kervan.exchange import transport
from kervan.exchange.transport import HttpTransport, TransportError


def _peer(answer: bytes) -> HttpTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answer, headers={"content-type": "application/json"})

    return HttpTransport(client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_an_answer_over_the_bound_is_a_transport_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "MAX_ANSWER_BYTES", 1000)
    flood = b'{"receipts": ["' + b"A" * 5000 + b'"]}'
    with pytest.raises(TransportError, match="larger than 1000 bytes"):
        _peer(flood).post_batch("http://peer.example", ["x"])


def test_an_answer_within_the_bound_is_read() -> None:
    assert _peer(b'{"receipts": ["r"]}').post_batch("http://peer.example", ["x"]) == ["r"]
    with pytest.raises(TransportError, match="not a JSON object"):
        _peer(b"[1]").post_query("http://peer.example", "x")
