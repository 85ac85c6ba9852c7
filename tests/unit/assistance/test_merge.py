"""A shared field's value and conflicts (``kervan.assistance.merge``), case by case: no change
means no value; a chain has one head; concurrent changes are a conflict until a change based
on all of them resolves it; duplicates and arrival order change nothing. (The general property
over random histories is in ``test_merge_properties.py``.)"""

from __future__ import annotations

import uuid

from kervan.assistance.merge import Change, FieldState, field_state, states_by_field


def _ids(n: int) -> list[uuid.UUID]:
    # Increasing ids, as UUIDv7 made one after another are.
    return [uuid.UUID(int=i + 1) for i in range(n)]


def test_no_change_is_no_value() -> None:
    state = field_state([])
    assert state == FieldState(heads=()) and state.value is None and not state.in_conflict


def test_a_chain_of_changes_has_one_head_the_last() -> None:
    a, b, c = _ids(3)
    changes = [
        Change(a, "contact", "x", frozenset()),
        Change(b, "contact", "y", frozenset({a})),
        Change(c, "contact", "z", frozenset({b})),
    ]
    state = field_state(reversed(changes))
    assert (state.value, state.in_conflict, state.head_ids) == ("z", False, frozenset({c}))


def test_concurrent_changes_conflict_until_one_is_based_on_both() -> None:
    a, b, c, d = _ids(4)
    root = Change(a, "urgency", "low", frozenset())
    left = Change(b, "urgency", "high", frozenset({a}))
    right = Change(c, "urgency", "medium", frozenset({a}))
    state = field_state([root, right, left, left])
    assert state.in_conflict and state.head_ids == {b, c}
    assert state.value == "medium"  # the newest head is shown, marked as in conflict
    resolved = field_state([root, left, right, Change(d, "urgency", "high", frozenset({b, c}))])
    assert (resolved.in_conflict, resolved.value) == (False, "high")


def test_a_change_based_on_one_side_only_leaves_the_conflict() -> None:
    a, b, c = _ids(3)
    changes = [
        Change(a, "contact", "x", frozenset()),
        Change(b, "contact", "y", frozenset()),
        Change(c, "contact", "z", frozenset({a})),
    ]
    assert field_state(changes).head_ids == {b, c}


def test_fields_are_merged_apart() -> None:
    a, b = _ids(2)
    states = states_by_field(
        [Change(a, "contact", "x", frozenset()), Change(b, "urgency", "high", frozenset({a}))]
    )
    assert {name: s.value for name, s in states.items()} == {"contact": "x", "urgency": "high"}
    assert states_by_field([]) == {}
