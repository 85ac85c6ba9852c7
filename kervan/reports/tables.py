"""A published table: counts over a cross-classification of a few dimensions, with every
margin (each dimension in turn replaced by its total, ``TOTAL``), as statistical offices publish
them. The interior counts come from SQL (``kervan.reports.queries``); the margins are sums of
those counts, so they add up by construction and the suppression's equations are exact."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

TOTAL = "_T"  # SDMX's code for "all of this dimension"

Key = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """``name``'s interior counts by ``dims`` (a key holds one category per dimension).

    ``margins`` False: the table is a plain list (e.g. persons reached per measure, which may
    overlap, so they do not add up to a meaningful total)."""

    name: str
    dims: tuple[str, ...]
    counts: Mapping[Key, int]
    categories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    margins: bool = True
    # Names officers gave to codes of a dimension, published with the table so every reader
    # shows them in their language: {dimension: {code: {language: name}}} (benefit kinds,
    # measures' titles).
    names: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def categories_of(self, dim: str) -> tuple[str, ...]:
        """A dimension's categories: the declared ones (so an empty category is published as
        a zero, not left out), then any the data added."""
        index = self.dims.index(dim)
        declared = tuple(self.categories.get(dim, ()))
        seen = sorted({key[index] for key in self.counts} - set(declared))
        return declared + tuple(seen)

    def all_cells(self) -> dict[Key, int]:
        """Every published cell: the interior (zeros included) and, with margins, each margin."""
        levels = [self.categories_of(dim) for dim in self.dims]
        if not self.margins:
            return {key: int(self.counts.get(key, 0)) for key in itertools.product(*levels)}
        cells: dict[Key, int] = {}
        for key in itertools.product(*[(*level, TOTAL) for level in levels]):
            cells[key] = 0
        for key, count in self.counts.items():
            for mask in itertools.product((False, True), repeat=len(self.dims)):
                cells[tuple(TOTAL if m else k for k, m in zip(key, mask, strict=True))] += int(
                    count
                )
        return cells

    def relations(self) -> Iterator[tuple[Key, list[Key]]]:
        """The additive equations a reader can use: each cell with a total in one dimension
        equals the sum of the cells it totals along that dimension."""
        if not self.margins:
            return
        levels = [self.categories_of(dim) for dim in self.dims]
        for key in itertools.product(*[(*level, TOTAL) for level in levels]):
            for index, value in enumerate(key):
                if value != TOTAL or not levels[index]:
                    continue
                parts = [(*key[:index], c, *key[index + 1 :]) for c in levels[index]]
                yield key, parts


def interior(key: Sequence[str]) -> bool:
    return TOTAL not in key
