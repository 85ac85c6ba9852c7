"""kervan/plain_text.py: typed text holds any script and punctuation, tab and line breaks, but
no other control character (PostgreSQL cannot store NUL)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kervan.plain_text import NO_CONTROL_CHARACTERS

ALLOWED = re.compile(NO_CONTROL_CHARACTERS)
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc",)) | st.sampled_from("\t\n\r")))
def test_text_without_control_characters_is_allowed(text: str) -> None:
    assert ALLOWED.match(text)


@given(st.text(), st.sampled_from(CONTROLS), st.text())
def test_one_control_character_anywhere_is_refused(before: str, control: str, after: str) -> None:
    assert not ALLOWED.match(before + control + after)


def test_names_in_the_member_states_scripts_pass() -> None:
    for name in ("Ömer Güneş", "Сәрсенбай", "Ғайратұлы", "Şükürova", "Ürümqi-Öz", "Nagy-Érdi"):
        assert ALLOWED.match(name)
