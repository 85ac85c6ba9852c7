"""kervan/highs.py: a HiGHS instance that prints nothing — not the banner HiGHS writes to the C
library's standard output, nor its solve log — and that still solves."""

from __future__ import annotations

import highspy
import pytest

from kervan.highs import quiet_highs


def test_a_quiet_instance_solves_and_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    highs = quiet_highs()
    # max x + y with x + y <= 1, both in [0, 1]: a one-row LP.
    inf = highspy.kHighsInf
    highs.addVars(2, [0.0, 0.0], [1.0, 1.0])
    highs.changeColsCost(2, [0, 1], [-1.0, -1.0])
    highs.addRow(-inf, 1.0, 2, [0, 1], [1.0, 1.0])
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert highs.getInfo().objective_function_value == pytest.approx(-1.0)
    second = quiet_highs()  # the banner is swallowed once; later ones are quiet by option
    second.run()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
