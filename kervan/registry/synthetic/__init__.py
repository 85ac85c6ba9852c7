"""Synthetic register data for ``kervan generate``, the demo, the tests and the benchmarks.

``generate`` makes deterministic batches of rows (persons, travel documents, stay documents, their
"issued" events, violations); ``load`` streams them into SQLite or PostgreSQL;
``spelling_variants`` gives the ways an officer might type a generated person's name. See
``docs/synthetic-data.md``.
"""

from __future__ import annotations

from kervan.registry.synthetic.generator import Batch, Row, generate
from kervan.registry.synthetic.loader import LoadError, LoadStats, load
from kervan.registry.synthetic.variants import spelling_variants

__all__ = ["Batch", "LoadError", "LoadStats", "Row", "generate", "load", "spelling_variants"]
