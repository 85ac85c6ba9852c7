"""``kervan serve``: check the database, then run uvicorn with the operator's options. Each
worker process builds its own app from the ``KERVAN_*`` settings (``app_from_environment``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fastapi import FastAPI

from kervan.cli_support import fail
from kervan.config import Settings
from kervan.errors import KervanError
from kervan.ops.logs import configure_logging
from kervan.ops.startup import require_ready_database


def app_from_environment() -> FastAPI:
    from kervan.web.app import create_app

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(settings)


def refuse_unless_ready(settings: Settings) -> None:
    """One line and exit 1 unless the database exists, is at head and is this state's."""
    try:
        require_ready_database(settings.database_url, settings.state)
    except KervanError as exc:
        fail(exc.detail)


def serve_node(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    root_path: str,
    tls: tuple[Path, Path] | None,
) -> None:
    import uvicorn

    from kervan.web.proxies import SERVER_OPTIONS

    refuse_unless_ready(settings)
    configure_logging(settings.log_format, settings.log_level)
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Request counters of all workers, summed at /metrics (prometheus_client's way).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kervan-metrics-")
    uvicorn.run(
        "kervan.ops.serving:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        root_path=root_path,
        **SERVER_OPTIONS,  # forwarded headers: the app's middleware trusts KERVAN_TRUSTED_PROXIES
        ssl_certfile=str(tls[0]) if tls else None,
        ssl_keyfile=str(tls[1]) if tls else None,
        log_config=None,  # ours (configure_logging): JSON lines with request ids
        access_log=False,
    )
