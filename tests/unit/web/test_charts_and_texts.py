"""Charts carry one text alternative and nothing in English of their own; officer-written
texts fall back to the language they were written in."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kervan.measures.views.scope_form import ScopeChoices
from kervan.messages import pick_language
from kervan.web.charts import Bar, bar_chart, integer_ticks


def test_a_bar_chart_is_one_named_image_without_vegas_english_descriptions() -> None:
    svg = str(
        bar_chart(
            [Bar("Узбекистан", 12), Bar("Кыргызстан", 3)],
            description="Документы по гражданству: 15",
            value_title="Документы",
            label_title="Гражданство",
        )
    )
    assert svg.startswith('<svg role="img" aria-label="Документы по гражданству: 15"')
    assert len(re.findall(r"\brole=", svg)) == 1
    assert "aria-roledescription" not in svg and "Y-axis" not in svg and "X-axis" not in svg
    assert "Узбекистан" in svg  # the labels are drawn as text


def test_the_description_is_escaped() -> None:
    svg = str(bar_chart([Bar("a", 1)], description='"><script>', value_title="v", label_title="l"))
    assert "<script>" not in svg and "&#34;&gt;&lt;script&gt;" in svg


def test_the_officers_language_else_english_else_the_first_written() -> None:
    texts = {"kk": "Төтенше жағдай", "en": "State of emergency", "ru": "Чрезвычайное положение"}
    assert pick_language(texts, "ru") == ("Чрезвычайное положение", "ru")
    assert pick_language(texts, "hu") == ("State of emergency", "en")
    assert pick_language({"kk": "Төтенше жағдай"}, "hu") == ("Төтенше жағдай", "kk")
    assert pick_language({}, "ru") == ("", "")


@given(
    st.lists(st.text(max_size=5), max_size=6),
    st.lists(st.text(max_size=20), max_size=6),
    st.text(max_size=12),
)
def test_scope_choices_keep_only_offered_values(
    nationalities: list[str], kinds: list[str], window: str
) -> None:
    choices = ScopeChoices.from_form([*nationalities, "UZB"], [*kinds, "visa"], [], window, "")
    scope = choices.scope()
    clauses = {key for clause in scope["all"] for key in clause}
    assert {"nationality", "document_kind"} <= clauses
    assert all(len(code) == 3 and code.isupper() for code in choices.nationalities)
    assert set(choices.kinds) <= {
        "visa",
        "registration",
        "temporary_residence",
        "permanent_residence",
        "work_permit",
    }


@given(st.integers(min_value=0, max_value=10_000_000))
def test_count_axes_tick_at_whole_numbers_up_to_the_highest(highest: int) -> None:
    ticks = integer_ticks(highest)
    assert ticks[0] == 0 and ticks[-1] >= highest and len(ticks) <= 7
    assert len(set(ticks)) == len(ticks) and all(isinstance(t, int) for t in ticks)
