"""The verifier's browser tests use the node the benchmark uses
(``kervan.demo.diplomacy_loadtest``)."""

from kervan.demo.diplomacy_loadtest import (
    BORDER_USER,
    PASSWORD,
    VerifierNode,
    prepare,
    serving,
    write_y4m,
)

__all__ = ["BORDER_USER", "PASSWORD", "VerifierNode", "prepare", "serving", "write_y4m"]
