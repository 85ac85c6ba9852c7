"""Request bodies for register tests."""

from __future__ import annotations

from typing import Any


def person_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "primary_name": "Раҳимов",
        "secondary_name": "Ўткир",
        "nationality": "UZB",
        "birth_date": {"year": 1988, "month": 3, "day": 14},
        "sex": "M",
        "travel_documents": [
            {"number": "FA1234567", "issuing_state": "UZB", "expiry_date": "2030-01-01"}
        ],
    }
    body.update(overrides)
    return body


def document_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "work_permit",
        "number": "WK12345678",
        "purpose": "work",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "reason": "employer application 2026/17",
    }
    body.update(overrides)
    return body
