"""What a first load has already staged, in bounded memory: a Bloom filter of keys.

A first load starts from an empty register that no one else writes until it commits, so a row
can meet the register only through a passport or a document of an earlier row. Asking the
database for every row (an index probe each, a fifth of a first load's server time) is then
wasted for most rows; asking this filter first is not. A Bloom filter answers "maybe" for every
key it was given and, rarely, for one it was not (then the row is looked up for nothing): it
never answers "no" for a key it holds, which is all correctness needs. Its memory is fixed
whatever the register's size; at 3 million keys in 2**26 bits with two positions per key, about
one unseen key in 140 is looked up needlessly."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

#: The filter's size in bits (8 MiB): a power of two, so a position is a mask of the hash.
BITS = 1 << 26


class SeenBefore:
    def __init__(self, bits: int = BITS) -> None:
        if bits < 8 or bits & (bits - 1):
            raise ValueError("the filter's size must be a power of two of at least 8 bits")
        self._bits = bytearray(bits // 8)
        self._mask = bits - 1

    def check_then_add(self, keys: Sequence[Hashable]) -> list[bool]:
        """For each key, whether it may have been added before this call; then add them all
        (a key repeated within ``keys`` is not "seen before" because of itself)."""
        bits, mask = self._bits, self._mask
        # Two positions from one hash: its low bits and the bits above them.
        positions = [(h & mask, (h >> 32) & mask) for h in map(hash, keys)]
        seen = [
            bool(bits[a >> 3] & (1 << (a & 7)) and bits[b >> 3] & (1 << (b & 7)))
            for a, b in positions
        ]
        for a, b in positions:
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)
        return seen
