"""Is a port free? Asked before a demo deletes or generates anything, so a demo still running
on the port is left alone."""

from __future__ import annotations

import socket


def port_taken(port: int, host: str = "127.0.0.1") -> str | None:
    """Why ``port`` cannot be listened on (the system's reason, e.g. "Address already in
    use"; bound as uvicorn binds it), or None if it is free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.strerror or "cannot bind"
    return None
