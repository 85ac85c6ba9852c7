from hypothesis import given
from hypothesis import strategies as st

from kervan.web import public_intake


def test_receipt_reference_is_readable_and_unique() -> None:
    receipts = {public_intake.new_receipt("H").reference for _ in range(200)}
    assert len(receipts) == 200
    for reference in receipts:
        prefix, first, second = reference.split("-")
        assert prefix == "H" and len(first) == len(second) == 4
        assert not set(first + second) & set("01OI")


def test_typed_reference_is_normalised() -> None:
    receipt = public_intake.new_receipt("H")
    typed = receipt.reference.lower().replace("-", " ")
    assert public_intake.normalise_reference(typed) == receipt.reference


def test_only_the_right_secret_matches() -> None:
    receipt = public_intake.new_receipt("R")
    assert public_intake.secret_matches(receipt.secret_hash, receipt.secret)
    assert not public_intake.secret_matches(receipt.secret_hash, receipt.secret + "x")
    assert not public_intake.secret_matches(None, receipt.secret)


@given(st.text(max_size=40))
def test_an_unknown_reference_never_matches(offered: str) -> None:
    assert not public_intake.secret_matches(None, offered)


def test_honeypot() -> None:
    assert public_intake.is_bot({public_intake.HONEYPOT_FIELD: "http://spam"})
    assert not public_intake.is_bot({public_intake.HONEYPOT_FIELD: "  "})
    assert not public_intake.is_bot({})
