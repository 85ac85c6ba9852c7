"""Compressed pages and JSON for consulates on slow lines: brotli, zstd or gzip, whichever the
client prefers by its ``Accept-Encoding`` q-values (ours, on a tie: brotli, which makes the
smallest pages, then zstd, then gzip).

Left alone: responses already encoded (a pre-compressed file, a peer's answer passed on),
streams without a known length (exports, events: they must flow, not wait for the end), partial
content, small bodies and types that are compressed already (images, PDF, XLSX). Whatever could
be compressed says ``Vary: Accept-Encoding``, so that no cache hands a brotli page to a client
that asked for gzip. Pages carry their CSRF token under a fresh mask each time
(``kervan.web.security.mask_token``), so that compression does not let a reflected guess find
it (BREACH)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import brotli
import zstandard
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 500  # bytes: below this the headers cost more than compression saves
BROTLI_QUALITY = 5  # 11 is for files compressed once; 5 keeps a page under a few ms
ZSTD_LEVEL = 3
GZIP_LEVEL = 6
PREFERENCE = ("br", "zstd", "gzip")  # ours, when the client likes several equally
_COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
_COMPRESSIBLE_SUFFIXES = ("+json", "+xml", "/xml")


def choose_encoding(accept_encoding: str) -> str | None:
    """The coding to answer with: the client's highest q-value among ours, ties to our order;
    ``*`` stands for any coding the header does not name; q=0 refuses. None: send as is."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if name:
            weights[name] = _q_value(params)
    star = weights.get("*")
    best, best_q = None, 0.0
    for coding in PREFERENCE:
        q = weights.get(coding, star if star is not None else 0.0)
        if q > best_q:
            best, best_q = coding, q
    return best


def _q_value(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def compressible(headers: Headers) -> bool:
    """Whether a response of these headers is worth compressing at all."""
    if "content-encoding" in headers or "content-range" in headers:
        return False
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type.startswith(_COMPRESSIBLE) or content_type.endswith(_COMPRESSIBLE_SUFFIXES)


@dataclass
class Encoder:
    """One response's compressor: ``feed`` each chunk, ``finish`` after the last."""

    feed: Callable[[bytes], bytes]
    finish: Callable[[], bytes]


def encoder(coding: str) -> Encoder:
    if coding == "br":
        br = brotli.Compressor(quality=BROTLI_QUALITY)
        return Encoder(br.process, br.finish)
    if coding == "zstd":
        zstd = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        return Encoder(zstd.compress, zstd.flush)
    gz = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: the gzip wrapper
    return Encoder(gz.compress, gz.flush)


def compress(coding: str, body: bytes) -> bytes:
    coder = encoder(coding)
    return coder.feed(body) + coder.finish()


class CompressionMiddleware:
    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        coding = choose_encoding(Headers(scope=scope).get("accept-encoding", ""))
        await self.app(scope, receive, _Responder(send, coding, self.minimum_size).send)


class _Responder:
    """Holds the response's start until its first body chunk says whether to compress."""

    def __init__(self, send: Send, coding: str | None, minimum_size: int) -> None:
        self._send = send
        self._coding = coding
        self._minimum = minimum_size
        self._start: Message | None = None
        self._encoder: Encoder | None = None
        self._passing = False

    async def send(self, message: Message) -> None:
        if self._passing:
            await self._send(message)
        elif message["type"] == "http.response.start":
            self._start = message
        elif message["type"] != "http.response.body":  # trailers, a pathsend: as they are
            await self._pass(message)
        elif self._encoder is None:
            await self._first_body(message)
        else:
            await self._next_body(message)

    async def _pass(self, message: Message) -> None:
        self._passing = True
        if self._start is not None:
            await self._send(self._start)
        await self._send(message)

    async def _first_body(self, message: Message) -> None:
        assert self._start is not None
        headers = MutableHeaders(raw=self._start["headers"])
        body: bytes = message.get("body", b"")
        more = bool(message.get("more_body", False))
        status = int(self._start["status"])
        # A stream without a length is left to flow; a file sent in chunks has one.
        streaming = more and "content-length" not in headers
        if status < 200 or status in (204, 206, 304) or streaming or not compressible(headers):
            await self._pass(message)
            return
        length = int(headers.get("content-length", len(body))) if more else len(body)
        if length < self._minimum:
            await self._pass(message)
            return
        headers.add_vary_header("Accept-Encoding")
        if self._coding is None:
            await self._pass(message)
            return
        self._encoder = encoder(self._coding)
        headers["content-encoding"] = self._coding
        _weaken_etag(headers)
        if more:
            del headers["content-length"]
            chunk = self._encoder.feed(body)
        else:
            chunk = self._encoder.feed(body) + self._encoder.finish()
            headers["content-length"] = str(len(chunk))
        self._start["headers"] = headers.raw
        await self._send(self._start)
        await self._send({"type": "http.response.body", "body": chunk, "more_body": more})

    async def _next_body(self, message: Message) -> None:
        assert self._encoder is not None
        more = bool(message.get("more_body", False))
        chunk = self._encoder.feed(message.get("body", b""))
        if not more:
            chunk += self._encoder.finish()
        await self._send({"type": "http.response.body", "body": chunk, "more_body": more})


def _weaken_etag(headers: MutableHeaders) -> None:
    """The compressed bytes differ from what a strong ETag names: the tag becomes weak."""
    etag = headers.get("etag")
    if etag and not etag.startswith("W/"):
        headers["etag"] = f"W/{etag}"
