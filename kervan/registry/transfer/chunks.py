"""The Python half of an import, run in the reader thread (``pipeline``) one chunk ahead of the
database: each row parsed and validated, its names derived, its would-be record ids drawn, and
the chunk's rows, in the staging table's storage form, split into waves.

A wave holds no passport and no document twice, so the database can reconcile all its rows at
once (``reconcile``) and reach what reconciling them one after another would: a row that meets
a passport or document already in the chunk goes into a later wave than the row before it, and
sees that row's person or document in the register. Most chunks are one or two waves."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kervan.registry.naming import name_columns
from kervan.registry.transfer.batches import RecordIds
from kervan.registry.transfer.formats import Row
from kervan.registry.transfer.report import RowError
from kervan.registry.transfer.staging import COPY_NULL, StagedWave
from kervan.registry.transfer.validation import ParsedRow, birth_text, parse_rows

#: Derived name columns kept per import: names repeat (families, common given names).
NAME_CACHE = 65536

NameDeriver = Callable[[str, str, str | None, str | None], tuple[str, ...]]


def name_deriver() -> NameDeriver:
    """The derived name columns in ``staging`` order, cached for the import."""

    @functools.lru_cache(maxsize=NAME_CACHE)
    def derive(
        primary: str, secondary: str, primary_id: str | None, secondary_id: str | None
    ) -> tuple[str, ...]:
        n = name_columns(primary, secondary, primary_id, secondary_id)
        return (
            n.primary_identifier,
            n.secondary_identifier,
            n.name_script,
            n.name_key,
            n.primary_skeleton,
            n.secondary_skeleton,
        )

    return derive


@dataclass
class Chunk:
    """One chunk of the file, ready for the database."""

    read: int  # rows read
    errors: list[RowError]  # problems found by validation
    waves: list[StagedWave]  # staged rows, ready to send (``staging.StagedWave``)
    first_row: int = 0  # the first and last valid rows' numbers (0: none)
    last_row: int = 0
    first_id: str | None = None  # the range of record ids drawn for the chunk
    last_id: str | None = None


@dataclass
class ChunkMaker:
    """Turns rows into ``Chunk``s for one import."""

    dialect: str
    ids: RecordIds
    batch_history: bool  # a first load: no per-person "created" entry, so no id for one
    names: NameDeriver = field(default_factory=name_deriver)

    def __post_init__(self) -> None:
        # How a staged row writes None and numbers: PostgreSQL's COPY text takes only str.
        postgres = self.dialect == "postgresql"
        self._null = COPY_NULL if postgres else None
        self._number: Callable[[int], Any] = str if postgres else _same

    def chunks(self, rows: Iterator[Row], size: int) -> Iterator[Chunk]:
        """``rows`` in chunks of at most ``size`` rows read, each validated column by column
        (``validation.parse_rows``)."""
        while batch := list(itertools.islice(rows, size)):
            parsed, errors = parse_rows(batch)
            yield self._chunk(len(batch), parsed, errors)

    def _chunk(self, read: int, rows: list[ParsedRow], errors: list[RowError]) -> Chunk:
        self.ids.start_batch()
        waves = [StagedWave.of(self.dialect, wave) for wave in self._waves(rows)]
        first, last = (rows[0].row, rows[-1].row) if rows else (0, 0)
        return Chunk(read, errors, waves, first, last, self.ids.first, self.ids.last)

    def _waves(self, rows: list[ParsedRow]) -> list[list[tuple[Any, ...]]]:
        waves: list[list[tuple[Any, ...]]] = []
        passport_wave: dict[tuple[str, str], int] = {}
        document_wave: dict[tuple[str, str], int] = {}
        # The chunk's ids drawn at once, in file order: a batch's records form one range.
        next_id = iter(self.ids.take(len(rows) * (4 if self.batch_history else 5))).__next__
        for row in rows:
            passport = (row.passport_issuing_state, row.passport_number)
            document = (row.document_kind, row.document_number)
            wave = max(passport_wave.get(passport, -1), document_wave.get(document, -1)) + 1
            passport_wave[passport] = document_wave[document] = wave
            if wave == len(waves):
                waves.append([])
            waves[wave].append(self._staged(row, next_id))
        return waves

    def _staged(self, row: ParsedRow, next_id: Callable[[], str]) -> tuple[Any, ...]:
        """The row in ``staging.STAGED_COLUMNS`` order and storage form: ids as hex, dates as
        ISO text (what SQLite stores and PostgreSQL reads); on PostgreSQL every value a str
        and None as ``staging.COPY_NULL``, so that a wave's COPY text is joined in C."""
        null, number = self._null, self._number
        year, month, day = row.birth
        expiry = row.passport_expiry
        return (
            number(row.row),
            next_id(),
            next_id(),
            next_id(),
            null if self.batch_history else next_id(),
            next_id(),
            row.primary_name,
            row.secondary_name,
            row.patronymic,
            null if row.primary_identifier is None else row.primary_identifier,
            null if row.secondary_identifier is None else row.secondary_identifier,
            *self.names(
                row.primary_name,
                row.secondary_name,
                row.primary_identifier,
                row.secondary_identifier,
            ),
            row.nationality,
            number(year),
            null if month is None else number(month),
            null if day is None else number(day),
            birth_text(row.birth),
            row.sex,
            row.passport_issuing_state,
            row.passport_number,
            null if expiry is None else expiry.isoformat(),
            row.document_kind,
            row.document_number,
            row.purpose,
            row.valid_from.isoformat(),
            row.valid_until.isoformat(),
            null if row.status is None else row.status,
            null if row.region is None else row.region,
        )


def _same(value: int) -> int:
    return value
