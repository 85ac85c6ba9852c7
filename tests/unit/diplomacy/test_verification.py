"""One reason per way a pass fails, in the order the rule checks them; parsers of hostile input
(CBOR, Base45, the pass text) fail only with their own error, whatever the bytes."""

from __future__ import annotations

import contextlib
import datetime as dt
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.diplomacy import base45, cbor
from kervan.diplomacy.codec import PREFIX, PassFormatError, open_pass, sign_pass
from kervan.diplomacy.verification import Post, Reason, SignerKey, verify_pass
from tests.unit.diplomacy.support import KID, NOW, claims, signer


def _verify(
    text: str,
    key: SignerKey | None,
    *,
    revoked: frozenset = frozenset(),
    now: dt.datetime = NOW,
    post: Post = Post(),
) -> Reason:
    return verify_pass(text, signer=lambda kid: key, revoked=revoked, now=now, post=post).reason


def test_a_good_pass_is_valid_at_its_airport_and_zone() -> None:
    private, key = signer()
    text = sign_pass(claims(), KID, private)
    assert _verify(text, key, post=Post("IST", "transit")) is Reason.VALID


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("forged", Reason.BAD_SIGNATURE),
        ("unknown", Reason.UNKNOWN_SIGNER),
        ("other-state-key", Reason.UNKNOWN_SIGNER),
        ("revoked", Reason.REVOKED),
        ("early", Reason.NOT_YET_VALID),
        ("late", Reason.EXPIRED),
        ("airport", Reason.WRONG_AIRPORT),
        ("zone", Reason.WRONG_ZONE),
        ("garbage", Reason.MALFORMED),
    ],
)
def test_each_failure_has_its_reason(case: str, expected: Reason) -> None:
    private, key = signer()
    text = sign_pass(claims(), KID, private)
    kwargs: dict = {}
    if case == "forged":  # signed by a key that is not the one on the trust list
        text = sign_pass(claims(), KID, signer()[0])
    elif case == "unknown":
        key = None
    elif case == "other-state-key":
        key = SignerKey(KID, "KAZ", key.public_key, lambda at: None)
    elif case == "revoked":
        kwargs["revoked"] = frozenset({claims().pass_id})
    elif case == "early":
        kwargs["now"] = NOW - dt.timedelta(hours=2)
    elif case == "late":
        kwargs["now"] = NOW + dt.timedelta(hours=48)
    elif case == "airport":
        kwargs["post"] = Post("SAW", None)
    elif case == "zone":
        kwargs["post"] = Post("IST", "arrivals")
    elif case == "garbage":
        text = PREFIX + "NOT:A:PASS"
    assert _verify(text, key, **kwargs) is expected


def test_a_key_revoked_on_the_trust_list_before_issue_is_an_unknown_signer() -> None:
    private, key = signer()
    revoked_key = SignerKey(KID, "TUR", key.public_key, lambda at: "key was revoked")
    assert _verify(sign_pass(claims(), KID, private), revoked_key) is Reason.UNKNOWN_SIGNER


def test_a_changed_claim_breaks_the_signature() -> None:
    private, key = signer()
    text = sign_pass(claims(), KID, private)
    raw = bytearray(zlib.decompress(base45.decode(text[len(PREFIX) :])))
    at = raw.find(b"IST")
    raw[at : at + 3] = b"SAW"
    tampered = PREFIX + base45.encode(zlib.compress(bytes(raw)))
    assert _verify(tampered, key) is Reason.BAD_SIGNATURE


def test_a_zip_bomb_is_refused_before_it_inflates() -> None:
    bomb = PREFIX + base45.encode(zlib.compress(b"\0" * 600_000, 9))
    with pytest.raises(PassFormatError, match="size limit"):
        open_pass(bomb)


def test_deep_nesting_and_huge_lengths_are_refused() -> None:
    with pytest.raises(cbor.CborError, match="deeply"):
        cbor.decode(b"\x81" * 50 + b"\x00")
    with pytest.raises(cbor.CborError):
        cbor.decode(b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff")  # an array of 2^64-1 items
    with pytest.raises(cbor.CborError, match="indefinite"):
        cbor.decode(b"\x9f\x00\xff")


@given(st.binary(max_size=300))
def test_cbor_reader_fails_only_with_its_own_error(data: bytes) -> None:
    with contextlib.suppress(cbor.CborError):
        cbor.decode(data)


@given(st.text(max_size=300))
def test_pass_reader_fails_only_with_its_own_error(text: str) -> None:
    with contextlib.suppress(PassFormatError):
        open_pass(PREFIX + text)


@given(st.binary(max_size=200))
def test_base45_round_trips(data: bytes) -> None:
    assert base45.decode(base45.encode(data)) == data


values = st.recursive(
    st.integers(-(2**63), 2**64 - 1)
    | st.text(max_size=20)
    | st.binary(max_size=20)
    | st.booleans()
    | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.integers(0, 50), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(values)
def test_cbor_round_trips_and_matches_cbor2(value: object) -> None:
    import cbor2

    encoded = cbor.encode(value)
    assert cbor.decode(encoded) == cbor2.loads(encoded) == value
