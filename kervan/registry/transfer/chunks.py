"""The Python half of an import, run by the reader (a thread or a process, ``pipeline``) one
chunk ahead of the database: each chunk validated column by column, its names derived, its
would-be record ids drawn, and its rows, in the staging table's storage form, split into waves.

A wave holds no passport and no document twice, so the database can reconcile all its rows at
once (``reconcile``) and reach what reconciling them one after another would: a row that meets
a passport or document already in the chunk goes into a later wave than the row before it, and
sees that row's person or document in the register. Most chunks are one or two waves."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kervan.registry.naming import name_columns
from kervan.registry.transfer.batches import RecordIds
from kervan.registry.transfer.formats import Row
from kervan.registry.transfer.report import RowError
from kervan.registry.transfer.staging import COPY_NULL, StagedWave
from kervan.registry.transfer.validation import ParsedColumns, birth_text, parse_columns

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
        # How a staged row writes None: PostgreSQL's COPY text takes only str.
        postgres = self.dialect == "postgresql"
        self._null = COPY_NULL if postgres else None

    def chunks(self, rows: Iterator[Row], size: int) -> Iterator[Chunk]:
        """``rows`` in chunks of at most ``size`` rows read, each validated column by column
        (``validation.parse_columns``)."""
        while batch := list(itertools.islice(rows, size)):
            parsed, errors = parse_columns(batch)
            yield self._chunk(len(batch), parsed, errors)

    def _chunk(self, read: int, parsed: ParsedColumns, errors: list[RowError]) -> Chunk:
        self.ids.start_batch()
        waves = [StagedWave.of(self.dialect, wave) for wave in self._waves(parsed)]
        first, last = (parsed.rows[0], parsed.rows[-1]) if parsed.rows else (0, 0)
        return Chunk(read, errors, waves, first, last, self.ids.first, self.ids.last)

    def _waves(self, parsed: ParsedColumns) -> list[list[tuple[Any, ...]]]:
        staged = self._staged(parsed)
        if not staged:
            return []
        c = parsed.columns
        passports = list(zip(c[_ISSUING_STATE], c[_PASSPORT_NUMBER], strict=True))
        documents = list(zip(c[_KIND], c[_DOCUMENT_NUMBER], strict=True))
        if len(set(passports)) == len(documents) == len(set(documents)):
            return [staged]  # most chunks: no passport and no document twice
        waves: list[list[tuple[Any, ...]]] = []
        passport_wave: dict[tuple[str, str], int] = {}
        document_wave: dict[tuple[str, str], int] = {}
        for passport, document, values in zip(passports, documents, staged, strict=True):
            wave = max(passport_wave.get(passport, -1), document_wave.get(document, -1)) + 1
            passport_wave[passport] = document_wave[document] = wave
            if wave == len(waves):
                waves.append([])
            waves[wave].append(values)
        return waves

    def _staged(self, parsed: ParsedColumns) -> list[tuple[Any, ...]]:
        """The rows in ``staging.STAGED_COLUMNS`` order and storage form, made column by column
        and turned into rows in C: ids as hex, dates as ISO text (what SQLite stores and
        PostgreSQL reads); on PostgreSQL every value a str and None as ``staging.COPY_NULL``,
        so that a wave's COPY text is joined in C."""
        count = len(parsed.rows)
        if not count:
            return []
        c = parsed.columns
        # The chunk's ids drawn at once, row by row in file order: a batch's records form one
        # range of ids.
        per_row = 4 if self.batch_history else 5
        ids = self.ids.take(count * per_row)
        id_columns: list[list[str | None]] = [list(ids[k::per_row]) for k in range(per_row)]
        if self.batch_history:
            id_columns.insert(3, [self._null] * count)  # no "created" entry per person
        names = zip(*map(self.names, c[0], c[1], c[3], c[4]), strict=True)
        years, months, days = zip(*c[_BIRTH], strict=True)
        value, optional = self._value, self._optional
        columns = (
            value(parsed.rows),
            *id_columns,
            c[0],
            c[1],
            c[2],
            optional(c[3]),
            optional(c[4]),
            *names,
            c[5],
            value(years),
            optional(months),
            optional(days),
            map(birth_text, c[_BIRTH]),
            c[7],
            c[_ISSUING_STATE],
            c[_PASSPORT_NUMBER],
            optional(c[10], dt.date.isoformat),
            c[_KIND],
            c[_DOCUMENT_NUMBER],
            c[13],
            map(dt.date.isoformat, c[14]),
            map(dt.date.isoformat, c[15]),
            optional(c[16]),
            optional(c[17]),
        )
        return list(zip(*columns, strict=True))

    def _value(self, values: Sequence[int]) -> Iterable[Any]:
        """Numbers as the staging write takes them: str for COPY text, else as they are."""
        return map(str, values) if self._null is not None else values

    def _optional(
        self, values: Sequence[Any], convert: Callable[[Any], str] = str
    ) -> Sequence[Any] | list[Any]:
        """A column that may hold None: None as the staging write's null, values converted."""
        null = self._null
        if null is None and convert is str:
            return values
        return [null if v is None else convert(v) for v in values]


# Columns of ``validation.ParsedColumns`` (``PARSERS`` order) used by name.
_BIRTH, _PASSPORT_NUMBER, _ISSUING_STATE, _KIND, _DOCUMENT_NUMBER = 6, 8, 9, 11, 12
