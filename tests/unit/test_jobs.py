"""kervan/jobs.py: one failing job neither stops the others nor the runner; ``drain`` ends."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from kervan.jobs import JobRunner


class Countdown:
    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.closed = False

    def __call__(self, factory: Any) -> bool:
        if self.steps == 0:
            return False
        self.steps -= 1
        return True

    def close(self) -> None:
        self.closed = True


def _failing(factory: Any) -> bool:
    raise RuntimeError("broken")


def test_a_failing_job_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    work = Countdown(3)
    runner = JobRunner(factory=None, jobs=[("broken", _failing), ("work", work)])  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="kervan.jobs"):
        assert runner.run_once() is True
    assert work.steps == 2 and "job broken failed" in caplog.text


def test_drain_runs_until_nothing_is_left_and_stops_at_its_bound() -> None:
    work = Countdown(5)
    JobRunner(None, [("work", work)]).drain()  # type: ignore[arg-type]
    assert work.steps == 0
    endless = Countdown(10_000)
    JobRunner(None, [("endless", endless)]).drain(max_rounds=7)  # type: ignore[arg-type]
    assert endless.steps == 10_000 - 7


def test_close_closes_the_jobs_that_hold_something() -> None:
    work = Countdown(0)
    JobRunner(None, [("plain", _failing), ("work", work)]).close()  # type: ignore[arg-type]
    assert work.closed
