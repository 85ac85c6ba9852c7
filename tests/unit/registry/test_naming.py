"""kervan/registry/naming.py: the name columns of a person, derived in one place for the
service, imports and the generator — identifiers, script, search key and skeletons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.naming import name_columns, part_tokens

LATIN_NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)


def test_a_cyrillic_name_gets_mrz_identifiers_by_transliteration() -> None:
    found = name_columns("Сәрсенбаев", "Ержан")
    assert found.name_script == "Cyrl"
    assert found.primary_identifier.isascii() and found.primary_identifier.isupper()
    assert found.primary_identifier.startswith("SARSENBAEV")
    # The search key holds the folded words of the names and of the identifiers, once each.
    words = found.name_key.split()
    assert len(words) == len(set(words))
    assert {*part_tokens("Ержан"), *part_tokens(found.primary_identifier)} <= set(words)


def test_the_travel_document_s_identifiers_win_over_transliteration() -> None:
    found = name_columns("Сәрсенбаев", "Ержан", "SARSENBAYEV", "YERZHAN")
    assert (found.primary_identifier, found.secondary_identifier) == ("SARSENBAYEV", "YERZHAN")
    assert {*part_tokens("SARSENBAYEV"), *part_tokens("YERZHAN")} <= set(found.name_key.split())
    # An empty given name on the document is kept empty, not transliterated again.
    assert name_columns("Асан уулу", "Бакыт", None, "").secondary_identifier == ""


@given(LATIN_NAMES, LATIN_NAMES)
def test_latin_names_keep_their_form_and_each_part_gives_a_skeleton(
    primary: str, secondary: str
) -> None:
    found = name_columns(primary, secondary)
    assert (found.primary_identifier, found.secondary_identifier) == (primary, secondary)
    assert found.name_script == "Latn"
    assert found.primary_skeleton and found.secondary_skeleton
    assert found.as_dict()["name_key"] == found.name_key


def test_a_family_name_that_is_only_a_patronymic_form_stays_searchable() -> None:
    assert name_columns("Асан уулу", "").name_key
