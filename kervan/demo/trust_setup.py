"""Setting up several nodes at once: a key per node and a first trust list co-signed by the
secretariat and enough member states. Used by ``kervan demo --federation`` and by the tests;
a real federation does the same steps by hand with ``kervan keys`` and ``kervan trust``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kervan.db.base import utcnow
from kervan.exchange import keys, trust
from kervan.exchange.envelopes import iso
from kervan.exchange.keys import SigningKey
from kervan.registry.codes import SECRETARIAT


def key_entry(
    signing: SigningKey,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
    revoked_at: dt.datetime | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"jwk": signing.public_jwk(), "valid_from": iso(valid_from)}
    if valid_until is not None:
        entry["valid_until"] = iso(valid_until)
    if revoked_at is not None:
        entry["revoked_at"] = iso(revoked_at)
    return entry


def trust_content(
    version: int,
    threshold: int,
    endpoints: dict[str, str],
    key_entries: dict[str, list[dict[str, Any]]],
    issued_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "version": version,
        "issued_at": iso(issued_at),
        "threshold": threshold,
        "nodes": [
            {"state": s, "endpoint": endpoints[s], "keys": key_entries[s]}
            for s in sorted(endpoints)
        ],
    }


def signed(content: dict[str, Any], signers: list[SigningKey]) -> dict[str, Any]:
    document = trust.load_document(json.dumps(content))
    for signing in signers:
        document = trust.sign(document, signing)
    return document


def make_federation(
    keys_root: Path, endpoints: dict[str, str], threshold: int | None = None
) -> tuple[dict[str, Any], dict[str, SigningKey]]:
    """A key for each state (in ``keys_root/<STATE>``) and trust list v1 signed by all."""
    now = utcnow()
    signing = {state: keys.generate(keys_root / state, state) for state in endpoints}
    members = [s for s in endpoints if s != SECRETARIAT]
    content = trust_content(
        1,
        threshold or max(1, min(3, len(members))),
        endpoints,
        {s: [key_entry(k, now - dt.timedelta(minutes=5))] for s, k in signing.items()},
        now,
    )
    return signed(content, list(signing.values())), signing
