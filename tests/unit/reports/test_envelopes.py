"""``report.submitted``: what each receiver may get (data minimisation, applied by sender and
receiver alike), and the schema that bounds what a peer can make a node read."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from kervan.exchange.message_types import schema_problem
from kervan.reports import envelopes
from kervan.reports.envelopes import SUBMITTED, may_receive, nationals_extract
from kervan.reports.period import Period
from kervan.reports.report import cells_of, protect_tables
from kervan.reports.suppression import Rules
from kervan.reports.tables import TOTAL, Table


@pytest.fixture(scope="module", autouse=True)
def _registered() -> None:
    envelopes.install()


def _report() -> dict[str, Any]:
    counts = {
        ("UZB", "valid", "visa"): 40,
        ("UZB", "overstaying", "visa"): 3,
        ("UZB", "valid", "work_permit"): 55,
        ("TUR", "valid", "visa"): 25,
        ("TUR", "overstaying", "visa"): 12,
        ("TUR", "valid", "work_permit"): 30,
    }
    table = Table("presence", ("nationality", "standing", "kind"), counts)
    measures = Table("measures", ("measure",), {("KAZ-1",): 120}, margins=False)
    tables = [("presence", table), ("measures", measures)]
    return protect_tables("KAZ", Period(dt.date(2026, 11, 29)), tables, [], Rules()).body


def _payload(body: dict[str, Any], audience: str, sender: str = "KAZ") -> dict[str, Any]:
    return {"from": sender, "body": {"revision": 1, "audience": audience, "report": body}}


def test_a_home_state_gets_its_nationals_rows_only() -> None:
    report = _report()
    extract = nationals_extract(report, "UZB")
    assert [t["name"] for t in extract["tables"]] == ["presence"]  # no by-measure table
    (table,) = extract["tables"]
    keys = [key for key, _, _ in cells_of(table)]
    assert keys and all(key[0] == "UZB" for key in keys)
    whole = {key: value for key, value, _ in cells_of(report["tables"][0])}
    assert all(whole[key] == value for key, value, _ in cells_of(table))
    assert may_receive(_payload(extract, "UZB"), "UZB") is None
    assert schema_problem(SUBMITTED, 1, _payload(extract, "UZB")["body"]) is None


def test_the_rule_refuses_what_a_receiver_should_not_have() -> None:
    report = _report()
    assert may_receive(_payload(report, "*"), "OTS") is None
    assert may_receive(_payload(report, "*"), "UZB")  # the whole report is not for a member
    assert may_receive(_payload(nationals_extract(report, "UZB"), "UZB"), "OTS")
    assert may_receive(_payload(nationals_extract(report, "UZB"), "UZB"), "TUR")
    assert may_receive(_payload(report, "*", sender="UZB"), "OTS")  # KAZ's register, not UZB's
    sneaky = copy.deepcopy(nationals_extract(report, "UZB"))
    sneaky["tables"][0]["categories"][0] = ["UZB", "TUR"]
    assert may_receive(_payload(sneaky, "UZB"), "UZB")
    totals = copy.deepcopy(nationals_extract(report, "UZB"))
    totals["tables"][0]["categories"][0] = [TOTAL]
    assert may_receive(_payload(totals, "UZB"), "UZB")


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b["report"]["tables"][0].update(values=[0] * 20_001),
        lambda b: b["report"]["tables"][0].update(flags="X"),
        lambda b: b["report"].update(tables=[b["report"]["tables"][0]] * 41),
        lambda b: b["report"]["tables"][0]["categories"][0].append("<script>"),
        lambda b: b["report"].update(hidden={"presence": [["UZB", 3]]}),
        lambda b: b.update(revision=0),
    ],
)
def test_the_schema_refuses_a_hostile_report(change: Any) -> None:
    body = _payload(_report(), "*")["body"]
    assert schema_problem(SUBMITTED, 1, body) is None
    change(body)
    assert schema_problem(SUBMITTED, 1, body) is not None
