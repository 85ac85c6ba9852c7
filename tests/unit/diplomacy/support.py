"""Passes for the diplomacy tests: claims with every field, and a signer of a state."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kervan.diplomacy.codec import PassClaims
from kervan.diplomacy.verification import SignerKey

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
KID = "TUR:20261201-a1b2c3"


def claims(**changes: object) -> PassClaims:
    base = PassClaims(
        pass_id=uuid.UUID("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
        issuing_state="TUR",
        home_state="UZB",
        holder_mrz="ALIMOV<<BOBUR<RUSTAMOVICH",
        holder_native="Алимов Бобур Рустамович",
        accreditation="KZ-DC-004512",
        airports=("IST",),
        zones=("transit", "departures"),
        terminal="T1",
        valid_from=NOW - dt.timedelta(hours=1),
        valid_until=NOW + dt.timedelta(hours=47),
        purpose="Repatriation flight HY-278 TAS; 42 Uzbek nationals in the transit hall",
        issued_at=NOW - dt.timedelta(hours=2),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def signer(state: str = "TUR", kid: str = KID) -> tuple[Ed25519PrivateKey, SignerKey]:
    private = Ed25519PrivateKey.generate()
    return private, SignerKey(kid, state, private.public_key(), lambda at: None)
