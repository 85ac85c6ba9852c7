"""An MRZ that does not parse, as the problem an officer reads: the check that failed, coded,
with the field it concerns (``MRZError`` carries both)."""

from __future__ import annotations

from kervan.errors import FieldError, InvalidInput
from kervan.identity.mrz import MRZError


def invalid_mrz(exc: MRZError) -> InvalidInput:
    return InvalidInput(
        f"invalid MRZ: {exc}",
        errors=[FieldError(exc.field or "mrz", str(exc), exc.code, exc.params)],
        code=exc.code,
        params=exc.params,
    )
