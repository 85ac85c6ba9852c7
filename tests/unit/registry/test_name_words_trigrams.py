"""The claim the typo look-up rests on: in a word of five letters or more, one wrong, missing,
doubled or swapped letter leaves at least one trigram of ``^WORD$`` intact, so the vocabulary
query cannot miss the word. (In shorter words a swap can change every trigram: ABA, BAA.)"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.name_words import _like_pattern, padded_trigrams

word = st.text(alphabet="ABCDEFGHIKLMNOPRSTUVZ", min_size=3, max_size=14)


@st.composite
def word_and_typo(draw: st.DrawFn) -> tuple[str, str]:
    original = draw(word)
    at = draw(st.integers(0, len(original) - 1))
    letter = draw(st.sampled_from("ABCDEFGHIKLMNOPRSTUVZ"))
    edit = draw(st.sampled_from(("substitute", "delete", "insert", "swap")))
    if edit == "substitute":
        typo = original[:at] + letter + original[at + 1 :]
    elif edit == "delete":
        typo = original[:at] + original[at + 1 :]
    elif edit == "insert":
        typo = original[:at] + letter + original[at:]
    else:
        at = min(at, len(original) - 2)
        typo = original[:at] + original[at + 1] + original[at] + original[at + 2 :]
    return original, typo


@given(word_and_typo())
def test_one_edit_keeps_a_trigram(pair: tuple[str, str]) -> None:
    original, typo = pair
    if len(original) < 5:
        return
    assert set(padded_trigrams(original)) & set(padded_trigrams(typo))


@given(word)
def test_like_patterns_say_what_the_trigrams_say(text: str) -> None:
    """PostgreSQL's LIKE patterns match ^WORD$ exactly where FTS5's trigram phrases do."""
    import re

    padded = f"^{text}$"
    for gram in padded_trigrams(text):
        pattern = _like_pattern(gram)
        regex = "^" + re.escape(pattern).replace("%", ".*") + "$"
        assert re.match(regex, text) is not None
        assert gram in padded
