"""The repatriation pages' forms (``kervan.web.forms``): a return request (the consul's and the
public one share it), a leg, an officer's reason, a pin, the host's decision. Each refusal is
coded and shown next to its field; ``request_data`` and ``leg_data`` turn a checked form into
the API's own shapes, so a page and the API apply one set of rules."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

from pydantic import BeforeValidator

from kervan.errors import CodedValueError
from kervan.registry.codes import MEMBER_STATES
from kervan.repatriation import messages as m
from kervan.repatriation.models import DocumentStatus, LegMode
from kervan.repatriation.priority import PriorityReason
from kervan.repatriation.schemas import LegCreate, ReturnRequestCreate
from kervan.web.forms import FormDate, FormModel, OptionalFormDate, Reason, choice

MEMBERS = 3  # group members a page offers besides the applicant; larger groups: the API


def _pattern(pattern: str, code: str, *, optional: bool = False) -> BeforeValidator:
    def check(value: Any) -> str:
        text = str(value or "").strip().upper()
        if optional and not text:
            return ""
        if not re.fullmatch(pattern, text):
            raise CodedValueError(f"does not match {pattern}", code)
        return text

    return BeforeValidator(check)


def _state(value: Any) -> str:
    text = str(value or "").strip().upper()
    if text not in MEMBER_STATES:
        raise CodedValueError("choose a state", m.FORM_STATE)
    return text


def _yes(value: Any) -> bool:
    return str(value or "").strip().lower() in ("yes", "on", "true", "1")


State = Annotated[str, BeforeValidator(_state)]
Place = Annotated[str, _pattern(r"[A-Z0-9-]{2,40}", m.FORM_PLACE)]
Surname = Annotated[str, _pattern(r"[A-Z][A-Z '-]{0,199}", m.FORM_NAME)]
GivenNames = Annotated[str, _pattern(r"[A-Z '-]{0,200}", m.FORM_NAME, optional=True)]
OptionalSurname = Annotated[str, _pattern(r"[A-Z][A-Z '-]{0,199}", m.FORM_NAME, optional=True)]
Passport = Annotated[str, _pattern(r"[A-Z0-9]{1,20}", m.FORM_PASSPORT, optional=True)]
Sex = Annotated[str, _pattern(r"[MFX]", m.FORM_SEX)]
Yes = Annotated[bool, BeforeValidator(_yes)]


class RequestForm(FormModel):
    host_state: State
    origin: Place
    destination: Place
    destination_city: Annotated[str, BeforeValidator(lambda v: str(v or "")[:100])] = ""
    earliest_date: FormDate
    document_status: Annotated[DocumentStatus, choice(DocumentStatus, m.FORM_CHOICE)]
    contact: Annotated[str, BeforeValidator(lambda v: str(v or "")[:200])] = ""
    consent: Yes = False
    surname: Surname
    given_names: GivenNames = ""
    birth_date: FormDate
    sex: Sex = "X"
    passport_number: Passport = ""
    reason_medical: Yes = False
    reason_pregnancy: Yes = False
    reason_minors: Yes = False
    reason_elderly: Yes = False
    reason_stranded_in_transit: Yes = False
    reason_expired_stay: Yes = False
    reason_no_income: Yes = False
    member1_surname: OptionalSurname = ""
    member1_given_names: GivenNames = ""
    member1_birth_date: OptionalFormDate = None
    member1_relationship: Annotated[str, BeforeValidator(lambda v: str(v or "")[:40])] = ""
    member2_surname: OptionalSurname = ""
    member2_given_names: GivenNames = ""
    member2_birth_date: OptionalFormDate = None
    member2_relationship: Annotated[str, BeforeValidator(lambda v: str(v or "")[:40])] = ""
    member3_surname: OptionalSurname = ""
    member3_given_names: GivenNames = ""
    member3_birth_date: OptionalFormDate = None
    member3_relationship: Annotated[str, BeforeValidator(lambda v: str(v or "")[:40])] = ""

    @property
    def reasons(self) -> list[PriorityReason]:
        return [r for r in PriorityReason if getattr(self, f"reason_{r.value}")]

    def members(self) -> list[dict[str, Any]]:
        """The group members given (a surname makes a member)."""
        found = []
        for i in range(1, MEMBERS + 1):
            surname = getattr(self, f"member{i}_surname")
            if surname:
                found.append(
                    {
                        "index": i,
                        "primary_identifier": surname,
                        "secondary_identifier": getattr(self, f"member{i}_given_names"),
                        "birth_date": getattr(self, f"member{i}_birth_date"),
                        "relationship_to_applicant": getattr(self, f"member{i}_relationship")
                        or "family",
                    }
                )
        return found


def request_problems(values: dict[str, str], form: RequestForm | None) -> dict[str, str]:
    """What the fields say together: field → code (a member needs a birth date, consent is
    required). Read from the values as sent, so they show with the fields' own refusals."""
    problems = {}
    for i in range(1, MEMBERS + 1):
        named = values.get(f"member{i}_surname", "").strip()
        if named and not values.get(f"member{i}_birth_date", "").strip():
            problems[f"member{i}_birth_date"] = m.FORM_MEMBER_BIRTH
    if form is not None and form.birth_date > dt.date.today():
        problems["birth_date"] = m.FORM_BIRTH_FUTURE
    if values.get("consent", "").strip().lower() not in ("yes", "on", "true", "1"):
        problems["consent"] = m.CONSENT_REQUIRED
    return problems


