"""Forwarded headers, believed only from the reverse proxies the operator named.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are plain request headers: anyone can send them.
Taken at face value, they let a caller choose the address the audit log records, dodge the
sign-in throttle (one address per guess) and make the node think it is served over HTTPS. So
the node reads them only when the connection comes from an address in ``trusted_proxies``
(``KERVAN_TRUSTED_PROXIES``; none by default), and the ASGI server is told to read none
itself (``SERVER_OPTIONS``: uvicorn would otherwise trust them from 127.0.0.1, i.e. from
anyone with a shell on the host).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# For every ``uvicorn.run`` / ``uvicorn.Config`` of the node: this middleware decides.
SERVER_OPTIONS: dict[str, Any] = {"proxy_headers": False, "forwarded_allow_ips": ""}
# A chain longer than this is not a real deployment; only its nearest hops are read.
MAX_HOPS = 16
_SCHEMES = frozenset({"http", "https"})


def parse_networks(values: Iterable[str]) -> list[IPNetwork]:
    """``10.0.0.5``, ``10.0.0.0/24``, ``::1``… ; raises ``ValueError`` naming a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or network") from exc
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class ProxyTrust:
    def __init__(self, networks: Iterable[str]) -> None:
        self.networks = parse_networks(networks)

    def trusts(self, host: str) -> bool:
        address = _address(host)
        return address is not None and any(address in n for n in self.networks)

    def client(self, peer: str, forwarded_for: list[str]) -> str:
        """The nearest address that is not one of our proxies: walk the chain from the right
        (what our own proxy appended) and stop at the first hop we do not trust — everything
        left of it was written by the client and may be invented."""
        hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
        client = peer
        for hop in reversed(hops[-MAX_HOPS:]):
            if _address(hop) is None:
                break  # garbage in the chain: keep the last hop we could vouch for
            client = hop
            if not self.trusts(hop):
                break
        return client

    @staticmethod
    def scheme(current: str, forwarded_proto: str | None) -> str:
        if not forwarded_proto:
            return current
        nearest = forwarded_proto.split(",")[-1].strip().lower()
        return nearest if nearest in _SCHEMES else current


class ForwardedHeadersMiddleware:
    """Rewrites the connection's client address and scheme from the forwarded headers, for a
    request that came through a trusted proxy; leaves every other request as it is. Added
    outermost, so the audit log, the throttle, cookies and HSTS all see the same answer."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.trust = ProxyTrust(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and peer and self.trust.trusts(peer[0]):
            headers = Headers(scope=scope)
            scope = dict(scope)
            scope["client"] = (self.trust.client(peer[0], headers.getlist("x-forwarded-for")), 0)
            scope["scheme"] = self.trust.scheme(scope["scheme"], headers.get("x-forwarded-proto"))
        await self.app(scope, receive, send)
