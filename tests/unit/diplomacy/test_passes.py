"""kervan/diplomacy/passes.py, its rules without a database: the holder's name in ICAO letters,
and a pass that never outlives its accreditation nor its access window. (Issuing, revoking and
the signed revocation list over HTTP: tests/functional/test_diplomacy_api.py; the code's fit:
tests/unit/diplomacy/test_pass_codec.py.)"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kervan.diplomacy.passes import end_of, mrz_name, pass_claims

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_the_holder_is_written_in_icao_letters() -> None:
    assert mrz_name("Абдуллаев", "Ислом Каримович") == "ABDULLAEV<<ISLOM<KARIMOVICH"
    assert mrz_name("O'Neil-Smith", "") == "ONEIL<SMITH"  # no given name: no "<<"


@given(st.text(max_size=30), st.text(max_size=30))
def test_any_name_is_only_letters_and_fillers(primary: str, secondary: str) -> None:
    assert set(mrz_name(primary, secondary)) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")


def test_a_day_ends_at_its_last_second_in_utc() -> None:
    assert end_of(dt.date(2027, 3, 1)) == dt.datetime(2027, 3, 1, 23, 59, 59, tzinfo=dt.UTC)


def _request(window_end: dt.datetime) -> SimpleNamespace:
    return SimpleNamespace(
        window_start=NOW,
        window_end=window_end,
        controlling_state="KAZ",
        home_state="UZB",
        holder_primary="KARIMOV",
        holder_secondary="ULUGBEK",
        holder_as_written="Каримов Улуғбек",
        card_number="D-42",
        airport="ALA",
        zone_list=["airside"],
        terminal="1",
        purpose="meeting a delegation",
    )


@given(st.integers(1, 400), st.none() | st.integers(0, 400))
def test_a_pass_never_outlives_its_window_nor_its_accreditation(
    window_days: int, accreditation_days: int | None
) -> None:
    window_end = NOW + dt.timedelta(days=window_days)
    accreditation_end = (
        None if accreditation_days is None else (NOW + dt.timedelta(days=accreditation_days)).date()
    )
    request: Any = _request(window_end)  # the fields of an AccessRequest the claims read
    claims = pass_claims(request, accreditation_end, uuid.uuid4(), NOW)
    assert claims.valid_until <= window_end
    if accreditation_end is not None:
        assert claims.valid_until <= end_of(accreditation_end)
        assert claims.valid_until == min(window_end, end_of(accreditation_end))
    assert claims.airports == ("ALA",) and claims.holder_mrz == "KARIMOV<<ULUGBEK"
