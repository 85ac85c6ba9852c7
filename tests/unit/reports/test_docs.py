"""docs/reports.md keeps up with the code: every report setting and every published table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kervan.config import Settings
from kervan.reports import queries, sections
from kervan.reports.period import Period

DOC = Path(__file__).parents[3] / "docs" / "reports.md"


def test_every_report_setting_is_documented() -> None:
    text = DOC.read_text()
    names = [n for n in Settings.model_fields if n.startswith("report_")]
    assert len(names) >= 5
    assert not [n for n in names if f"KERVAN_{n.upper()}" not in text]


def test_every_table_and_standing_is_documented() -> None:
    text = DOC.read_text()
    sections.register_builtin()
    names = {"presence", "demography", "documents", "violations", "benefits", "measures"}
    assert names <= {s.name for s in sections.in_order()} | {"demography"}
    names |= {"regions", "assistance", "assistance_aid", "returns", "return_seats"}
    names |= {"return_departures"}
    for name in names:
        assert f"`{name}`" in text, name
    for standing in queries.STANDINGS:
        assert standing in text.lower()
    assert Period(dt.date(2026, 11, 29)).start == dt.date(2026, 11, 23)
