"""The verifier's browser tests use the node the benchmark uses (``kervan.diplomacy.loadtest``)."""

from kervan.diplomacy.loadtest import (
    BORDER_USER,
    PASSWORD,
    VerifierNode,
    prepare,
    serving,
    write_y4m,
)

__all__ = ["BORDER_USER", "PASSWORD", "VerifierNode", "prepare", "serving", "write_y4m"]
