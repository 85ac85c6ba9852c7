"""Domain errors. Each carries what an RFC 9457 problem document needs; the API and the CLI
render them, services only raise them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class KervanError(Exception):
    status = 400
    type_slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra


class InvalidInput(KervanError):
    status = 422
    type_slug = "invalid-input"
    title = "The input is not valid"


class NotFound(KervanError):
    """Also what a caller gets for a record outside their state scope: its existence is not
    revealed to them."""

    status = 404
    type_slug = "not-found"
    title = "Not found"


class Conflict(KervanError):
    status = 409
    type_slug = "conflict"
    title = "Conflict with the current state of the record"


class Forbidden(KervanError):
    status = 403
    type_slug = "forbidden"
    title = "Not allowed"


class Unauthenticated(KervanError):
    status = 401
    type_slug = "unauthenticated"
    title = "Sign-in required"


@dataclass
class ErrorCollector:
    """Gathers field errors so the caller is told every problem at once, not one per try."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))

    def raise_if_any(self, detail: str = "The request has invalid fields") -> None:
        if self.errors:
            raise InvalidInput(detail, errors=self.errors)
