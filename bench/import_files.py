"""The import benchmark's files: a register's first load, and a nightly delta against it.

Both are CSV in the import format, made from the synthetic register and kept between runs (the
generator is deterministic, and making a million rows takes longer than importing them).

A delta of D rows against a register loaded from a base file is, in this order of rows mixed
evenly through the file: 70 % new documents of new persons, 20 % corrections of documents of
the base file (valid until 30 days later), 10 % rows of the base file as they are."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from kervan.registry.transfer.samples import SampleRow, sample_rows, write_rows

HOST = "KAZ"
NEW, CORRECTED = 0.7, 0.2  # the rest of a delta is unchanged rows


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _made_once(path: Path, make: Iterator[SampleRow], what: str) -> Path:
    if path.exists():
        say(f"using {path}")
        return path
    started = time.perf_counter()
    partial = path.with_suffix(".part")
    count = write_rows(partial, make, "csv")
    partial.rename(path)
    size = path.stat().st_size / 1024 / 1024
    say(f"made {what}: {count:,} rows ({size:.0f} MiB) in {time.perf_counter() - started:.0f} s")
    return path


def base_file(directory: Path, rows: int, seed: int) -> Path:
    path = directory / f"register-{HOST}-{rows}-seed{seed}.csv"
    return _made_once(path, sample_rows(rows, seed=seed, host_state=HOST), "base file")


def _renumbered(row: SampleRow, index: int) -> SampleRow:
    # "Q" appears in no synthetic number: these never collide with the base file's.
    kind_letter = row["document_kind"][0].upper()
    return {
        **row,
        "passport_number": f"Q{index:08d}",
        "document_number": f"{kind_letter}Q{index:08d}",
    }


def _corrected(row: SampleRow) -> SampleRow:
    until = dt.date.fromisoformat(row["valid_until"]) + dt.timedelta(days=30)
    return {**row, "valid_until": until.isoformat()}


def _delta_rows(base: Path, base_rows: int, rows: int, seed: int) -> Iterator[SampleRow]:
    old_count = rows - round(rows * NEW)
    stride = max(base_rows // max(old_count, 1), 1)
    new_rows = (_renumbered(r, i) for i, r in enumerate(sample_rows(rows, seed=seed + 1000)))
    with base.open(encoding="utf-8", newline="") as stream:
        old_rows = islice(csv.DictReader(stream), 0, None, stride)
        for index in range(rows):
            # Of every ten rows: seven new, two corrected, one unchanged.
            place = index % 10
            old = next(old_rows, None) if place >= 7 else None
            if old is None:
                yield next(new_rows)
            elif place < 9:
                yield _corrected(old)
            else:
                yield old


def delta_file(directory: Path, base: Path, base_rows: int, rows: int, seed: int) -> Path:
    path = directory / f"delta-{HOST}-{rows}-into-{base_rows}-seed{seed}.csv"
    return _made_once(path, _delta_rows(base, base_rows, rows, seed), "delta file")
