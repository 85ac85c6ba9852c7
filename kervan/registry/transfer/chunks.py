"""The Python half of an import, run by the reader (a thread or a process, ``pipeline``) one
chunk ahead of the database: each chunk validated column by column, its names derived, its
would-be record ids drawn, and its rows, in the staging table's storage form, split into waves.

A wave holds no document twice, so the database can reconcile all its rows at once
(``reconcile``) and reach what reconciling them one after another would: a row that meets a
document already in the chunk goes into a later wave than the row before it, and sees that
row's document in the register. Rows of one passport may share a wave: they share the ids of
the person they would create, and the database lets the first of them that it keeps create the
person and holds the others to it. Most chunks are one wave.

A first load also tells the database which rows can meet the register at all: the register was
empty when the load began and no one else writes it until the load commits, so only a passport
or document of an earlier chunk or wave can be there (``SeenBefore``); the other rows skip the
look-up."""

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
from kervan.registry.transfer.seen_before import SeenBefore
from kervan.registry.transfer.staging import COPY_NULL, StagedWave
from kervan.registry.transfer.validation import ParsedColumns, birth_text, parse_columns

#: Derived name columns kept per import: names repeat (families, common given names). Measured
#: on a million synthetic rows: 16,384 entries derive as fast as 65,536 and hold 23 MiB less.
NAME_CACHE = 16384

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
    #: A first load: no per-person "created" entry (so no id for one), and the rows that
    #: cannot meet the register are told so (``SeenBefore``).
    batch_history: bool
    names: NameDeriver = field(default_factory=name_deriver)

    def __post_init__(self) -> None:
        # How a staged row writes None and booleans: PostgreSQL's COPY text takes only str.
        postgres = self.dialect == "postgresql"
        self._null = COPY_NULL if postgres else None
        self._yes: Any = "t" if postgres else True
        self._no: Any = "f" if postgres else False
        self._passports_seen = SeenBefore() if self.batch_history else None
        self._documents_seen = SeenBefore() if self.batch_history else None

    def chunks(self, rows: Iterator[Row], size: int) -> Iterator[Chunk]:
        """``rows`` in chunks of at most ``size`` rows read, each validated column by column
        (``validation.parse_columns``)."""
        while batch := list(itertools.islice(rows, size)):
            parsed, errors = parse_columns(batch)
            yield self._chunk(len(batch), parsed, errors)

    def _chunk(self, read: int, parsed: ParsedColumns, errors: list[RowError]) -> Chunk:
        self.ids.start_batch()
        waves = [
            StagedWave.of(self.dialect, rows, shared_passports=shared, persons_differ=differ)
            for rows, shared, differ in self._waves(parsed)
        ]
        first, last = (parsed.rows[0], parsed.rows[-1]) if parsed.rows else (0, 0)
        return Chunk(read, errors, waves, first, last, self.ids.first, self.ids.last)

    def _waves(self, parsed: ParsedColumns) -> list[tuple[list[tuple[Any, ...]], bool, bool]]:
        """The staged rows in waves, each with whether a passport is in it twice and whether
        rows of one passport there describe its person differently (``_person_differs``)."""
        if not parsed.rows:
            return []
        c = parsed.columns
        passports = list(zip(c[_ISSUING_STATE], c[_PASSPORT_NUMBER], strict=True))
        documents = list(zip(c[_KIND], c[_DOCUMENT_NUMBER], strict=True))
        first_of = _first_of_each(passports)
        repeated = len(set(first_of)) < len(first_of)  # a passport twice in the chunk
        wave_of = _wave_of(passports, documents)
        probes = self._probes(passports, documents, wave_of)
        staged = self._staged(parsed, first_of if repeated else None, probes)
        if wave_of is None and not repeated:
            return [(staged, False, False)]  # no passport and no document twice
        persons = list(zip(*(c[k] for k in _PERSON), strict=True))
        waves: list[list[tuple[Any, ...]]] = [[] for _ in range(max(wave_of or [0]) + 1)]
        firsts: list[dict[tuple[str, str], int]] = [{} for _ in waves]
        shared, differ = [False] * len(waves), [False] * len(waves)
        for index, (passport, values) in enumerate(zip(passports, staged, strict=True)):
            wave = wave_of[index] if wave_of is not None else 0
            waves[wave].append(values)
            first = firsts[wave].setdefault(passport, index)
            if first != index:
                shared[wave] = True
                differ[wave] = differ[wave] or self._differs(persons[index], persons[first])
        return list(zip(waves, shared, differ, strict=True))

    def _differs(self, person: tuple[Any, ...], first: tuple[Any, ...]) -> bool:
        """Whether ``reconcile`` may find a row of a passport disagreeing with the row that
        creates its person, the first of its rows or another: not when they all give the same
        values, and the identifiers they give are the ones the person is stored with."""
        if person != first:
            return True
        names = self.names(person[0], person[1], person[3], person[4])
        return (person[3] is not None and person[3] != names[0]) or (
            person[4] is not None and person[4] != names[1]
        )

    def _probes(
        self,
        passports: list[tuple[str, str]],
        documents: list[tuple[str, str]],
        wave_of: list[int] | None,
    ) -> tuple[list[Any], list[Any]]:
        """Per row, whether the database must look its passport and its document up in the
        register: always, but in a first load only where an earlier chunk or wave may have
        written them (rows of one passport in one wave are told apart by the database)."""
        yes, no = self._yes, self._no
        if self._passports_seen is None or self._documents_seen is None:
            return [yes] * len(passports), [yes] * len(documents)
        waves = wave_of or [0] * len(passports)
        first_wave: dict[tuple[str, str], int] = {}
        earlier_document: set[tuple[str, str]] = set()
        passport_probes, document_probes = [], []
        passports_seen = self._passports_seen.check_then_add(passports)
        documents_seen = self._documents_seen.check_then_add(documents)
        for passport, document, wave, passport_seen, document_seen in zip(
            passports, documents, waves, passports_seen, documents_seen, strict=True
        ):
            later_wave = first_wave.setdefault(passport, wave) < wave
            passport_probes.append(yes if passport_seen or later_wave else no)
            again = document in earlier_document
            earlier_document.add(document)
            document_probes.append(yes if document_seen or again else no)
        return passport_probes, document_probes

    def _staged(
        self,
        parsed: ParsedColumns,
        first_of: list[int] | None,
        probes: tuple[list[Any], list[Any]],
    ) -> list[tuple[Any, ...]]:
        """The rows in ``staging.STAGED_COLUMNS`` order and storage form, made column by column
        and turned into rows in C: ids as hex, dates as ISO text (what SQLite stores and
        PostgreSQL reads); on PostgreSQL every value a str and None as ``staging.COPY_NULL``,
        so that a wave's COPY text is joined in C. Rows of one passport (``first_of``: the
        chunk's first row with each row's passport; None when no passport repeats) get the ids
        of the person its first row would create."""
        count = len(parsed.rows)
        c = parsed.columns
        # The chunk's ids drawn at once, row by row in file order: a batch's records form one
        # range of ids.
        per_row = 4 if self.batch_history else 5
        ids = self.ids.take(count * per_row)
        id_columns: list[list[str | None]] = [list(ids[k::per_row]) for k in range(per_row)]
        if self.batch_history:
            id_columns.insert(3, [self._null] * count)  # no "created" entry per person
        if first_of is not None:
            for k in (0, 1, 3):  # the person, its passport and its "created" entry
                column = id_columns[k]
                id_columns[k] = [column[j] for j in first_of]
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
            *probes,
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


