"""What a measure does, chosen in a form instead of written in YAML: extend stay documents (to
a date, by days past each document's end, or by days past the end of the measure's period),
waive violations of chosen kinds, grant a benefit chosen by its name. The choices become the
ordinary actions (``kervan.measures.actions``), so the file format, the API and the CLI stay
what they were; actions the choices cannot say are still written in the advanced field."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kervan.errors import CodedValueError
from kervan.measures.actions import MAX_DAYS
from kervan.measures.messages import ACTION_DAYS, ACTION_NONE, EXTEND_DATE_MISSING
from kervan.registry.enums import ViolationKind
from kervan.web.forms import parse_date
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import coded_text

EXTEND_MODES = ("", "to", "by_days", "period_end_plus_days")


@dataclass
class ActionChoices:
    extend: str = ""
    extend_to: str = ""
    extend_days: str = ""
    waive: list[str] = field(default_factory=list)
    benefit: str = ""

    @classmethod
    def from_form(
        cls, values: Mapping[str, str], waive: Sequence[str], benefits: Collection[str]
    ) -> ActionChoices:
        """Only the values offered: anything else posted is dropped, never echoed."""
        mode = values.get("extend", "").strip()
        benefit = values.get("benefit", "").strip()
        return cls(
            mode if mode in EXTEND_MODES else "",
            values.get("extend_to", "").strip(),
            values.get("extend_days", "").strip(),
            [k.value for k in ViolationKind if k.value in waive],
            benefit if benefit in benefits else "",
        )

    def actions(self, tr: Translator, errors: dict[str, str]) -> list[dict[str, Any]]:
        """The actions these choices say; each problem put on its field in ``errors``."""
        found: list[dict[str, Any]] = []
        extend = self._extend(tr, errors)
        if extend:
            found.append({"extend": extend})
        if self.waive:
            found.append({"waive": {"kinds": list(self.waive)}})
        if self.benefit:
            found.append({"grant_benefit": {"kind": self.benefit}})
        if not found and not errors:
            errors["extend"] = coded_text(tr, ACTION_NONE, {}, "choose what the measure does")
        return found

    def _extend(self, tr: Translator, errors: dict[str, str]) -> dict[str, Any] | None:
        if self.extend == "to":
            if not self.extend_to:
                errors["extend_to"] = coded_text(tr, EXTEND_DATE_MISSING, {}, "give the date")
                return None
            try:
                return {"to": parse_date(self.extend_to).isoformat()}
            except CodedValueError as exc:
                errors["extend_to"] = coded_text(tr, exc.code, exc.params, str(exc))
                return None
        if self.extend in ("by_days", "period_end_plus_days"):
            days = int(self.extend_days) if self.extend_days.isdigit() else 0
            if not 1 <= days <= MAX_DAYS:
                errors["extend_days"] = coded_text(
                    tr, ACTION_DAYS, {"max": MAX_DAYS}, "a whole number of days"
                )
                return None
            return {self.extend: days}
        return None
