"""SDMX for statistical offices (``kervan.reports.sdmx``): one CSV row per published cell with
the report's area and date, a suppressed cell as an empty value with its confidentiality flag;
a structure message that parses and names every code of every dimension in the 8 languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

from kervan.reports.period import Period
from kervan.reports.report import cells_of, protect_tables
from kervan.reports.sdmx import AGENCY, VERSION, code_names, data_csv, dataflow_id, structure_xml
from kervan.reports.suppression import Rules
from kervan.reports.tables import Table
from kervan.web.i18n import LANGUAGES

STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"


def _body() -> dict[str, Any]:
    counts = {("UZB", "valid"): 40, ("UZB", "overstaying"): 3}
    counts |= {("KGZ", "valid"): 25, ("KGZ", "overstaying"): 12}
    table = Table("presence", ("nationality", "standing"), counts)
    protected = protect_tables("KAZ", Period(dt.date(2026, 11, 29)), [("s", table)], [], Rules())
    return protected.body


def test_one_row_per_cell_with_area_date_and_flag() -> None:
    body = _body()
    (table,) = body["tables"]
    rows = list(csv.DictReader(io.StringIO(data_csv(body, table))))
    cells = list(cells_of(table))
    assert len(rows) == len(cells)
    assert list(rows[0]) == [
        "DATAFLOW",
        "REF_AREA",
        "NATIONALITY",
        "STANDING",
        "TIME_PERIOD",
        "OBS_VALUE",
        "CONF_STATUS",
    ]
    assert {r["DATAFLOW"] for r in rows} == {f"{AGENCY}:{dataflow_id(table)}({VERSION})"}
    assert {(r["REF_AREA"], r["TIME_PERIOD"]) for r in rows} == {("KAZ", "2026-11-29")}
    for row, (key, value, flag) in zip(rows, cells, strict=True):
        assert (row["NATIONALITY"], row["STANDING"]) == key
        assert row["OBS_VALUE"] == ("" if value is None else str(value))
        assert row["CONF_STATUS"] == flag
    assert any(r["OBS_VALUE"] == "" for r in rows), "the small cell (3) is suppressed"
    assert dataflow_id(table) == "DF_SITREP_PRESENCE"


def test_every_code_is_named_in_every_language() -> None:
    body = _body()
    names = code_names(body)
    (table,) = body["tables"]
    for dim, level in zip(table["dims"], table["categories"], strict=True):
        assert set(names[dim]) == set(level)
        assert all(set(by_lang) == set(LANGUAGES) for by_lang in names[dim].values())
    assert set(names["ref_area"]) == {"KAZ"}


def test_the_structure_message_parses_and_lists_its_code_lists() -> None:
    body = _body()
    root = ET.fromstring(structure_xml(body))
    codelists = {c.get("id"): c for c in root.iter(f"{STR}Codelist")}
    assert set(codelists) == {"CL_NATIONALITY", "CL_STANDING", "CL_REF_AREA"}
    codes = {c.get("id") for c in codelists["CL_NATIONALITY"].iter(f"{STR}Code")}
    assert {"UZB", "KGZ"} <= codes
    (flow,) = root.iter(f"{STR}Dataflow")
    assert flow.get("id") == "DF_SITREP_PRESENCE"
    dims = [d.get("id") for d in root.iter(f"{STR}Dimension")]
    assert dims == ["REF_AREA", "NATIONALITY", "STANDING"]