def request_data(form: RequestForm, home_state: str) -> ReturnRequestCreate:
    travellers = [
        {
            "primary_identifier": form.surname,
            "secondary_identifier": form.given_names,
            "birth_date": form.birth_date,
            "sex": form.sex,
            "passport_number": form.passport_number or None,
            "passport_state": home_state if form.passport_number else None,
        }
    ]
    for member in form.members():
        travellers.append({k: v for k, v in member.items() if k != "index"})
    return ReturnRequestCreate.model_validate(
        {
            "host_state": form.host_state,
            "origin": form.origin,
            "destination": form.destination,
            "destination_city": form.destination_city,
            "earliest_date": form.earliest_date,
            "document_status": form.document_status,
            "priority_reasons": form.reasons,
            "contact": form.contact,
            "consent": form.consent,
            "travellers": travellers,
        }
    )


def _whole(low: int, high: int) -> BeforeValidator:
    def check(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        if not low <= number <= high:
            raise CodedValueError("out of range", m.FORM_NUMBER, low=low, high=high)
        return number

    return BeforeValidator(check)


def _moment(value: Any) -> dt.datetime:
    """A ``datetime-local`` field, read as UTC (the page says so)."""
    try:
        moment = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise CodedValueError("not a date and time", m.FORM_MOMENT) from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


Moment = Annotated[dt.datetime, BeforeValidator(_moment)]
ShortName = Annotated[str, _pattern(r".{1,100}", m.FORM_REQUIRED)]


class LegForm(FormModel):
    host_state: State
    mode: Annotated[LegMode, choice(LegMode, m.FORM_CHOICE)]
    operator: Annotated[str, BeforeValidator(lambda v: str(v or "").strip()[:100])]
    number: Annotated[str, _pattern(r"[A-Z0-9 -]{1,20}", m.FORM_LEG_NUMBER)]
    origin: Place
    origin_name: Annotated[str, BeforeValidator(lambda v: str(v or "").strip()[:100])]
    destination: Place
    destination_name: Annotated[str, BeforeValidator(lambda v: str(v or "").strip()[:100])]
    departs_at: Moment
    arrives_at: Moment
    seats: Annotated[int, _whole(1, 2000)]
    held_seats: Annotated[int, _whole(0, 2000)] = 0


def leg_problems(form: LegForm) -> dict[str, str]:
    problems = {}
    for name in ("operator", "origin_name", "destination_name"):
        if not getattr(form, name):
            problems[name] = m.FORM_REQUIRED
    if form.arrives_at < form.departs_at:
        problems["arrives_at"] = m.FORM_ARRIVES_BEFORE
    if form.held_seats > form.seats:
        problems["held_seats"] = m.FORM_HELD_TOO_MANY
    return problems


def leg_data(form: LegForm) -> LegCreate:
    return LegCreate.model_validate(form.model_dump())


class ReasonForm(FormModel):
    reason: Reason


class PinForm(ReasonForm):
    leg_id: Annotated[uuid.UUID, BeforeValidator(lambda v: _leg_choice(v))]


def _leg_choice(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise CodedValueError("choose a leg", m.FORM_CHOICE) from None


class HostDecisionForm(FormModel):
    agree: Yes = False
    reason: Annotated[str, BeforeValidator(lambda v: str(v or "").strip()[:300])] = ""
