"""Serve one node with the exchange installed: ``python -m kervan.demo.serve_node``.

What ``kervan serve`` does, plus ``--workers``. ``kervan demo --federation`` and the
multi-process tests start their nodes with it, as separate OS processes. Settings come from
``KERVAN_*`` variables (with ``KERVAN_EXCHANGE_WORKER=true`` the node's jobs run in the
process); it listens on 127.0.0.1 only."""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

from kervan.config import Settings
from kervan.web.app import create_app
from kervan.web.proxies import SERVER_OPTIONS


def make_app(settings: Settings) -> FastAPI:
    return create_app(settings)


def app_from_environment() -> FastAPI:
    """For uvicorn's ``factory=True``: each worker process builds its own app."""
    return make_app(Settings())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1, help="HTTP worker processes")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    uvicorn.run(
        "kervan.demo.serve_node:app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        **SERVER_OPTIONS,  # forwarded headers: only from KERVAN_TRUSTED_PROXIES
    )


if __name__ == "__main__":
    main()
