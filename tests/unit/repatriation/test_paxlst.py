"""The PAXLST manifest reads back with pydifact segment by segment, escapes included."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from pydifact.segmentcollection import Interchange

from kervan.repatriation.manifests import Passenger, as_csv, as_paxlst
from kervan.repatriation.models import Leg


def _leg() -> Leg:
    departs = dt.datetime(2026, 5, 12, 9, 30, tzinfo=dt.UTC)
    return Leg(
        id=uuid.UUID("01a23c57-acab-71d0-8000-000000000001"),
        operator="Uzbekistan Airways",
        number="HY 2712",
        origin="ALA",
        destination="TAS",
        departs_at=departs,
        arrives_at=departs + dt.timedelta(hours=2),
    )


PASSENGERS = [
    Passenger("t1", "R-7KQ4-M2XD", "O'ZBEKOV", "ALI+SHER", "1981-11-17", "M", "UZB", "FA1", "UZB"),
    Passenger("t2", "R-7KQ4-M2XE", "=HYPERLINK", "", "2019-02-03", "F", "UZB", None, None),
]


# pydifact ships no syntax tables for the service segments of version 4 and says so.
@pytest.mark.filterwarnings("ignore::pydifact.exceptions.MissingImplementationWarning")
def test_the_manifest_parses_back() -> None:
    text = as_paxlst(_leg(), PASSENGERS, sender="UZB", recipient="KAZ")
    interchange = Interchange.from_str(text)
    segments = [(s.tag, s.elements) for s in interchange.segments]
    tags = [tag for tag, _ in segments]
    assert segments[0] == ("UNH", ["01A23C57ACAB71", ["PAXLST", "D", "05B", "UN", "IATA"]])
    assert ("TDT", ["20", "HY2712", "", "", "UZBEKISTAN AIRWAYS"]) in segments
    assert ("NAD", ["FL", "", "", ["O'ZBEKOV", "ALI+SHER"]]) in segments
    assert ("DTM", [["189", "2605120930", "201"]]) in segments
    assert ("DTM", [["329", "811117"]]) in segments
    assert tags.count("DOC") == 1  # the child without a passport has none
    assert segments[-2:] == [
        ("CNT", [["42", "2"]]),
        ("UNT", [str(len(segments)), "01A23C57ACAB71"]),
    ]


def test_spreadsheet_cells_are_not_formulas() -> None:
    assert "'=HYPERLINK" in as_csv(PASSENGERS).decode()
