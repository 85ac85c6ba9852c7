"""API shapes of measures: what a client sends (the same fields as a measure file) and gets."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kervan.measures.models import MeasureStatus
from kervan.registry.enums import StayStatus


class LegalBasis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    act: str = Field(min_length=1, max_length=300, description="The act, e.g. a decree")
    # The act's name in the officers' languages, so that other states read it in theirs.
    act_texts: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=300)]] = Field(
        default_factory=dict, description="{language: the act's name in it}", max_length=16
    )
    number: str = Field(default="", max_length=64)
    date: dt.date
    link: str = Field(default="", max_length=500)


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


class MeasureIn(BaseModel):
    """A measure as written in a file or sent to the API; scope and actions are validated by
    the scope language (errors name their path, e.g. ``scope.all[1].expires_between.from``)."""

    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    issuing_state: str = Field(min_length=3, max_length=3)
    legal_basis: LegalBasis
    title: dict[str, str] = Field(min_length=1, description="{language: text}")
    summary: dict[str, str] = Field(default_factory=dict)
    period: Period
    scope: dict[str, Any] | None = None
    actions: list[dict[str, Any]]


class MeasurePublic(BaseModel):
    id: uuid.UUID
    reference: str
    issuing_state: str
    legal_basis: LegalBasis
    title: dict[str, str]
    summary: dict[str, str]
    period: dict[str, dt.date]
    scope: dict[str, Any]
    actions: list[dict[str, Any]]
    status: MeasureStatus
    created_at: dt.datetime
    created_by: str
    previewed_at: dt.datetime | None
    in_force_at: dt.datetime | None
    in_force_by: str | None
    lifted_at: dt.datetime | None
    lifted_by: str | None
    lift_reason: str | None
    applied_at: dt.datetime | None
    # Set while the worker's whole-register apply waits or runs (bringing into force asks it).
    apply_requested_at: dt.datetime | None = None


class MeasureEventPublic(BaseModel):
    """A decision on the measure: who took it, when, why."""

    kind: str
    at: dt.datetime
    actor: str
    reason: str
    details: dict[str, Any]


class LiftRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class ApplyResult(BaseModel):
    measure_id: uuid.UUID
    documents_extended: int
    messages_written: int
    violations_waived: int
    chunks: int


class ClausePublic(BaseModel):
    clause: str = Field(description="The clause in English")
    path: str
    matched: bool
    saw: dict[str, Any]
    code: str = Field("", description="The clause's stable code (the UI words it)")
    params: dict[str, Any] = Field(default_factory=dict)


# What a measure did or would do, as a stable code beside the English sentence (``outcome``):
# the officer UI words its own sentence from the code and the dates, in the officer's language.
OutcomeCode = Literal[
    # an ``extend`` verdict, one per stay document
    "extended",  # the measure extended it: ``extended`` has from, to, at
    "not-in-scope",
    "document-not-active",  # in scope, but revoked or otherwise not active: ``document_status``
    "already-valid",  # in scope, but ``valid_until`` is not before ``would_extend_to``
    "lifted-before-reaching",  # in scope, but the measure was lifted before it reached it
    "would-extend-once-in-force",  # in scope, the measure is only previewed
    "will-extend-when-applied",  # in scope, in force, not applied to it yet
    # a ``waive`` verdict, one per waiver of the measure, for the person
    "waived",  # ``waived_count`` violations waived by this measure
    "nothing-waived",
]


class MeasureVerdict(BaseModel):
    """Why a measure does or does not apply to one document (or person)."""

    measure_id: uuid.UUID
    reference: str
    title: str
    status: MeasureStatus
    applies: bool
    action: str
    document_id: uuid.UUID | None
    judged_until: dt.date | None = Field(description="the end date the scope was judged by")
    would_extend_to: dt.date | None
    extended: dict[str, Any] | None = Field(description="what the measure did, if it did")
    outcome: str = Field(description="what happened or would, in English")
    outcome_code: OutcomeCode = Field(description="the outcome as a stable code")
    valid_until: dt.date | None = Field(
        default=None, description="the document's end date now (extend verdicts)"
    )
    document_status: StayStatus | None = Field(
        default=None, description="the document's status now (extend verdicts)"
    )
    waived_count: int | None = Field(
        default=None, description="violations this measure waived (waive verdicts)"
    )
    clauses: list[ClausePublic]


class Explanation(BaseModel):
    person_id: uuid.UUID
    verdicts: list[MeasureVerdict]
