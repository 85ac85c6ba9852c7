"""Forwarded headers are believed only from the configured proxies: a caller on the node's own
host (or anywhere) cannot choose the address the audit log records, the sign-in throttle's key,
nor make the node think it is served over HTTPS. Checked against ``kervan serve`` itself, since
the ASGI server's own handling of those headers is part of what is tested."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select

from kervan.accounts.models import AuditEntry, SignInThrottle
from kervan.config import Settings
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.demo.serving import free_port
from kervan.web.proxies import ProxyTrust

FORGED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def serving(database_url: str, **env: str) -> Iterator[str]:
    port = free_port()
    environment = {
        **os.environ,
        "KERVAN_DATABASE_URL": database_url,
        "KERVAN_SECRET_KEY": "a test secret that is long enough",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kervan", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("kervan serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _failed_sign_in(base: str) -> httpx.Response:
    with httpx.Client(base_url=base, headers=FORGED) as browser:
        form = browser.get("/sign-in")
        match = _TOKEN.search(form.text)
        assert match
        # Sent by hand: a client keeps a Secure cookie from going out over plain HTTP, which is
        # what the test itself speaks to the node (the "proxy" is the test).
        cookie = form.headers["set-cookie"].split(";", 1)[0]
        browser.cookies.clear()
        answer = browser.post(
            "/sign-in",
            data={"username": "nobody", "password": "wrong", "csrf_token": match.group(1)},
            headers={"Cookie": cookie},
        )
    answer.extensions["sign_in_form"] = form
    return answer


def _last_sign_in_address(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            entry = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "auth.sign_in")
                .order_by(AuditEntry.seq.desc())
            ).first()
            throttled = list(session.scalars(select(SignInThrottle.address)))
    finally:
        engine.dispose()
    assert entry is not None
    assert throttled == [entry.address]  # the throttle counts the same address
    return entry.address


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "kervan.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


def test_headers_from_an_untrusted_peer_are_ignored(sqlite_url: str) -> None:
    with serving(sqlite_url) as base:
        answer = _failed_sign_in(base)
    assert answer.status_code == 401
    assert _last_sign_in_address(sqlite_url) == "127.0.0.1"
    form = answer.extensions["sign_in_form"]
    assert "strict-transport-security" not in form.headers
    assert "secure" not in form.headers["set-cookie"].lower()


def test_headers_from_a_trusted_proxy_are_followed(sqlite_url: str) -> None:
    with serving(sqlite_url, KERVAN_TRUSTED_PROXIES="10.9.0.0/16, 127.0.0.1") as base:
        answer = _failed_sign_in(base)
    assert answer.status_code == 401
    assert _last_sign_in_address(sqlite_url) == "203.0.113.7"
    form = answer.extensions["sign_in_form"]
    assert form.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in form.headers["set-cookie"].lower()


# ----------------------------------------------------------------------------------------------
# The rules on their own


TRUST = ProxyTrust(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("192.0.2.1", "203.0.113.7", "192.0.2.1"),  # not through a proxy: the header is ignored
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # The client prepended an address of its own choosing: the proxy's hop wins.
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # Through two of our proxies.
        ("127.0.0.1", "203.0.113.7, 10.1.2.3", "203.0.113.7"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7, garbage, 10.1.2.3", "10.1.2.3"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_is_the_nearest_untrusted_hop(peer: str, header: str, client: str) -> None:
    assert (TRUST.client(peer, [header]) if TRUST.trusts(peer) else peer) == client


@given(st.text(max_size=300))
def test_any_forwarded_header_gives_an_address(header: str) -> None:
    client = TRUST.client("127.0.0.1", [header])
    assert client == "127.0.0.1" or client.strip() in header


@pytest.mark.parametrize(
    ("given_proto", "scheme"),
    [("https", "https"), ("HTTPS", "https"), ("http, https", "https"), ("javascript", "http")],
)
def test_the_scheme_is_the_nearest_proxy_s(given_proto: str, scheme: str) -> None:
    assert ProxyTrust.scheme("http", given_proto) == scheme


def test_the_setting_reads_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERVAN_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16,::1")
    assert Settings().trusted_proxies == ["10.0.0.5/32", "10.1.0.0/16", "::1/128"]
    monkeypatch.setenv("KERVAN_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == []
    monkeypatch.setenv("KERVAN_TRUSTED_PROXIES", "10.0.0.5, proxy.example")
    with pytest.raises(ValidationError, match=r"proxy\.example"):
        Settings()
