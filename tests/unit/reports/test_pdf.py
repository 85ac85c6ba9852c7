"""The report's PDF renders in each of the 8 languages, the same bytes each time (so a
signature made later still verifies), and the signature verifies with the node's key only."""

from __future__ import annotations

import datetime as dt

import pytest

from kervan.exchange.keys import new_key
from kervan.reports.models import FULL, ReportOrigin, SituationReport
from kervan.reports.pdf import report_pdf
from kervan.reports.period import Period
from kervan.reports.report import protect_tables
from kervan.reports.signature import sign_detached, verify
from kervan.reports.suppression import Rules
from kervan.reports.tables import Table
from kervan.web.i18n import LANGUAGES


def _report() -> SituationReport:
    counts = {("UZB", "valid", "visa"): 40, ("UZB", "overstaying", "visa"): 3}
    counts |= {("KGZ", "valid", "visa"): 25, ("KGZ", "overstaying", "visa"): 12}
    table = Table("presence", ("nationality", "standing", "kind"), counts)
    body = protect_tables("KAZ", Period(dt.date(2026, 11, 29)), [("presence", table)], [], Rules())
    return SituationReport(
        host_state="KAZ",
        audience=FULL,
        reference_date=dt.date(2026, 11, 29),
        period_days=7,
        origin=ReportOrigin.OWN,
        revision=1,
        body=body.body,
        generated_at=dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_pdf_in_every_language(lang: str) -> None:
    assert report_pdf(_report(), lang, kid="KAZ:test").startswith(b"%PDF")


def test_the_same_report_is_the_same_pdf_and_its_signature_verifies() -> None:
    report = _report()
    first = report_pdf(report, "uz", kid="KAZ:test")
    assert first == report_pdf(report, "uz", kid="KAZ:test")
    signing = new_key("KAZ")
    signature = sign_detached(signing, first)
    assert verify(signature, first, signing.private_key.public_key())
    assert not verify(signature, first, new_key("KAZ").private_key.public_key())
    assert not verify(signature, first + b"%", signing.private_key.public_key())
