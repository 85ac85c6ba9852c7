"""Charts for the officer UI: Vega-Lite specifications built with Altair, rendered to SVG on the
server by vl-convert, so that a page needs no JavaScript to show one and the picture arrives
with the page. Every chart is shown inside a ``<figure>`` whose text alternative names what it
shows, and the page puts the same figures in a table behind a ``<details>`` toggle (the macro
``chart`` in ``macros.html``).

Rendering costs about a tenth of a second (the first one after start-up about a second and a
half), so a chart is rendered once per distinct content and kept.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_COLOUR = "#0b5cab"  # the UI's accent colour (kervan.css --accent)
MARK_COLOUR = "#9a6200"  # --warn: a second series (an extension, a marked period)
CACHE_SIZE = 256
# Vega describes each axis and mark for screen readers itself, in English: off, since the
# chart is one image named by our own (translated) text alternative.
CONFIG = {
    "font": "system-ui, sans-serif",
    "view": {"stroke": None},
    "aria": False,
    "axis": {"aria": False},
    "legend": {"aria": False},
    "mark": {"aria": False},
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(
    bars: Sequence[Bar],
    *,
    description: str,
    value_title: str,
    label_title: str,
    horizontal: bool = False,
) -> Markup:
    """An SVG bar chart of ``bars`` in their order, its text alternative ``description``."""
    rows = [{"label": b.label, "value": b.value} for b in bars]
    label_axis = {"field": "label", "type": "nominal", "sort": None, "title": label_title}
    value_axis = {
        "field": "value",
        "type": "quantitative",
        "title": value_title,
        # Whole numbers only: documents are counted, never halved.
        "axis": {"values": integer_ticks(max((b.value for b in bars), default=0)), "format": "d"},
    }
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "mark": {"type": "bar", "color": BAR_COLOUR, "tooltip": False},
        "encoding": {"y": label_axis, "x": value_axis}
        if horizontal
        else {"x": label_axis, "y": value_axis},
        "width": 520 if horizontal else {"step": 40},
        "height": {"step": 18} if horizontal else 200,
        "config": CONFIG,
    }
    return _accessible(_render(json.dumps(spec, sort_keys=True)), description)


def integer_ticks(highest: int, at_most: int = 6) -> list[int]:
    """Axis ticks at whole numbers from 0 past ``highest``, no more than ``at_most`` of them."""
    step = max(1, math.ceil(max(highest, 1) / (at_most - 1)))
    return list(range(0, max(highest, 1) + step, step))


def timeline_chart(spec: dict[str, object], description: str) -> Markup:
    """A chart from a full Vega-Lite ``spec`` (the person page's validity timeline)."""
    return _accessible(_render(json.dumps(spec, sort_keys=True, default=str)), description)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _render(spec_json: str) -> str:
    import vl_convert  # imported on first use: it loads a JavaScript engine

    svg: str = vl_convert.vegalite_to_svg(json.loads(spec_json))
    return svg


def _accessible(svg: str, description: str) -> Markup:
    """The SVG as one image for assistive technology, named by ``description``; its text
    elements are not read out one by one, the table behind the toggle carries the figures."""
    label = str(escape(description))
    svg = re.sub(r' (aria-roledescription|role)="[^"]*"', "", svg)
    opened = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1
    ).replace('width="', 'data-width="', 1)
    return Markup(opened)  # SVG that vl-convert wrote from our own figures
