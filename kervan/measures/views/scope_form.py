"""Who a measure reaches, chosen in a form instead of written in the scope language: the
nationalities, kinds of document and purposes of stay it covers, and the window in which the
documents end. The choices become an ordinary scope (``{"all": [...]}``), so the file format,
the API and the CLI stay what they were; a scope the choices cannot say is still written in
the advanced field.

The count of documents in scope is shown as the officer chooses (htmx posts the form to
``/measures/new/count``; without JavaScript the "Count" button does the same and the page
comes back with the figure)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Self

from pydantic import ConfigDict

from kervan.measures.views.forms import MAX_YAML
from kervan.registry.codes import MEMBER_STATES
from kervan.registry.enums import StayKind, StayPurpose
from kervan.web.forms import FormModel, Many, MaxChars

# Offered as choices; any other state is written in the advanced field.
NATIONALITY_CHOICES = (*MEMBER_STATES, "TJK", "TKM", "RUS", "AFG")


# A text in the scope or measure language: a page of YAML, kept as typed (its indentation).
YamlText = Annotated[str, MaxChars(MAX_YAML)]


class ScopeForm(FormModel):
    """The scope part of the new-measure form, and the whole of the count's."""

    model_config = ConfigDict(str_strip_whitespace=False, extra="ignore", frozen=True)

    scope: YamlText = ""
    nationality: Many = ()
    kind: Many = ()
    purpose: Many = ()
    expires_from: str = ""
    expires_to: str = ""

    def choices(self) -> ScopeChoices:
        return ScopeChoices.from_form(
            self.nationality, self.kind, self.purpose, self.expires_from, self.expires_to
        )


@dataclass
class ScopeChoices:
    OFFERED: ClassVar[tuple[str, ...]] = NATIONALITY_CHOICES

    nationalities: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    expires_from: str = ""
    expires_to: str = ""

    @classmethod
    def from_form(
        cls,
        nationalities: Collection[str],
        kinds: Collection[str],
        purposes: Collection[str],
        expires_from: str,
        expires_to: str,
    ) -> Self:
        """Only the values offered: anything else posted is dropped, never echoed."""
        return cls(
            [n for n in cls.OFFERED if n in nationalities],
            [k.value for k in StayKind if k.value in kinds],
            [p.value for p in StayPurpose if p.value in purposes],
            expires_from.strip(),
            expires_to.strip(),
        )

    def scope(self) -> dict[str, Any]:
        """The scope these choices say; ``{}`` (everyone) when nothing is chosen."""
        clauses = self.clauses()
        return {"all": clauses} if clauses else {}

    def clauses(self) -> list[dict[str, Any]]:
        """One clause of the scope language for each group with a choice."""
        clauses: list[dict[str, Any]] = []
        if self.nationalities:
            clauses.append({"nationality": list(self.nationalities)})
        if self.kinds:
            clauses.append({"document_kind": list(self.kinds)})
        if self.purposes:
            clauses.append({"purpose": list(self.purposes)})
        if self.expires_from or self.expires_to:
            clauses.append({"expires_between": {"from": self.expires_from, "to": self.expires_to}})
        return clauses
