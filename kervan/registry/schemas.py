"""API shapes of the register: separate Create / Update / Public models per resource."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from kervan.errors import CodedValueError
from kervan.plain_text import NO_CONTROL_CHARACTERS
from kervan.registry.codes import validate_region_code, validate_state_code
from kervan.registry.enums import (
    Sex,
    StayEventKind,
    StayKind,
    StayPurpose,
    StayStatus,
    TravelDocumentType,
    ViolationKind,
    ViolationStatus,
)
from kervan.registry.messages import BIRTH_DATE
from kervan.whole_numbers import WholeNumber

T = TypeVar("T")

StateCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=3)
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NO_CONTROL_CHARACTERS)
]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
#: Where a stay is: an ISO 3166-2 subdivision code (``KZ-75``, ``UZ-TK``).
RegionCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=4, max_length=6),
    AfterValidator(validate_region_code),
    Field(description="ISO 3166-2 subdivision code of the place of stay", examples=["KZ-75"]),
]


def _state(value: str) -> str:
    return validate_state_code(value)


class BirthDate(BaseModel):
    """A date of birth whose day, or month and day, may be unknown (ICAO 9303)."""

    year: WholeNumber = Field(ge=1880, le=2100)
    month: WholeNumber | None = Field(None, ge=1, le=12)
    day: WholeNumber | None = Field(None, ge=1, le=31)

    @field_validator("day")
    @classmethod
    def _day_needs_month(cls, day: int | None, info: Any) -> int | None:
        if day is not None and info.data.get("month") is None:
            raise ValueError("a day of birth needs a month")
        return day

    def text(self) -> str:
        month = f"{self.month:02d}" if self.month else "XX"
        day = f"{self.day:02d}" if self.day else "XX"
        return f"{self.year:04d}-{month}-{day}"

    @classmethod
    def parse(cls, text: str) -> BirthDate:
        """Read ``1990-05-17``, ``1990-05-XX``, ``1990-XX-XX`` or ``1990``."""
        parts = text.strip().split("-")
        if not parts[0].isdigit() or len(parts) > 3:
            raise CodedValueError(
                f"{text!r} is not a date of birth (YYYY-MM-DD, XX for unknown)", BIRTH_DATE
            )

        def part(i: int) -> int | None:
            if len(parts) <= i or parts[i].upper() in ("XX", "00", ""):
                return None
            if not parts[i].isdigit():
                raise CodedValueError(
                    f"{text!r} is not a date of birth (YYYY-MM-DD, XX for unknown)", BIRTH_DATE
                )
            return int(parts[i])

        return cls(year=int(parts[0]), month=part(1), day=part(2))


class TravelDocumentIn(BaseModel):
    document_type: TravelDocumentType = TravelDocumentType.PASSPORT
    number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9]{1,20}$")
    ]
    issuing_state: StateCode
    expiry_date: dt.date | None = None

    _check_state = field_validator("issuing_state")(_state)


class TravelDocumentPublic(TravelDocumentIn):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID


class PersonCreate(BaseModel):
    primary_name: Name = Field(min_length=1, description="Family name(s) as written, any script")
    secondary_name: Name = Field("", description="Given name(s) as written, any script")
    patronymic: Name = ""
    primary_identifier: Name | None = Field(
        None, description="ICAO 9303 Latin form from the passport's MRZ; derived if omitted"
    )
    secondary_identifier: Name | None = None
    nationality: StateCode
    birth_date: BirthDate
    sex: Sex
    travel_documents: list[TravelDocumentIn] = Field(default_factory=list, max_length=10)

    _check_state = field_validator("nationality")(_state)


#: Fields of a correction that may be left out but not sent as null.
NOT_NULL_CORRECTIONS = ("primary_name", "secondary_name", "patronymic", "nationality", "sex")


class PersonCorrection(BaseModel):
    """Fields to correct; omitted fields stay as they are. A reason is required."""

    primary_name: Name | None = None
    secondary_name: Name | None = None
    patronymic: Name | None = None
    primary_identifier: Name | None = None
    secondary_identifier: Name | None = None
    nationality: StateCode | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    reason: Reason

    @field_validator("nationality")
    @classmethod
    def _check_state(cls, value: str | None) -> str | None:
        return None if value is None else validate_state_code(value)

    @field_validator(*NOT_NULL_CORRECTIONS, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # The type allows None only so that a field can be left out; sent as null it would
        # blank a column every person has.
        if value is None:
            raise ValueError("may not be null: leave the field out to keep it as it is")
        return value


class PersonSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    primary_name: str
    secondary_name: str
    primary_identifier: str
    secondary_identifier: str
    nationality: str
    birth_date: str
    sex: Sex


class StayDocumentCreate(BaseModel):
    kind: StayKind
    number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=32)
    ]
    purpose: StayPurpose
    valid_from: dt.date
    valid_until: dt.date
    region: RegionCode | None = None
    reason: Reason = "issued"


class StayDocumentExtend(BaseModel):
    valid_until: dt.date = Field(description="The new last day of validity")
    reason: Reason


class StayDocumentReason(BaseModel):
    reason: Reason


class StayDocumentCorrection(BaseModel):
    number: str | None = None
    purpose: StayPurpose | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    region: RegionCode | None = None
    reason: Reason


class StayDocumentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    person_id: uuid.UUID
    kind: StayKind
    number: str
    host_state: str
    purpose: StayPurpose
    valid_from: dt.date
    valid_until: dt.date
    status: StayStatus
    nationality: str
    region: str | None = None


class StayEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    kind: StayEventKind
    at: dt.datetime
    actor: str
    reason: str
    measure_id: uuid.UUID | None
    old_values: dict[str, Any]
    new_values: dict[str, Any]


class ViolationCreate(BaseModel):
    kind: ViolationKind
    document_id: uuid.UUID | None = None
    period_start: dt.date
    period_end: dt.date | None = None
    fine_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    fine_currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    notes: str = ""


class ViolationWaive(BaseModel):
    reason: Reason = Field(description="Why the penalty is forgiven (audited, told the home state)")


class ViolationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    person_id: uuid.UUID
    document_id: uuid.UUID | None
    kind: ViolationKind
    period_start: dt.date
    period_end: dt.date | None
    fine_amount: Decimal | None
    fine_currency: str | None
    status: ViolationStatus
    waived_by_measure_id: uuid.UUID | None
    notes: str
    recorded_at: dt.datetime
    recorded_by: str


class PersonPublic(PersonSummary):
    patronymic: str
    name_script: str
    travel_documents: list[TravelDocumentPublic]
    stay_documents: list[StayDocumentPublic]
    violations: list[ViolationPublic]


class SearchHit(BaseModel):
    person: PersonSummary
    score: float = Field(description="0–100: how closely the name matches, with bonuses")
    matched_on: list[str] = Field(description="What matched: name, birth_date, document_number")
    name_parts: dict[str, str] = Field(
        default_factory=dict,
        description="How each name part matched the query (surname, given, patronymic): "
        "exact, transliteration, phonetic or fuzzy (a typo)",
    )


class MRZText(BaseModel):
    mrz: list[str] = Field(min_length=2, max_length=3, description="The MRZ lines, in order")


class PersonFromMRZ(BaseModel):
    """Register a person from their passport's MRZ. The names as written (any script) are
    optional: without them the MRZ's Latin form is stored as written too."""

    mrz: list[str] = Field(min_length=2, max_length=3, description="The MRZ lines, in order")
    primary_name: Name | None = None
    secondary_name: Name | None = None
    patronymic: Name = ""


class SearchRequest(BaseModel):
    q: str = Field("", max_length=400, description="A name in any script, a document number")
    mrz: list[str] | None = Field(None, min_length=2, max_length=3)
    birth_date: str | None = Field(None, description="YYYY-MM-DD, XX for unknown parts")
    document_number: str | None = Field(None, max_length=32)
    limit: WholeNumber = Field(20, ge=1, le=100)


class SearchResults(BaseModel):
    items: list[SearchHit]
