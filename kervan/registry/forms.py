"""The register pages' forms (``kervan.web.forms``): issuing a stay document, and extending or
revoking one."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from kervan.errors import CodedValueError
from kervan.registry import messages
from kervan.registry.enums import StayKind, StayPurpose
from kervan.web.forms import FormDate, FormModel, Reason, choice


def _number(text: str) -> str:
    if not text:
        raise CodedValueError("enter the document number", messages.NUMBER_REQUIRED)
    return text


class IssueForm(FormModel):
    kind: Annotated[StayKind, choice(StayKind, messages.CHOOSE_KIND)]
    purpose: Annotated[StayPurpose, choice(StayPurpose, messages.CHOOSE_PURPOSE)]
    number: Annotated[str, AfterValidator(_number)]
    valid_from: FormDate
    valid_until: FormDate
    reason: Reason


class RevokeForm(FormModel):
    reason: Reason


class ExtendForm(RevokeForm):
    valid_until: FormDate
