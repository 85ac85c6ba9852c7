"""The person page's time line of stay documents (loaded after the page by htmx, or opened as
a page of its own without JavaScript): a chart, and the same facts as sentences under it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.measures.timeline import DocumentLine, Part, Span, person_timeline
from kervan.web.charts import BAR_COLOUR, CONFIG, MARK_COLOUR, timeline_chart
from kervan.web.deps import SessionDep, policy
from kervan.web.i18n import N_
from kervan.web.i18n_terms import term
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

PART_LABELS = {
    Part.ISSUED: N_("Valid as issued"),
    Part.EXTENSION: N_("Extended by a measure"),
    Part.OVERSTAY: N_("Overstay"),
}
PART_COLOURS = {Part.ISSUED: BAR_COLOUR, Part.EXTENSION: MARK_COLOUR, Part.OVERSTAY: "#b3261e"}


@router.get("/persons/{person_id}/timeline")
def timeline_panel(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    today = dt.date.today()
    person, lines = person_timeline(session, principal, person_id, today=today)
    chart = _chart(page, lines, today) if lines else None
    template = (
        "measures/_timeline.html"
        if page.request.headers.get("hx-request")
        else "measures/timeline.html"
    )
    return page.render(
        template, person=person, chart=chart, sentences=[_sentences(page, line) for line in lines]
    )


def _document_label(page: Page, line: DocumentLine) -> str:
    return f"{page.gettext(term(line.kind))} {line.number}"


def _chart(page: Page, lines: list[DocumentLine], today: dt.date) -> Any:
    rows = [
        {
            "document": _document_label(page, line),
            "part": page.gettext(PART_LABELS[span.part]),
            "start": span.start.isoformat(),
            "end": (span.end + dt.timedelta(days=1)).isoformat(),  # to the end of the last day
        }
        for line in lines
        for span in line.spans
    ]
    parts = [page.gettext(PART_LABELS[p]) for p in Part]
    bars = {
        "mark": {"type": "bar", "height": 14},
        "encoding": {
            "y": {"field": "document", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "start", "type": "temporal", "title": None},
            "x2": {"field": "end"},
            "color": {
                "field": "part",
                "type": "nominal",
                "scale": {"domain": parts, "range": [PART_COLOURS[p] for p in Part]},
                "legend": {"orient": "bottom", "title": None},
            },
        },
    }
    today_rule = {
        "data": {"values": [{"today": today.isoformat()}]},
        "mark": {"type": "rule", "color": "#1b2430", "strokeDash": [4, 3]},
        "encoding": {"x": {"field": "today", "type": "temporal"}},
    }
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "width": 560,
        "height": {"step": 26},
        "layer": [bars, today_rule],
        "config": CONFIG,
        "usermeta": {"locale": page.translator.code},
    }
    return timeline_chart(
        spec,
        page.gettext(
            "Validity of %(count)s stay documents over time, with extensions by measures and "
            "overstays; the dashed line is today. The list below says the same.",
            count=len(lines),
        ),
    )


def _sentences(page: Page, line: DocumentLine) -> tuple[str, list[str]]:
    return _document_label(page, line), [_sentence(page, span) for span in line.spans]


def _sentence(page: Page, span: Span) -> str:
    locale = page.translator.locale
    start = format_date(span.start, "medium", locale=locale)
    end = format_date(span.end, "medium", locale=locale)
    if span.part == Part.EXTENSION and span.measure is not None:
        return page.gettext(
            "Extended by the measure “%(measure)s”: %(start)s – %(end)s",
            measure=span.measure.display_title(page.translator.code),
            start=start,
            end=end,
        )
    if span.part == Part.OVERSTAY:
        return page.gettext("Overstay: %(start)s – %(end)s", start=start, end=end)
    return page.gettext("Valid as issued: %(start)s – %(end)s", start=start, end=end)
