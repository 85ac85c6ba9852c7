"""kervan/ops/logs.py: what could carry personal data never reaches the log, and each line of
a request carries its request id."""

from __future__ import annotations

from kervan.ops import logs
from kervan.ops.request_ids import request_id_var


def test_personal_and_secret_keys_are_redacted() -> None:
    event = {"event": "sign-in", "password": "hunter2", "q": "Aliyev", "status": 200}
    event["color_message"] = "\x1b[32msign-in\x1b[0m"
    found = logs._redact(None, "info", event)
    assert found == {
        "event": "sign-in",
        "password": "[redacted]",
        "q": "[redacted]",
        "status": 200,
    }


def test_the_request_id_is_added_when_there_is_one() -> None:
    assert "request_id" not in logs._add_request_id(None, "info", {"event": "x"})
    token = request_id_var.set("req-1")
    try:
        assert logs._add_request_id(None, "info", {"event": "x"})["request_id"] == "req-1"
    finally:
        request_id_var.reset(token)
