"""Structured logs: one JSON object a line (or readable lines for a developer's console),
every line of a request carrying its request id. What is logged is chosen so that no personal
data reaches the log: routes as templates (``/api/v1/persons/{person_id}``), never query
strings or bodies; SQL errors without their parameters (``hide_parameters`` on the engine)."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from kervan.ops.request_ids import request_id_var

# Keys never written, whatever a caller passes (a safety net behind the rule above).
_REDACTED_KEYS = frozenset(
    {"password", "token", "secret", "cookie", "authorization", "name", "query", "q", "body"}
)


def _add_request_id(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    if (found := request_id_var.get()) is not None:
        event.setdefault("request_id", found)
    return event


def _redact(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    event.pop("color_message", None)  # uvicorn's copy of the message with terminal colours
    for key in _REDACTED_KEYS & event.keys():
        event[key] = "[redacted]"
    return event


def configure_logging(log_format: str = "json", level: str = "info") -> None:
    """Route the standard library's records (ours, uvicorn's, SQLAlchemy's) through structlog's
    formatter on stderr. Idempotent: a second call replaces the handler."""
    shared: list[Any] = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
        _add_request_id,
        _redact,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name("kervan")
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != "kervan"] + [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # uvicorn's access lines and httpx's request lines carry query strings (names typed into a
    # search): ours do not.
    logging.getLogger("uvicorn.access").disabled = True
    for client in ("httpx", "httpx2", "httpcore", "httpcore2"):  # the test client is httpx2
        logging.getLogger(client).setLevel(logging.WARNING)


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
