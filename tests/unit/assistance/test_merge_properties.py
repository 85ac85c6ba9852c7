"""No silent overwrite, as a property: two nodes edit the same fields of a case from what they
have seen, and exchange their changes in any order, some duplicated, some late. Once each has
every change, both agree on each field's heads; every pair of concurrent changes of one field
(neither based, directly or not, on the other) that no later change resolved is surfaced as a
conflict; and no change is lost or counted twice."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.assistance.merge import Change, field_state, states_by_field

FIELDS = ("contact", "urgency")


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Change], list[list[Change]]]:
    """Edits at two nodes (A, B), each based on the heads its node saw; between edits a node may
    receive some of the other's changes. Returns every change made and, per node, the order in
    which the other node's changes reach it at the end (shuffled, with duplicates)."""
    seen: list[dict[uuid.UUID, Change]] = [{}, {}]
    made: list[Change] = []
    for counter in range(1, draw(st.integers(1, 14)) + 1):
        node = draw(st.integers(0, 1))
        if draw(st.booleans()):  # some of the other node's changes arrive first
            other = list(seen[1 - node].values())
            for change in draw(st.lists(st.sampled_from(other), max_size=4)) if other else []:
                seen[node][change.id] = change
        name = draw(st.sampled_from(FIELDS))
        heads = field_state(c for c in seen[node].values() if c.field == name).head_ids
        change = Change(uuid.UUID(int=counter), name, f"v{counter}", heads)
        seen[node][change.id] = change
        made.append(change)
    deliveries = []
    for node in (0, 1):
        pending = list(seen[1 - node].values())
        order = draw(
            st.permutations(
                pending + draw(st.lists(st.sampled_from(pending), max_size=5)) if pending else []
            )
        )
        deliveries.append([*seen[node].values(), *order])
    return made, deliveries


def _ancestors(change: Change, index: dict[uuid.UUID, Change]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    stack = list(change.bases)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(index[current].bases)
    return found


@settings(max_examples=300, deadline=None)
@given(histories())
def test_two_nodes_converge_and_surface_every_unresolved_concurrent_edit(
    history: tuple[list[Change], list[list[Change]]],
) -> None:
    made, deliveries = history
    at_a, at_b = (states_by_field(d) for d in deliveries)
    assert at_a == at_b  # converged, whatever the order and the duplicates
    index = {c.id: c for c in made}
    for name in FIELDS:
        of_field = [c for c in made if c.field == name]
        if not of_field:
            assert name not in at_a
            continue
        heads = at_a[name].head_ids
        superseded = {a for c in of_field for a in _ancestors(c, index)}
        # Every change is a head or an ancestor of one: none lost.
        assert {c.id for c in of_field} == heads | (superseded & {c.id for c in of_field})
        # The heads are exactly the changes nothing later was based on: pairwise concurrent.
        assert heads == {c.id for c in of_field} - superseded
        for x in heads:
            for y in heads - {x}:
                assert x not in _ancestors(index[y], index)
        # A change made after seeing every head resolves the conflict.
        resolution = Change(uuid.UUID(int=10_000), name, "chosen", frozenset(heads))
        resolved = states_by_field([*deliveries[1], resolution])[name]
        assert resolved.heads == (resolution,) and not resolved.in_conflict


def test_two_edits_from_the_same_view_are_a_conflict_not_an_overwrite() -> None:
    a = Change(uuid.UUID(int=1), "contact", "+7 701", frozenset())
    b = Change(uuid.UUID(int=2), "contact", "+998 90", frozenset())
    state = field_state([b, a, b])
    assert state.in_conflict and {h.value for h in state.heads} == {"+7 701", "+998 90"}
    later = Change(uuid.UUID(int=3), "contact", "+7 702", frozenset({a.id}))
    assert {h.value for h in field_state([a, b, later]).heads} == {"+998 90", "+7 702"}
