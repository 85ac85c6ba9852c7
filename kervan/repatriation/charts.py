"""The demand-versus-seats chart: per ISO week and corridor, the people asking to leave that
week beside the seats of the agreed legs, as grouped bars (a Vega-Lite spec rendered to SVG by
``kervan.web.charts``; the page puts the same figures in a table)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from kervan.repatriation.counts import CorridorWeek
from kervan.web.charts import BAR_COLOUR, CONFIG, MARK_COLOUR, integer_ticks, timeline_chart

MAX_GROUPS = 40  # weeks × corridors drawn; the table carries them all


def demand_spec(weeks: Sequence[CorridorWeek], gettext: Callable[[str], str]) -> dict[str, object]:
    demand, seats = gettext("People asking"), gettext("Seats")
    rows: list[dict[str, object]] = []
    highest = 0
    for w in list(weeks)[:MAX_GROUPS]:
        group = f"{w.week} {w.origin}→{w.destination}"
        rows.append({"group": group, "series": demand, "value": w.demand})
        rows.append({"group": group, "series": seats, "value": w.seats})
        highest = max(highest, w.demand, w.seats)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": False},
        "encoding": {
            "y": {
                "field": "group",
                "type": "nominal",
                "sort": None,
                "title": gettext("Week and route"),
            },
            "yOffset": {"field": "series", "type": "nominal", "sort": [demand, seats]},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": gettext("People"),
                "axis": {"values": integer_ticks(highest), "format": "d"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [demand, seats], "range": [MARK_COLOUR, BAR_COLOUR]},
            },
        },
        "width": 420,
        "config": CONFIG,
    }


def demand_chart(weeks: Sequence[CorridorWeek], gettext: Callable[[str], str]) -> Markup:
    description = gettext("Demand and seats per week and corridor")
    return timeline_chart(demand_spec(weeks, gettext), description)
