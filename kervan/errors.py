"""Domain errors. Each carries what an RFC 9457 problem document needs; the API and the CLI
render them, services only raise them.

Every error an officer can meet carries a stable ``code`` with named ``params`` besides its
English text: API clients get all three in problem+json, and the UI words the code from the
catalog (``kervan.messages``) in the officer's language, so rewording the English never
drops a translation. An error without its own code has its problem type as code."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    code: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.code:
            found.update(code=self.code, params=self.params)
        return found


class KervanError(Exception):
    status = 400
    type_slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        code: str = "",
        params: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.type_slug
        self.params = params or {}
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


class CodedValueError(ValueError):
    """A ``ValueError`` (what pydantic validators and row converters raise) with a code and
    named params, so the problem+json and the import report carry them."""

    def __init__(self, message: str, code: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Coded:
    """A sentence with its code and params: what a check returns instead of raising."""

    text: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def pydantic_field_errors(
    exc: Any, prefix: str = "", default: str = "request", skip: tuple[str, ...] = ()
) -> list[FieldError]:
    """A pydantic ``ValidationError``'s errors as field errors with codes: a ``CodedValueError``
    keeps its own, any other is coded ``input.<pydantic type>``."""
    found = []
    for e in exc.errors():
        where = prefix + ".".join(str(p) for p in e["loc"] if p not in skip)
        raised = (e.get("ctx") or {}).get("error")
        if isinstance(raised, CodedValueError):
            code, params = raised.code, raised.params
        else:
            code, params = f"input.{e['type']}", {}
        found.append(FieldError(where or default, e["msg"], code, params))
    return found


@dataclass
class ErrorCollector:
    """Gathers field errors so the caller is told every problem at once, not one per try."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str, code: str = "", **params: Any) -> None:
        self.errors.append(FieldError(field_name, message, code, params))

    def raise_if_any(self, detail: str = "The request has invalid fields", code: str = "") -> None:
        if self.errors:
            raise InvalidInput(detail, code=code, errors=self.errors)
