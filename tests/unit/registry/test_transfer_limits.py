"""Cell limits of an import row: too long or holding a control character, named never quoted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.transfer.limits import ImportLimits, cell_problem

LIMITS = ImportLimits(max_cell_chars=8)


def test_a_clean_row_has_no_problem_and_tab_or_newline_are_allowed() -> None:
    assert cell_problem({"a": "Karimov", "b": "x\ty", "c": "a\r\nb"}, LIMITS) is None


def test_long_cells_are_named_before_control_characters() -> None:
    problem = cell_problem({"a": "x" * 9, "b": "nul\x00"}, LIMITS)
    assert problem == "cell(s) longer than 8 characters: 'a'"
    assert cell_problem({"a": "ok", "b": "nul\x00"}, LIMITS) == (
        "cell(s) holding a control character (such as NUL): 'b'"
    )


@given(st.dictionaries(st.sampled_from("abcd"), st.text(max_size=10)))
def test_the_fast_path_agrees_with_a_cell_by_cell_check(values: dict[str, str]) -> None:
    bad = any(
        len(v) > 8 or any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in v)
        for v in values.values()
    )
    assert (cell_problem(values, LIMITS) is not None) == bad
