"""Charts of the council's picture: Vega-Lite specifications made with Altair, drawn to SVG on
the server by vl-convert (no JavaScript in the page). Every chart comes with the table it is
drawn from and a text alternative, both in the officer's language; labels (states, dates)
are translated before they reach the chart, so the SVG is in that language too. A missing
value is a gap in the line or an absent bar, never a zero."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import vl_convert
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from kervan.reports import labels
from kervan.reports.council import Picture
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import state_in

TREND_TITLE = N_("Foreign nationals present, by host state and week")
CORRIDORS_TITLE = N_("Corridors: nationality and host state")
STANDING_TITLE = N_("Overstaying, and covered by a measure, by host state")
WEEK = N_("Week")
PRESENT = N_("Present")
HOST_STATE = N_("Host state")
NATIONALITY = N_("Nationality")
OVERSTAYING = N_("Overstaying")
COVERED = N_("Expired, covered by a measure")
NO_DATA = N_("No report has arrived for this chart yet.")
TREND_TEXT = N_("%(state)s: %(value)s on %(date)s (%(count)s weekly reports shown).")
BAR_TEXT = N_("%(label)s: %(value)s.")
NOT_PUBLISHED = N_("not published")
ASSISTANCE_TITLE = N_("Assistance and returns, by state")
REGIONS_TITLE = N_("Foreign nationals present, by region of stay")
REGION = N_("Region")
STATE = N_("State")
COUNTED = N_("Number")
# The other capabilities' tables charted when a report holds them: (table, series name).
ASSISTANCE_SERIES = (
    ("assistance", N_("Needs of the assistance cases opened")),
    ("returns", N_("Nationals asking to return home")),
    ("return_departures", N_("Nationals who boarded a leg home")),
)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup | None  # None when there is nothing to draw
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    text: tuple[str, ...]  # the text alternative, one sentence a line


def _svg(chart: alt.TopLevelMixin) -> Markup:
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    # vl-convert escapes the text it draws; the markup is ours to trust.
    return Markup(svg.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1))


def _number(t: Translator, value: int | None) -> str:
    return t.gettext(NOT_PUBLISHED) if value is None else format_decimal(value, locale=t.locale)


def _day(t: Translator, day: dt.date) -> str:
    return format_date(day, "short", locale=t.locale)


def trend(picture: Picture, t: Translator) -> Chart:
    values = [
        {"week": _day(t, day), "order": i, "state": state_in(t, state), "present": value}
        for i, (day, state, value) in enumerate(picture.series)
    ]
    week, present, host = t.gettext(WEEK), t.gettext(PRESENT), t.gettext(HOST_STATE)
    text: list[str] = []
    states = sorted({state for _, state, _ in picture.series})
    for state in states:
        mine = [(day, value) for day, s, value in picture.series if s == state]
        if mine:
            day, value = mine[-1]
            text.append(
                t.gettext(
                    TREND_TEXT,
                    state=state_in(t, state),
                    value=_number(t, value),
                    date=_day(t, day),
                    count=len(mine),
                )
            )
    svg = None
    if any(v["present"] is not None for v in values):
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_line(point=True)
            .encode(
                x=alt.X("week:O", title=week, sort=alt.SortField("order")),
                y=alt.Y("present:Q", title=present),
                color=alt.Color("state:N", title=host),
            )
            .properties(width=520, height=260)
        )
        svg = _svg(chart)
    rows = tuple((_day(t, d), state_in(t, s), _number(t, v)) for d, s, v in picture.series)
    return Chart("trend", t.gettext(TREND_TITLE), svg, (week, host, present), rows, tuple(text))


def _bars(
    key: str,
    title: str,
    items: list[tuple[str, str, int | None]],
    t: Translator,
    axis: tuple[str, str],
    measure: str = PRESENT,
) -> Chart:
    """Horizontal bars of (group, series, value); a suppressed value gets no bar."""
    values = [{"group": g, "series": s, "value": v} for g, s, v in items if v is not None]
    svg = None
    if values:
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_bar()
            .encode(
                y=alt.Y("group:N", title=axis[0]),
                x=alt.X("value:Q", title=t.gettext(measure)),
                color=alt.Color("series:N", title=axis[1]),
                yOffset="series:N",
            )
            .properties(width=480)
        )
        svg = _svg(chart)
    named = [(" — ".join((g, s)) if s else g, v) for g, s, v in items]
    text = tuple(t.gettext(BAR_TEXT, label=label, value=_number(t, v)) for label, v in named)
    rows = tuple((g, s, _number(t, v)) for g, s, v in items)
    return Chart(key, title, svg, (axis[0], axis[1], t.gettext(measure)), rows, text)


def corridors(picture: Picture, t: Translator) -> Chart:
    items = [
        (state_in(t, nationality), state_in(t, host), value)
        for nationality, host, value in picture.corridors()
    ]
    axis = (t.gettext(NATIONALITY), t.gettext(HOST_STATE))
    return _bars("corridors", t.gettext(CORRIDORS_TITLE), items, t, axis)


def standing(picture: Picture, t: Translator) -> Chart:
    items: list[tuple[str, str, int | None]] = []
    for state in picture.states:
        if state.report is None:
            continue
        name = state_in(t, state.host_state)
        items.append((name, t.gettext(OVERSTAYING), state.standing("overstaying")))
        items.append((name, t.gettext(COVERED), state.standing("covered")))
    axis = (t.gettext(HOST_STATE), "")
    return _bars("standing", t.gettext(STANDING_TITLE), items, t, axis)


def regions(picture: Picture, t: Translator) -> Chart | None:
    """Persons present per region of each host state, the region by its name."""
    found = picture.regions()
    if not found:
        return None
    items = [
        (labels.category(t, "region", region), state_in(t, host), value)
        for region, host, value in found
    ]
    axis = (t.gettext(REGION), t.gettext(HOST_STATE))
    return _bars("regions", t.gettext(REGIONS_TITLE), items, t, axis)


def assistance(picture: Picture, t: Translator) -> Chart | None:
    """Assistance cases and returns per state, when any report in view holds them."""
    shown = [
        (table, series)
        for table, series in ASSISTANCE_SERIES
        if any(s.has(table) for s in picture.states)
    ]
    if not shown:
        return None
    items: list[tuple[str, str, int | None]] = []
    for state in picture.states:
        if state.report is None:
            continue
        name = state_in(t, state.host_state)
        items += [(name, t.gettext(series), state.total(table)) for table, series in shown]
    axis = (t.gettext(STATE), "")
    return _bars("assistance", t.gettext(ASSISTANCE_TITLE), items, t, axis, COUNTED)


def all_charts(picture: Picture, t: Translator) -> list[Chart]:
    charts = [trend(picture, t), corridors(picture, t), standing(picture, t)]
    return charts + [c for c in (regions(picture, t), assistance(picture, t)) if c is not None]


def no_data(t: Translator) -> str:
    return t.gettext(NO_DATA)


__all__ = ["Chart", "all_charts", "no_data"]
