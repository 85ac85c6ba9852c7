"""The demand-versus-seats chart: two bars per week and corridor, in the reader's words."""

from __future__ import annotations

from kervan.repatriation.charts import MAX_GROUPS, demand_spec
from kervan.repatriation.counts import CorridorWeek


def test_each_week_and_corridor_has_its_demand_beside_its_seats() -> None:
    weeks = [CorridorWeek(week=f"2026-W{w:02d}", origin="ALA", destination="TAS", legs=1,
                          seats=100, demand=30 * w) for w in range(1, 50)]  # fmt: skip
    words = {"People asking": "Желающих", "Seats": "Мест"}
    spec = demand_spec(weeks, lambda text: words.get(text, text))
    rows = spec["data"]["values"]  # type: ignore[index]
    assert len(rows) == 2 * MAX_GROUPS
    assert rows[0] == {"group": "2026-W01 ALA→TAS", "series": "Желающих", "value": 30}
    assert rows[1]["series"] == "Мест" and rows[1]["value"] == 100
    ticks = spec["encoding"]["x"]["axis"]["values"]  # type: ignore[index]
    assert ticks[-1] >= 30 * MAX_GROUPS
