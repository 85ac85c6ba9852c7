"""Waiting for another node in the demo's federation steps."""

from __future__ import annotations

import pytest

from kervan.demo.waiting import until


def test_the_first_truthy_answer_is_returned() -> None:
    answers = iter([None, {}, {"status": "granted"}])
    assert until(lambda: next(answers), "the pass", seconds=5) == {"status": "granted"}


def test_no_answer_in_time_names_what_did_not_happen() -> None:
    with pytest.raises(TimeoutError, match="UZB receiving the pass did not happen within 0 s"):
        until(lambda: False, "UZB receiving the pass", seconds=0)
