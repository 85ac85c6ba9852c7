"""kervan/exchange/service.py: the operations' own rules — the trust list a draft makes, the
key a node signs with, the batch limit — without a database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kervan.config import Settings
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.errors import KervanError
from kervan.exchange import messages, service, trust
from kervan.exchange.keys import SigningKey, new_key
from kervan.exchange.limits import PayloadTooLarge
from tests.unit.exchange.support import ENDPOINTS

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def signers() -> dict[str, SigningKey]:
    return {state: new_key(state) for state in ENDPOINTS}


def test_a_draft_keeps_the_base_adds_keys_and_revokes(signers: dict[str, SigningKey]) -> None:
    entries = {s: [key_entry(k, NOW - dt.timedelta(days=1))] for s, k in signers.items()}
    base = signed(trust_content(1, 2, ENDPOINTS, entries, NOW), [])  # a draft, unsigned
    rotated = new_key("KAZ")
    content = service.draft_trust_list(
        2,
        None,
        [("KAZ", "https://kaz.example", key_entry(rotated, NOW))],
        based_on=base,
        revoke=[signers["UZB"].kid],
        now=NOW,
    )
    parsed = trust.parse_content(content)
    assert content["version"] == 2 and content["threshold"] == 2  # kept from the base
    assert [n["state"] for n in content["nodes"]] == sorted(ENDPOINTS)
    kaz = next(n for n in content["nodes"] if n["state"] == "KAZ")
    assert kaz["endpoint"] == "https://kaz.example"
    assert [k["jwk"]["kid"] for k in kaz["keys"]] == [signers["KAZ"].kid, rotated.kid]
    uzb_key = parsed.key(signers["UZB"].kid)
    assert uzb_key is not None and uzb_key.revoked_at == NOW


def test_a_key_exported_again_replaces_its_entry(signers: dict[str, SigningKey]) -> None:
    entries = [(s, ENDPOINTS[s], key_entry(k, NOW)) for s, k in signers.items()]
    again = [("TUR", ENDPOINTS["TUR"], key_entry(signers["TUR"], NOW + dt.timedelta(hours=1)))]
    content = service.draft_trust_list(1, 2, entries + again, now=NOW)
    tur = next(n for n in content["nodes"] if n["state"] == "TUR")
    assert len(tur["keys"]) == 1 and tur["keys"][0]["valid_from"].startswith("2026-12-01T10:00")


def test_a_draft_that_would_not_be_a_trust_list_is_refused(signers: dict[str, SigningKey]) -> None:
    entries = [(s, ENDPOINTS[s], key_entry(k, NOW)) for s, k in signers.items()]
    with pytest.raises(KervanError) as caught:
        service.draft_trust_list(1, 9, entries, now=NOW)  # more co-signers than members
    assert caught.value.code == messages.TRUST_THRESHOLD


class _NoKey:
    def for_signing(self, listed: Any, now: dt.datetime) -> SigningKey:
        raise KervanError("no key in the folder", code="exchange.key-missing")


def test_a_node_without_a_usable_key_is_not_configured() -> None:
    with pytest.raises(service.NotConfigured) as caught:
        service.signing_key(_NoKey(), None)
    assert caught.value.status == 503 and caught.value.code == messages.NOT_CONFIGURED


def test_a_batch_over_the_limit_is_refused_before_anything_is_read() -> None:
    settings = Settings(state="KAZ", exchange_max_batch_envelopes=2)
    with pytest.raises(PayloadTooLarge) as caught:
        service.receive(None, settings, _NoKey(), ["a", "b", "c"], source="peer")  # type: ignore[arg-type]
    assert caught.value.code == messages.BATCH_TOO_LARGE and caught.value.params == {"limit": 2}
