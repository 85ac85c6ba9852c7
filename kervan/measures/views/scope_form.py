"""Who a measure reaches, chosen in a form instead of written in the scope language: the
nationalities, kinds of document and purposes of stay it covers, and the window in which the
documents end. The choices become an ordinary scope (``{"all": [...]}``), so the file format,
the API and the CLI stay what they were; a scope the choices cannot say is still written in
the advanced field.

The count of documents in scope is shown as the officer chooses (htmx posts the form to
``/measures/new/count``; without JavaScript the "Count" button does the same and the page
comes back with the figure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kervan.registry.codes import MEMBER_STATES
from kervan.registry.enums import StayKind, StayPurpose

# Offered as choices; any other state is written in the advanced field.
NATIONALITY_CHOICES = (*MEMBER_STATES, "TJK", "TKM", "RUS", "AFG")


@dataclass
class ScopeChoices:
    nationalities: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    expires_from: str = ""
    expires_to: str = ""

    @classmethod
    def from_form(
        cls,
        nationalities: list[str],
        kinds: list[str],
        purposes: list[str],
        expires_from: str,
        expires_to: str,
    ) -> ScopeChoices:
        """Only the values offered: anything else posted is dropped, never echoed."""
        return cls(
            [n for n in NATIONALITY_CHOICES if n in nationalities],
            [k.value for k in StayKind if k.value in kinds],
            [p.value for p in StayPurpose if p.value in purposes],
            expires_from.strip(),
            expires_to.strip(),
        )

    def scope(self) -> dict[str, Any]:
        """The scope these choices say; ``{}`` (everyone) when nothing is chosen."""
        clauses: list[dict[str, Any]] = []
        if self.nationalities:
            clauses.append({"nationality": list(self.nationalities)})
        if self.kinds:
            clauses.append({"document_kind": list(self.kinds)})
        if self.purposes:
            clauses.append({"purpose": list(self.purposes)})
        if self.expires_from or self.expires_to:
            clauses.append({"expires_between": {"from": self.expires_from, "to": self.expires_to}})
        return {"all": clauses} if clauses else {}
