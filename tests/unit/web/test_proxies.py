"""kervan/web/proxies.py: forwarded headers are believed only as far as our own proxies go."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.web.proxies import MAX_HOPS, ProxyTrust, parse_networks

TRUST = ProxyTrust(["10.0.0.0/8", "::1"])


def test_networks_parse_and_a_bad_entry_is_named() -> None:
    assert [str(n) for n in parse_networks([" 10.0.0.5 ", "192.168.1.9/24"])] == [
        "10.0.0.5/32",
        "192.168.1.0/24",
    ]
    with pytest.raises(ValueError, match=r"'proxy\.local' is not"):
        parse_networks(["proxy.local"])


def test_the_client_is_the_nearest_hop_we_do_not_trust() -> None:
    # The client wrote "1.1.1.1" itself; our proxy 10.0.0.2 saw 203.0.113.7.
    assert TRUST.client("10.0.0.1", ["1.1.1.1, 203.0.113.7", "10.0.0.2"]) == "203.0.113.7"
    assert TRUST.client("10.0.0.1", ["garbage, 10.0.0.3"]) == "10.0.0.3"
    assert TRUST.client("10.0.0.1", []) == "10.0.0.1"


@given(st.lists(st.ip_addresses(v=4).map(str), max_size=40))
def test_a_chain_only_of_our_proxies_is_walked_at_most_max_hops(hops: list[str]) -> None:
    every = ProxyTrust(["0.0.0.0/0"])
    found = every.client("10.0.0.1", [", ".join(hops)])
    assert found == (hops[-min(len(hops), MAX_HOPS)] if hops else "10.0.0.1")


def test_the_scheme_is_the_nearest_proxy_s_and_only_http_or_https() -> None:
    assert ProxyTrust.scheme("http", "https") == "https"
    assert ProxyTrust.scheme("http", "ftp, HTTPS") == "https"
    assert ProxyTrust.scheme("https", "gopher") == "https"
    assert ProxyTrust.scheme("http", None) == "http"
