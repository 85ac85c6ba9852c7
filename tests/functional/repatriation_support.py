"""What the repatriation tests share: ten UZB nationals in KAZ (names, passports, their MRZ
as the gate reads it), a request body, a leg body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kervan.db.base import utcnow
from kervan.identity.mrz_build import MRZFields, build_mrz

API = "/api/v1/repatriation"
NAMES = ["KARIMOV", "RASHIDOVA", "YUSUPOV", "TOSHEVA", "NAZAROV",
         "ERGASHEVA", "SAIDOV", "XOLMATOVA", "QODIROV", "MIRZAEVA"]  # fmt: skip


def passport(i: int) -> str:
    return f"FA{7000000 + i}"


def mrz(i: int) -> list[str]:
    fields = MRZFields(
        document_number=passport(i),
        nationality="UZB",
        birth_date=dt.date(1980 + i, 1 + i, 10),
        expiry_date=dt.date(2031, 1, 1),
        primary_identifier=NAMES[i],
        secondary_identifier="ALISHER",
        sex="M",
    )
    return list(build_mrz("TD3", fields))


def traveller(i: int) -> dict[str, Any]:
    return {
        "primary_identifier": NAMES[i],
        "secondary_identifier": "ALISHER",
        "birth_date": dt.date(1980 + i, 1 + i, 10).isoformat(),
        "sex": "M",
        "passport_number": passport(i),
        "passport_state": "UZB",
    }


def request_body(travellers: list[dict[str, Any]], reasons: list[str], **more: Any) -> dict:
    return {
        "host_state": "KAZ",
        "origin": "ALA",
        "destination": "TAS",
        "earliest_date": utcnow().date().isoformat(),
        "document_status": "valid_passport",
        "priority_reasons": reasons,
        "consent": True,
        "travellers": travellers,
        **more,
    }


def leg_body(departs: dt.datetime) -> dict[str, Any]:
    return {
        "host_state": "KAZ",
        "mode": "flight",
        "operator": "Uzbekistan Airways",
        "number": "HY 2712",
        "origin": "ALA",
        "origin_name": "Almaty",
        "destination": "TAS",
        "destination_name": "Tashkent",
        "departs_at": departs.isoformat(),
        "arrives_at": (departs + dt.timedelta(hours=2)).isoformat(),
        "seats": 12,
        "held_seats": 1,
    }