def _first_of_each(keys: list[tuple[str, str]]) -> list[int]:
    """For each key, the index of its first occurrence."""
    first: dict[tuple[str, str], int] = {}
    return [first.setdefault(key, index) for index, key in enumerate(keys)]


def _wave_of(
    passports: list[tuple[str, str]], documents: list[tuple[str, str]]
) -> list[int] | None:
    """Each row's wave (None: all in one). A row comes after every earlier row of its document
    and no earlier than the earlier rows of its passport, which it may join: the file's order
    between rows that meet is kept, and rows of one person stay together where they can."""
    if len(set(documents)) == len(documents):
        return None
    passport_wave: dict[tuple[str, str], int] = {}
    document_wave: dict[tuple[str, str], int] = {}
    waves = []
    for passport, document in zip(passports, documents, strict=True):
        wave = max(passport_wave.get(passport, 0), document_wave.get(document, -1) + 1)
        passport_wave[passport] = document_wave[document] = wave
        waves.append(wave)
    return waves


# Columns of ``validation.ParsedColumns`` (``PARSERS`` order) used by name.
_BIRTH, _PASSPORT_NUMBER, _ISSUING_STATE, _KIND, _DOCUMENT_NUMBER = 6, 8, 9, 11, 12
#: The columns a row describes its passport's person with (``reconcile.person_problems``):
#: names, identifiers, nationality, birth, sex and the passport's expiry.
_PERSON = (0, 1, 2, 3, 4, 5, _BIRTH, 7, 10)
