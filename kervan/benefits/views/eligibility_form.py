"""Who is eligible for a benefit kind, chosen in a form instead of written in YAML: the
measures' scope choices (nationalities, kinds of document, purposes, the window in which the
documents end) with the statuses of the document and an age range. The choices become an
ordinary eligibility rule in the scope language, so the benefit kinds file, the API and the
CLI stay what they were; a rule the choices cannot say is written in the advanced field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from kervan.benefits import messages
from kervan.errors import CodedValueError
from kervan.measures.scope import MAX_AGE
from kervan.measures.views.scope_form import NATIONALITY_CHOICES, ScopeChoices, ScopeForm
from kervan.registry.enums import StayStatus
from kervan.web.forms import Many, parse_date
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import coded_text

# The order a benefit kinds file writes its clauses in, for the rule the choices build.
CLAUSE_ORDER = ("nationality", "document_kind", "purpose", "document_status", "expires_between")


class EligibilityForm(ScopeForm):
    """The form as sent: the scope's choices, the statuses, the ages, which step this is."""

    status: Many = ()
    age_min: str = ""
    age_max: str = ""
    confirm: str = "review"


@dataclass
class EligibilityChoices(ScopeChoices):
    OFFERED: ClassVar[tuple[str, ...]] = ("member_states", *NATIONALITY_CHOICES)

    statuses: list[str] = field(default_factory=list)
    age_min: str = ""
    age_max: str = ""

    @classmethod
    def from_sent(cls, form: EligibilityForm) -> EligibilityChoices:
        chosen = cls.from_form(
            form.nationality, form.kind, form.purpose, form.expires_from, form.expires_to
        )
        chosen.statuses = [s.value for s in StayStatus if s.value in form.status]
        chosen.age_min, chosen.age_max = form.age_min.strip(), form.age_max.strip()
        return chosen

    @classmethod
    def from_rule(cls, rule: Mapping[str, Any] | None) -> EligibilityChoices | None:
        """The choices that say a stored rule, or None when they cannot (``any``, ``not``, a
        nationality not offered, an age on a fixed day…): the rule goes to the advanced field."""
        if not rule:
            return cls()
        if len(rule) != 1:
            return None
        clauses = rule.get("all", [rule])
        found = cls()
        seen: set[str] = set()
        for clause in clauses:
            if not isinstance(clause, Mapping) or len(clause) != 1:
                return None
            ((key, value),) = clause.items()
            if key in seen or not found._take(key, value):
                return None
            seen.add(key)
        return found

    def _take(self, key: str, value: Any) -> bool:
        if key == "nationality" and all(v in self.OFFERED for v in value):
            self.nationalities = list(value)
        elif key in ("document_kind", "purpose", "document_status"):
            name = {"document_kind": "kinds", "purpose": "purposes"}.get(key, "statuses")
            setattr(self, name, list(value))
        elif key == "expires_between":
            self.expires_from, self.expires_to = value["from"], value["to"]
        elif key == "age" and "on" not in value:
            self.age_min, self.age_max = str(value.get("min", "")), str(value.get("max", ""))
        else:
            return False
        return True

    def rule(self, tr: Translator, errors: dict[str, str]) -> dict[str, Any]:
        """The rule these choices say (``{}``: everyone); each problem on its field."""
        clauses = {key: value for c in self.clauses() for key, value in c.items()}
        if self.statuses:
            clauses["document_status"] = list(self.statuses)
        self._check_window(tr, errors)
        age = self._age(tr, errors)
        ordered = [{key: clauses[key]} for key in CLAUSE_ORDER if key in clauses]
        if age:
            ordered.append({"age": age})
        return {"all": ordered} if ordered else {}

    def _check_window(self, tr: Translator, errors: dict[str, str]) -> None:
        days = {}
        for name in ("expires_from", "expires_to"):
            raw = getattr(self, name)
            try:
                days[name] = parse_date(raw) if raw else None
            except CodedValueError as exc:
                errors[name] = coded_text(tr, exc.code, exc.params, str(exc))
        start, end = days.get("expires_from"), days.get("expires_to")
        if len(days) == 2 and (start is None) != (end is None):
            missing = "expires_to" if end is None else "expires_from"
            errors[missing] = coded_text(tr, messages.WINDOW_HALF, {}, "give both days")
        elif start and end and end < start:
            params = {"start": start, "end": end}
            errors["expires_to"] = coded_text(tr, messages.WINDOW_REVERSED, params, "reversed")

    def _age(self, tr: Translator, errors: dict[str, str]) -> dict[str, int]:
        ages: dict[str, int] = {}
        for bound in ("min", "max"):
            raw = getattr(self, f"age_{bound}")
            if raw and raw.isdigit() and int(raw) <= MAX_AGE:
                ages[bound] = int(raw)
            elif raw:
                params = {"max": MAX_AGE}
                errors[f"age_{bound}"] = coded_text(tr, messages.AGE_INVALID, params, "an age")
        if "min" in ages and "max" in ages and ages["max"] < ages["min"]:
            params = {"min": ages["min"], "max": ages["max"]}
            errors["age_max"] = coded_text(tr, messages.AGE_REVERSED, params, "reversed")
        return ages
