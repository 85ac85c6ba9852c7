"""The federation demo's diplomacy step end to end, on four OS processes (``kervan demo
--federation``'s own prepare and start): UZB's consul asks TUR for Istanbul's transit hall,
TUR's border officer grants it, the pass reaches UZB; TUR's verifier API finds it valid, and
after a revocation TUR's signed revocation list names it and the check says revoked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kervan.demo.federation import STATES, DemoNode, NodeSession, prepare, start, stop, wait_ready
from kervan.exchange import compact
from tests.integration.test_federation_demo import _free_ports

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, DemoNode], Path]]:
    folder = tmp_path_factory.mktemp("federation")
    ports = dict(zip(STATES, _free_ports(len(STATES)), strict=True))
    prepared = prepare(folder, ports, 200, seed=16)
    processes = start(prepared, folder)
    try:
        wait_ready(prepared, processes, folder, seconds=120)
        yield {node.state: node for node in prepared}, folder
    finally:
        stop(processes)


def test_uzb_consul_gets_a_tur_pass_that_verifies_then_shows_revoked(
    nodes: tuple[dict[str, DemoNode], Path],
) -> None:
    from kervan.demo.diplomacy import airport_access_step

    by_state, folder = nodes
    uzb, tur = by_state["UZB"], by_state["TUR"]
    result = airport_access_step(uzb, tur, folder)
    issued = result["pass"]
    assert (folder / "diplomat-pass.pdf").read_bytes().startswith(b"%PDF")
    assert (folder / "diplomat-pass.txt").read_text().strip() == issued["text"]
    with NodeSession(tur, "border.tur") as border:
        checked = border.post("/api/v1/passes/verify", {"text": issued["text"], "airport": "IST"})
        assert checked["valid"] is True, checked
        border.post(f"/api/v1/passes/{issued['id']}/revocation", {"reason": "flight cancelled"})
        again = border.post("/api/v1/passes/verify", {"text": issued["text"]})
        assert again["reason"] == "revoked"
    listed = compact.parse(httpx.get(f"{tur.url}/api/v1/passes/revocations").text)
    assert issued["id"] in json.loads(listed.payload)["revoked"]
    verifier = httpx.get(f"{tur.url}/verify")
    assert verifier.status_code == 200 and "/verify/manifest.webmanifest" in verifier.text
