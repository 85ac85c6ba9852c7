"""The preview's documents by nationality as a bar chart (its table stays behind a toggle)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup

from kervan.web.charts import Bar, bar_chart
from kervan.web.templating import Page, state_label


def nationality_totals(preview: dict[str, Any]) -> list[tuple[str, int]]:
    """Stay documents per nationality, the most first (the kinds added up)."""
    totals: Counter[str] = Counter()
    for row in preview.get("by_nationality_kind", []):
        totals[row["nationality"]] += int(row["documents"])
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def preview_chart(page: Page, preview: dict[str, Any] | None) -> Markup | None:
    if not preview:
        return None
    totals = nationality_totals(preview)
    if not totals:
        return None
    code = page.translator.code
    return bar_chart(
        [Bar(state_label(nationality, code), count) for nationality, count in totals],
        description=page.gettext(
            "Stay documents the measure would extend, by nationality: %(count)s nationalities, "
            "%(total)s documents.",
            count=len(totals),
            total=sum(count for _, count in totals),
        ),
        value_title=page.gettext("Documents"),
        label_title=page.gettext("Nationality"),
        horizontal=True,
    )
