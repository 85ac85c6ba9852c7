"""kervan/ops/ports.py: a port another process listens on is named taken, with the reason."""

from __future__ import annotations

import socket

from kervan.ops.ports import port_taken


def test_a_listening_port_is_taken_and_a_closed_one_is_free() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_taken(port) is not None
    assert port_taken(port) is None
