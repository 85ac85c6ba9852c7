"""The sections' registry: other capabilities add theirs by name (idempotent), in order, with
the words their codes read as."""

from __future__ import annotations

from kervan.assistance.reporting import report_section as assistance_section
from kervan.repatriation.counts import report_section as returns_section
from kervan.reports import sections


def test_capabilities_add_their_sections_once_and_in_order() -> None:
    sections.register_builtin()
    sections.register(assistance_section())
    sections.register(assistance_section())
    sections.register(returns_section())
    names = [s.name for s in sections.in_order()]
    assert names.count("assistance") == 1
    assert names.index("presence") < names.index("assistance") < names.index("returns")
    trends, shared = sections.declared()
    assert "presence" in trends and ("presence", "demography") in shared


def test_a_section_names_its_tables_dimensions_and_categories() -> None:
    sections.register(assistance_section())
    assert sections.label_of("titles", "assistance_aid")
    assert sections.label_of("dimensions", "need")
    assert sections.label_of("categories", ("case_status", "resolved"))
    assert sections.label_of("titles", "no-such-table") is None
