"""Record ids of an import: UUIDv7 hex, unique and in the order they were drawn."""

from __future__ import annotations

import itertools
import uuid

from kervan.registry.transfer.storage import as_uuid, uuid7_hex


def test_ids_are_version_7_unique_and_increasing_across_blocks() -> None:
    ids = list(itertools.islice(uuid7_hex(), 2500))  # more than two blocks of 1,024
    assert len(set(ids)) == len(ids) == 2500
    assert ids == sorted(ids)
    parsed = [as_uuid(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
