"""How a report's codes read: states by their names, officers' names for benefit kinds and
measures in the reader's language (else the nearest), vocabularies by their terms; never a code
where a name exists."""

from __future__ import annotations

from kervan.reports import labels
from kervan.reports.tables import TOTAL
from kervan.web.i18n import Translator

NAMES = {"measure": {"M-2026-1": {"en": "Flood relief", "ru": "Помощь при наводнении"}}}


def test_names_officers_gave_in_the_readers_language() -> None:
    assert labels.category(Translator("ru"), "measure", "M-2026-1", NAMES) == (
        "Помощь при наводнении"
    )
    assert labels.category(Translator("uz"), "measure", "M-2026-1", NAMES) == "Flood relief"
    assert labels.category(Translator("ru"), "measure", "M-2026-2", NAMES) == "M-2026-2"


def test_states_terms_and_totals() -> None:
    ru = Translator("ru")
    assert labels.category(ru, "nationality", "UZB") == "Узбекистан"
    assert labels.category(ru, "standing", "overstaying") != "overstaying"
    assert labels.category(ru, "kind", "work_permit") != "work_permit"
    assert labels.category(ru, "kind", "not-a-kind") == "not-a-kind"
    assert labels.category(ru, "sex", TOTAL) == ru.gettext(labels.TOTAL_LABEL)
    assert labels.title(ru, "presence") != "presence"
    assert labels.dimension(ru, "nationality") != "nationality"
