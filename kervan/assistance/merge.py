"""No silent overwrite: how a shared field's value and its conflicts follow from its changes.

Every change of a field names the changes it was based on (the heads its author saw). The
changes of a field only ever grow (a set, merged by id), and its *heads* are the changes no
other change was based on. One head: that is the value. Several heads: concurrent changes —
a conflict an officer resolves by a change based on all of them. Because the heads are a
function of the set alone, two nodes that hold the same changes agree, whatever order the
changes arrived in and however often (tests/unit/assistance/test_merge_properties.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Change:
    id: uuid.UUID  # UUIDv7: increasing in time on the node that made it
    field: str
    value: str
    bases: frozenset[uuid.UUID]


@dataclass(frozen=True, slots=True)
class FieldState:
    heads: tuple[Change, ...]  # in id order

    @property
    def in_conflict(self) -> bool:
        return len(self.heads) > 1

    @property
    def value(self) -> str | None:
        """The value shown while no officer has chosen: the newest head's (marked as in
        conflict when there are several, never taken as decided). None: never changed."""
        return self.heads[-1].value if self.heads else None

    @property
    def head_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(h.id for h in self.heads)


def field_state(changes: Iterable[Change]) -> FieldState:
    unique = {c.id: c for c in changes}
    superseded = {base for c in unique.values() for base in c.bases}
    heads = sorted((c for c in unique.values() if c.id not in superseded), key=lambda c: c.id)
    return FieldState(heads=tuple(heads))


def states_by_field(changes: Iterable[Change]) -> dict[str, FieldState]:
    by_field: dict[str, list[Change]] = {}
    for change in changes:
        by_field.setdefault(change.field, []).append(change)
    return {name: field_state(found) for name, found in by_field.items()}
