"""A whole number in a request body: what pydantic's lax ``int`` reads, except a boolean.

JSON's ``true`` is not a count of days or seats, but pydantic (lax mode) reads it as 1 because
Python's ``bool`` is an ``int``. Strict mode would refuse it, but also the digit strings that
forms and query strings carry, so the bodies' counts use this type instead."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def refuse_boolean(value: Any) -> Any:
    """Pass anything on to ``int``'s own checks, except ``True``/``False``: refused with the
    error an int field gives any other non-number (``int_type``), so clients and the catalogs
    see the usual code."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(refuse_boolean)]
