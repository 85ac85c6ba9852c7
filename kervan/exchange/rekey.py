"""Recompute the consulate's view's stored name keys after the folding rules changed — the
counterpart of ``kervan.registry.rekey`` for the documents of nationals abroad. Keyset batches
in key order, one transaction each, only changed rows written; ``kervan db rekey-names`` runs
both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, select, tuple_, update

from kervan.exchange.consular import search_keys
from kervan.exchange.models import NationalAbroadDocument


@dataclass
class RekeyStats:
    documents: int = 0
    changed: int = 0


def rekey_nationals_abroad(
    engine: Engine, *, batch: int = 5000, progress: Callable[[int], None] | None = None
) -> RekeyStats:
    table = cast(Table, NationalAbroadDocument.__table__)
    key = (table.c.host_state, table.c.document_id)
    statement = (
        update(table)
        .where(key[0] == bindparam("b_host"), key[1] == bindparam("b_document"))
        .values(name_folded=bindparam("b_folded"), name_skeleton=bindparam("b_skeleton"))
    )
    stats, last = RekeyStats(), None
    while True:
        columns = (table.c.primary_identifier, table.c.name_folded, table.c.name_skeleton)
        query = select(*key, *columns).order_by(*key).limit(batch)
        if last is not None:
            query = query.where(tuple_(*key) > last)
        with engine.begin() as connection:
            rows = connection.execute(query).all()
            if not rows:
                return stats
            changes: list[dict[str, Any]] = []
            for host, document, identifier, folded, skeleton in rows:
                keys = search_keys(identifier)
                if keys != (folded, skeleton):
                    changes.append(
                        {
                            "b_host": host,
                            "b_document": document,
                            "b_folded": keys[0],
                            "b_skeleton": keys[1],
                        }
                    )
            if changes:
                connection.execute(statement, changes)
        stats.documents += len(rows)
        stats.changed += len(changes)
        last = tuple(rows[-1][:2])
        if progress is not None:
            progress(stats.documents)
