"""Shared pieces of the assistance tests: a case body as an officer would enter it."""

from __future__ import annotations

from typing import Any


def case_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Karimov Jasur",
        "nationality": "UZB",
        "birth_date": "1991-04-12",
        "document_number": "FA1234567",
        "requester": "employer",
        "requester_name": "Almaty Stroy LLP",
        "needs": ["wages_or_job", "shelter"],
        "vulnerabilities": [],
        "urgency": "high",
        "region": "Almaty",
        "city": "Almaty",
        "language": "uz",
        "contact": "+7 701 555 12 34",
        "description": "Site closed by quarantine; three months of wages unpaid.",
        "consent": {"given_by": "Karimov Jasur", "how": "in_person"},
    }
    body.update(overrides)
    return body
