"""Recompute the stored name keys of every person after the folding rules changed.

``name_key`` and the two skeleton columns are derived from the names by
``kervan.identity.names``; a release that changes those rules must re-derive them, or search
misses people. The fold is Python, so this walks the register in id order (keyset batches,
bounded memory, one transaction per batch) and updates only the rows whose keys changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, select, update

from kervan.registry.models import Person
from kervan.registry.naming import name_columns

_KEY_COLUMNS = ("name_key", "primary_skeleton", "secondary_skeleton", "name_script")


@dataclass
class RekeyStats:
    persons: int = 0
    changed: int = 0


def rekey_names(
    engine: Engine, *, batch: int = 5000, progress: Callable[[int], None] | None = None
) -> RekeyStats:
    stats = RekeyStats()
    last: uuid.UUID | None = None
    statement = (
        update(Person.__table__)  # type: ignore[arg-type]
        .where(Person.__table__.c.id == bindparam("person_id"))
        .values({c: bindparam(c) for c in _KEY_COLUMNS})
    )
    while True:
        query = (
            select(
                Person.id,
                Person.primary_name,
                Person.secondary_name,
                Person.primary_identifier,
                Person.secondary_identifier,
                *(getattr(Person, c) for c in _KEY_COLUMNS),
            )
            .order_by(Person.id)
            .limit(batch)
        )
        if last is not None:
            query = query.where(Person.id > last)
        with engine.begin() as connection:
            rows = connection.execute(query).all()
            if not rows:
                return stats
            changes = []
            for row in rows:
                derived = name_columns(row[1], row[2], row[3], row[4]).as_dict()
                if tuple(derived[c] for c in _KEY_COLUMNS) != tuple(row[5:]):
                    changes.append({"person_id": row[0], **{c: derived[c] for c in _KEY_COLUMNS}})
            if changes:
                connection.execute(statement, changes)
        stats.persons += len(rows)
        stats.changed += len(changes)
        last = rows[-1][0]
        if progress is not None:
            progress(stats.persons)
