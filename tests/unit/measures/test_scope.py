"""The scope language: parsing, canonical form, and clear errors naming their path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.measures.actions import actions_to_data, parse_actions
from kervan.measures.scope import ScopeError, calendar_date, parse_scope, scope_to_data
from kervan.measures.scope_terms import age_on, years_before


def _errors(data: Any) -> dict[str, str]:
    with pytest.raises(ScopeError) as caught:
        parse_scope(data)
    return {e.field: e.message for e in caught.value.errors}


def test_empty_scope_is_everything() -> None:
    assert parse_scope(None) == parse_scope({})
    assert scope_to_data(parse_scope(None)) == {}


def test_several_keys_mean_all_of_them() -> None:
    a = parse_scope({"nationality": "UZB", "document_kind": ["visa"]})
    b = parse_scope({"all": [{"nationality": ["UZB"]}, {"document_kind": "visa"}]})
    assert a == b and hash(a) == hash(b)


def test_errors_name_their_path_and_all_are_reported() -> None:
    errors = _errors(
        {
            "all": [
                {"nationality": ["kaz", "UZB"]},
                {"expires_between": {"from": "2020-02-30", "to": "2020-05-15"}},
                {"age": {"min": 30, "max": 20}},
            ]
        }
    )
    assert "is not an ISO 3166-1 alpha-3 code" in errors["scope.all[0].nationality[0]"]
    assert "is not a date" in errors["scope.all[1].expires_between.from"]
    assert "below min" in errors["scope.all[2].age.max"]


def test_unknown_clause_suggests_the_near_one() -> None:
    errors = _errors({"nationalty": ["KAZ"]})
    assert "did you mean 'nationality'" in errors["scope.nationalty"]


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ({"expires_between": {"from": "2020-05-01", "to": "2020-04-01"}}, ".to", "ends"),
        ({"expires_between": {"from": "2020-05-01"}}, ".to", "missing"),
        ({"document_kind": ["passport"]}, "[0]", "not a document kind"),
        ({"vulnerable": "yes"}, "", "true or false"),
        ({"any": []}, "", "non-empty list"),
        ({"age": {}}, "", "give min, max or both"),
    ],
)
def test_clear_messages(data: dict[str, Any], path: str, fragment: str) -> None:
    key = next(iter(data))
    errors = _errors(data)
    assert fragment in errors[f"scope.{key}{path}"]


def test_actions_errors_and_round_trip() -> None:
    with pytest.raises(ScopeError) as caught:
        parse_actions([{"extend": {"to": "2020-06-14", "by_days": 3}}, {"waive": {"kinds": ["x"]}}])
    fields = {e.field for e in caught.value.errors}
    assert {"actions[0].extend", "actions[1].waive.kinds[0]"} <= fields
    data = [
        {"extend": {"period_end_plus_days": 30, "scope": {"purpose": ["work"]}}},
        {"waive": {"kinds": ["overstay"], "committed_between": {"from": "2020-03-16"}}},
    ]
    assert actions_to_data(parse_actions(actions_to_data(parse_actions(data)))) == (
        actions_to_data(parse_actions(data))
    )


def test_age_on_incomplete_birth_date_and_leap_day() -> None:
    assert age_on(2000, 2, 29, dt.date(2018, 2, 28)) == 17
    assert age_on(2000, 2, 29, dt.date(2018, 3, 1)) == 18
    assert age_on(2000, None, None, dt.date(2018, 1, 1)) == 18
    assert years_before(dt.date(2020, 2, 29), 1) == dt.date(2019, 2, 28)


dates = st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31))
leaves = st.one_of(
    st.lists(st.sampled_from(["KAZ", "UZB", "KGZ", "member_states"]), min_size=1).map(
        lambda v: {"nationality": v}
    ),
    st.lists(st.sampled_from(["visa", "registration", "work_permit"]), min_size=1).map(
        lambda v: {"document_kind": v}
    ),
    st.tuples(dates, dates).map(
        lambda d: {"expires_between": {"from": min(d).isoformat(), "to": max(d).isoformat()}}
    ),
    dates.map(lambda d: {"present_on": d.isoformat()}),
    st.integers(0, 90).map(lambda n: {"age": {"min": n}}),
    st.booleans().map(lambda b: {"vulnerable": b}),
)
scopes = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"all": c}),
        st.lists(inner, min_size=1, max_size=3).map(lambda c: {"any": c}),
        inner.map(lambda c: {"not": c}),
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(scopes)
def test_canonical_form_round_trips(data: dict[str, Any]) -> None:
    scope = parse_scope(data)
    assert parse_scope(scope_to_data(scope)) == scope


@given(st.dates())
def test_a_date_reads_the_same_as_a_date_or_as_its_iso_text(day: dt.date) -> None:
    # Scopes and actions share this reading; a property over every date keeps them alike.
    assert calendar_date(day) == day
    assert calendar_date(day.isoformat()) == day


@given(st.one_of(st.datetimes(), st.text(max_size=12), st.integers(), st.none()))
def test_anything_else_is_not_a_date(value: Any) -> None:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" == value[7]:
        return  # text shaped like a date is the other test's case
    assert calendar_date(value) is None


def test_a_date_that_does_not_exist_is_refused_in_a_scope_and_in_actions() -> None:
    assert calendar_date("2026-02-30") is None
    errors = _errors({"expires_between": {"from": "2026-02-30", "to": "2026-03-01"}})
    assert "not a date" in errors["scope.expires_between.from"]
    with pytest.raises(ScopeError) as caught:
        parse_actions([{"extend": {"to": "2026-02-30"}}])
    assert [e.field for e in caught.value.errors] == ["actions[0].extend.to"]
