"""Compression of responses (kervan.web.compression): the coding chosen by the client's
q-values, each coding decoded back to the page, and what is left alone."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import brotli
import pytest
import zstandard
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from kervan.web.compression import CompressionMiddleware, choose_encoding

PAGE = "<p>" + "Продление документов пребывания до 30 июня 2027 г. " * 60 + "</p>"
DECODE = {
    "br": brotli.decompress,
    "zstd": lambda raw: zstandard.ZstdDecompressor().decompressobj().decompress(raw),
    "gzip": gzip.decompress,
}


def _stream() -> Iterator[bytes]:
    yield PAGE.encode()
    yield PAGE.encode()


class _Chunked(Response):
    """A body with a known length sent in several chunks, as a static file is."""

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        body = PAGE.encode() * 2
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/javascript"),
                    (b"content-length", str(len(body)).encode()),
                    (b"etag", b'"v1"'),
                ],
            }
        )
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})


ROUTES = {
    "/page": lambda r: HTMLResponse(PAGE),
    "/json": lambda r: JSONResponse({"text": PAGE}),
    "/small": lambda r: HTMLResponse("<p>ok</p>"),
    "/stream": lambda r: StreamingResponse(_stream(), media_type="text/csv"),
    "/encoded": lambda r: Response(
        gzip.compress(PAGE.encode()), media_type="text/html", headers={"content-encoding": "gzip"}
    ),
    "/png": lambda r: Response(b"\x89PNG" + b"\0" * 2000, media_type="image/png"),
    "/chunked": lambda r: _Chunked(),
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = Starlette(routes=[Route(path, handler) for path, handler in ROUTES.items()])
    return TestClient(CompressionMiddleware(app))


def _raw(client: TestClient, path: str, accept: str) -> tuple[dict[str, str], bytes]:
    with client.stream("GET", path, headers={"accept-encoding": accept}) as response:
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip;q=1, br;q=0.5, zstd;q=0.8", "gzip"),
        ("zstd, gzip;q=0.9", "zstd"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("*;q=0.1, gzip;q=0.5", "gzip"),
        ("identity", None),
        ("", None),
        ("gzip;q=0", None),
        ("gzip;q=nonsense, br;q=0.2", "br"),
        ("GZIP ; Q=0.7", "gzip"),
    ],
)
def test_the_coding_follows_the_clients_q_values(header: str, chosen: str | None) -> None:
    assert choose_encoding(header) == chosen


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip"])
@pytest.mark.parametrize("path", ["/page", "/json"])
def test_each_coding_decodes_to_the_page(client: TestClient, coding: str, path: str) -> None:
    headers, raw = _raw(client, path, coding)
    assert headers["content-encoding"] == coding
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(raw) < len(PAGE.encode()) / 4
    plain = client.get(path, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    assert DECODE[coding](raw) == plain.content


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip"])
def test_a_file_sent_in_chunks_is_compressed_as_it_goes(client: TestClient, coding: str) -> None:
    headers, raw = _raw(client, "/chunked", coding)
    assert headers["content-encoding"] == coding
    assert "content-length" not in headers
    assert headers["etag"] == 'W/"v1"'  # the compressed bytes are not the file's
    assert DECODE[coding](raw) == PAGE.encode() * 2


@pytest.mark.parametrize("path", ["/small", "/stream", "/encoded", "/png"])
def test_what_is_left_alone(client: TestClient, path: str) -> None:
    headers, raw = _raw(client, path, "br, zstd, gzip")
    if path == "/encoded":  # already gzip: passed on as it came, not compressed twice
        assert headers["content-encoding"] == "gzip"
        assert gzip.decompress(raw) == PAGE.encode()
    else:
        assert "content-encoding" not in headers
    assert "vary" not in headers
