"""What a first load has already staged, in bounded memory: a Bloom filter of keys.

A first load starts from an empty register that no one else writes until it commits, so a row
can meet the register only through a passport or a document of an earlier row. Asking the
database for every row (an index probe each, a fifth of a first load's server time) is then
wasted for most rows; asking this filter first is not. A Bloom filter answers "maybe" for every
key it was given and, rarely, for one it was not (then the row is looked up for nothing): it
never answers "no" for a key it holds, which is all correctness needs. Its memory is fixed
whatever the register's size (8 MiB); one position per key keeps the reader's work to a hash
and a bit per key, and at 3 million keys in 2**26 bits about one unseen key in 23 is looked up
needlessly (one in 65 at a million)."""

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
        positions = [h & mask for h in map(hash, keys)]
        seen = [bits[p >> 3] & (1 << (p & 7)) != 0 for p in positions]
        for p in positions:
            bits[p >> 3] |= 1 << (p & 7)
        return seen
