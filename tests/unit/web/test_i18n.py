"""kervan/web/i18n.py: the language of a request from its Accept-Language header (q-values,
then order; unknown or refused languages skipped; any header read without an error), a code
reduced to a supported language, no doubled full stop after a value that ends with one, and
"%%" meaning one thing in every language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.web.i18n import LANGUAGES, Translator, from_accept_language, one_full_stop, supported


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("de,en;q=0.5,kk;q=0.7", "kk"),  # German is not offered: the best of the rest
        ("en;q=0.5,tr;q=0.5", "en"),  # a tie: the first
        ("uz-Latn-UZ", "uz"),
        ("hu;q=0,az", "az"),  # q=0 refuses a language
        ("ky;q=abc,ru;q=0.1", "ru"),  # a q-value that is no number counts as refused
        ("", None),
        ("de,fr;q=0.9", None),
    ],
)
def test_the_best_supported_language_of_a_header(header: str, language: str | None) -> None:
    assert from_accept_language(header) == language


@settings(max_examples=50)
@given(st.text(max_size=80))
def test_any_header_gives_a_supported_language_or_none(header: str) -> None:
    assert from_accept_language(header) in {*LANGUAGES, None}


def test_a_code_is_reduced_to_its_supported_language() -> None:
    assert [supported(c) for c in ("KK_kz", " tr-TR", "en", "xx", "", None)] == [
        "kk",
        "tr",
        "en",
        None,
        None,
        None,
    ]


def test_a_value_that_ends_with_a_full_stop_takes_the_sentences_place() -> None:
    text = "Valid until %(date)s."
    assert one_full_stop(text, {"date": "16 мар. 2026 г."}) == "Valid until %(date)s"
    assert one_full_stop(text, {"date": "2026-03-16"}) == text
    assert one_full_stop("%(a)s. %(b)s.", {"a": "x.", "b": "y"}) == "%(a)s %(b)s."


def test_gettext_always_formats_so_a_percent_sign_is_written_once() -> None:
    english = Translator("en")
    assert english.gettext("100%% of %(n)s", n=3) == "100% of 3"
    assert english.ngettext("%(num)s day", "%(num)s days", 2) == "2 days"
    assert Translator("ru").gettext("no such message in any catalog") == (
        "no such message in any catalog"
    )
