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
from kervan.repatriation.schemas import LegCreate, ReturnRequestCreate, TravellerIn
from kervan.web.forms import FormDate, FormModel, OptionalFormDate, Reason, choice, read_form
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import FormErrors

# Group members a page takes besides the applicant: a form of the repeated fieldset must stay
# inside the fields a page reads (``kervan.web.forms.MAX_FIELDS``, 4 fields a member); a group
# of up to 12 comes through the API or an import.
MEMBERS_MAX = 9
MEMBER_FIELDS = ("surname", "given_names", "birth_date", "relationship")


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
Passport = Annotated[str, _pattern(r"[A-Z0-9]{1,20}", m.FORM_PASSPORT, optional=True)]
Sex = Annotated[str, _pattern(r"[MFX]", m.FORM_SEX)]
Yes = Annotated[bool, BeforeValidator(_yes)]


class MemberForm(FormModel):
    """A person travelling with the applicant (one row of the repeated fieldset)."""

    surname: Surname
    given_names: GivenNames = ""
    birth_date: OptionalFormDate = None
    relationship: Annotated[str, BeforeValidator(lambda v: str(v or "")[:40])] = ""


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
    group: tuple[MemberForm, ...] = ()

    @property
    def reasons(self) -> list[PriorityReason]:
        return [r for r in PriorityReason if getattr(self, f"reason_{r.value}")]

    def members(self) -> list[dict[str, Any]]:
        """The group members given (a surname makes a member), numbered from 1."""
        return [
            {
                "index": i,
                "primary_identifier": member.surname,
                "secondary_identifier": member.given_names,
                "birth_date": member.birth_date,
                "relationship_to_applicant": member.relationship or "family",
            }
            for i, member in enumerate(self.group, start=1)
        ]


def member_rows(sent: dict[str, str]) -> int:
    """How many member rows the form shows: the ``members`` field, or the last row sent with
    anything in it; one more when "add another person" was pressed; at most MEMBERS_MAX."""
    try:
        rows = int(sent.get("members", "").strip() or 0)
    except ValueError:
        rows = 0
    for i in range(MEMBERS_MAX, 0, -1):
        if any(sent.get(f"member{i}_{name}", "").strip() for name in MEMBER_FIELDS):
            rows = max(rows, i)
            break
    if sent.get("add_member"):
        rows += 1
    return max(0, min(rows, MEMBERS_MAX))


def request_values(sent: dict[str, str]) -> dict[str, str]:
    """The request form as the officer typed it, to show again: its own fields, then the
    member rows (``member{i}_surname`` …) and their count (``members``)."""
    values = {name: sent.get(name, "") for name in RequestForm.model_fields if name != "group"}
    rows = member_rows(sent)
    values["members"] = str(rows)
    for i in range(1, rows + 1):
        for name in MEMBER_FIELDS:
            values[f"member{i}_{name}"] = sent.get(f"member{i}_{name}", "")
    return values


def group_of(values: dict[str, str]) -> list[dict[str, str]]:
    """The member rows with a surname, each as {field: text} and its row number (``row``)."""
    found = []
    for i in range(1, member_rows(values) + 1):
        row = {name: values.get(f"member{i}_{name}", "") for name in MEMBER_FIELDS}
        if row["surname"].strip():
            found.append({"row": str(i), **row})
    return found


def read_group(
    translator: Translator, values: dict[str, str], errors: FormErrors
) -> tuple[MemberForm, ...]:
    """The group's members from their rows; each refusal on its row's field."""
    group = []
    for row in group_of(values):
        found = FormErrors()
        member = read_form(translator, MemberForm, row, found)
        for name, text in found.items():
            errors.setdefault(f"member{row['row']}_{name}", text)
        if member is not None:
            group.append(member)
    return tuple(group)


def request_problems(values: dict[str, str], form: RequestForm | None) -> dict[str, str]:
    """What the fields say together: field → code (a member needs a birth date, consent is
    required). Read from the values as sent, so they show with the fields' own refusals."""
    problems = {}
    for row in group_of(values):
        if not row["birth_date"].strip():
            problems[f"member{row['row']}_birth_date"] = m.FORM_MEMBER_BIRTH
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


def values_of(request: Any) -> dict[str, str]:
    """A registered request as the form shows it, to edit (``request_values``' shape)."""
    applicant, members = request.travellers[0], request.travellers[1:]
    values = {
        "host_state": request.host_state, "origin": request.origin,
        "destination": request.destination, "destination_city": request.destination_city,
        "earliest_date": request.earliest_date.isoformat(),
        "document_status": request.document_status.value, "contact": request.contact,
        "consent": "yes", "surname": applicant.primary_identifier,
        "given_names": applicant.secondary_identifier,
        "birth_date": applicant.birth_date.isoformat(), "sex": applicant.sex,
        "passport_number": applicant.passport_number or "", "members": str(len(members)),
    }  # fmt: skip
    for reason in PriorityReason:
        chosen = reason.value in request.priority_reasons.split(",")
        values[f"reason_{reason.value}"] = "yes" if chosen else ""
    for i, member in enumerate(members, start=1):
        values[f"member{i}_surname"] = member.primary_identifier
        values[f"member{i}_given_names"] = member.secondary_identifier
        values[f"member{i}_birth_date"] = member.birth_date.isoformat()
        values[f"member{i}_relationship"] = member.relationship_to_applicant
    return values


def edited_data(form: RequestForm, request: Any) -> ReturnRequestCreate:
    """The edited request in the API's shape. The page does not show the members' passports
    or sex: a member still named with the same date of birth keeps them. A group larger than
    the page takes is not shown as rows and is kept as it is."""
    data = request_data(form, request.home_state)
    if request.size > MEMBERS_MAX + 1:
        kept = [TravellerIn.model_validate(t, from_attributes=True) for t in request.travellers[1:]]
        return data.model_copy(update={"travellers": [data.travellers[0], *kept]})
    known = {(t.primary_identifier, t.birth_date): t for t in request.travellers[1:]}
    for i, traveller in enumerate(data.travellers[1:], start=1):
        before = known.get((traveller.primary_identifier, traveller.birth_date))
        if before is not None:
            data.travellers[i] = traveller.model_copy(
                update={
                    "sex": before.sex,
                    "passport_number": before.passport_number,
                    "passport_state": before.passport_state,
                }
            )
    return data


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


class ReceptionForm(FormModel):
    """A destination's reception places on a day (0: nobody can be received that day)."""

    destination: Place
    day: FormDate
    places: Annotated[int, _whole(0, 100_000)]


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
