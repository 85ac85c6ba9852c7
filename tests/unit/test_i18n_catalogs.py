"""The catalog tooling behind ``kervan i18n update`` and ``kervan i18n check``, on temporary
copies of the committed catalogs (the real ones are never written here)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from kervan.web import i18n_catalogs
from kervan.web.i18n import LANGUAGES, LOCALE_DIR

NEW = "A message added after the last update"
NEW_WITH_VALUE = "Persons checked today: %(count)s"
NEW_PLURAL = ("%(num)s new violation.", "%(num)s new violations.")


@pytest.fixture()
def locale_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    return copy


def _template_with_new_messages(locale_dir: Path) -> Catalog:
    template = i18n_catalogs.read_catalog(locale_dir / "messages.pot")
    template.add(NEW, locations=[("kervan/example.html", 1)])
    template.add(NEW_WITH_VALUE, locations=[("kervan/example.html", 2)])
    template.add(NEW_PLURAL, locations=[("kervan/example.html", 3)])
    return template


def _read(locale_dir: Path, code: str) -> Catalog:
    return i18n_catalogs.read_catalog(i18n_catalogs.po_path(code, locale_dir), code)


def test_update_gives_new_messages_the_source_in_english_and_nothing_elsewhere(
    locale_copy: Path,
) -> None:
    template = _template_with_new_messages(locale_copy)
    before = {code: _read(locale_copy, code) for code in LANGUAGES}

    i18n_catalogs.update_catalogs(template, locale_copy)

    english = _read(locale_copy, "en")
    assert english[NEW].string == NEW
    assert english[NEW_WITH_VALUE].string == NEW_WITH_VALUE
    assert tuple(english[NEW_PLURAL[0]].string) == NEW_PLURAL
    for code in LANGUAGES:
        if code == "en":
            continue
        catalog = _read(locale_copy, code)
        # Every language after English in LANGUAGES used to get English copies here.
        assert catalog[NEW].string == "", code
        assert catalog[NEW_WITH_VALUE].string == "", code
        assert not any(catalog[NEW_PLURAL[0]].string), code
        assert not catalog[NEW].fuzzy, code
        # What was translated stays translated.
        kept = next(m for m in before[code] if m.id and m.string and not m.fuzzy)
        assert catalog[kept.id].string == kept.string, code
    # The caller's template is not filled in either, and only the copy was written to.
    assert not template[NEW].string
    assert (locale_copy / "messages.pot").read_text().count(NEW) == 1


def test_update_then_check_reports_the_new_messages_only_where_they_must_be_complete(
    locale_copy: Path,
) -> None:
    template = _template_with_new_messages(locale_copy)
    i18n_catalogs.update_catalogs(template, locale_copy)

    problems = i18n_catalogs.check(template, locale_copy)

    # Russian must translate them; English is complete by construction; the other languages
    # may lag behind (empty means "shown in English"), and nothing is a copy.
    assert f"ru: {NEW!r} is not translated" in problems
    assert not [p for p in problems if p.startswith("en:")]
    assert not [p for p in problems if "copy of the English source" in p]


def test_check_names_the_file_and_msgid_of_a_copied_translation(locale_copy: Path) -> None:
    path = i18n_catalogs.po_path("kk", locale_copy)
    catalog = i18n_catalogs.read_catalog(path, "kk")
    victim = next(
        m
        for m in catalog
        if m.id and isinstance(m.id, str) and not i18n_catalogs.allowed_same("kk", m.id)
    )
    victim.string = victim.id
    i18n_catalogs.write_catalog(catalog, path, locations=False)

    problems = i18n_catalogs.check(None, locale_copy)

    copies = [p for p in problems if "copy of the English source" in p]
    assert len(copies) == 1
    assert copies[0].startswith(f"{path}: {victim.id!r} is a copy of the English source")


@pytest.mark.parametrize(
    ("code", "msgid", "msgstr", "flagged"),
    [
        ("kk", "Measure", "Measure", True),
        ("hu", "Extended %(number)s.", "Extended %(number)s.", True),
        ("tr", "Status", "Status", True),  # Turkish says "Durum"
        ("kk", "Measure", "Шара", False),
        ("en", "Measure", "Measure", False),  # English is the source
        ("kk", "MRZ", "MRZ", False),  # the same code in every language
        ("uz", "ICAO", "ICAO", False),
        ("hu", "%(count)s", "%(count)s", False),  # nothing to translate but the value
        ("ky", "%(start)s – %(end)s", "%(start)s – %(end)s", False),
        ("az", "Status", "Status", False),  # the Azerbaijani word, listed for az only
        ("ru", "Measure", "", False),  # untranslated is another check's business
    ],
)
def test_a_copy_of_the_source_is_flagged_unless_it_is_allow_listed(
    code: str, msgid: str, msgstr: str, flagged: bool
) -> None:
    problems = i18n_catalogs.copy_problems(code, Message(msgid, msgstr), "x.po")
    assert bool(problems) is flagged
    if flagged:
        assert problems == [
            f"x.po: {msgid!r} is a copy of the English source, not a translation "
            "(translate it; the few allowed are listed in kervan/web/i18n_catalogs.py)"
        ]


def test_a_plural_copied_in_either_form_is_flagged() -> None:
    ids = ("%(num)s violation", "%(num)s violations")
    copied = Message(ids, ("%(num)s бұзушылық", "%(num)s violations"))
    translated = Message(ids, ("%(num)s бұзушылық", "%(num)s бұзушылық"))
    assert i18n_catalogs.copy_problems("kk", copied)
    assert not i18n_catalogs.copy_problems("kk", translated)


def test_a_fuzzy_copy_is_left_to_the_fuzzy_rule() -> None:
    assert not i18n_catalogs.copy_problems("kk", Message("Measure", "Measure", flags={"fuzzy"}))


def test_the_allow_lists_are_small_and_only_name_languages_that_exist() -> None:
    assert len(i18n_catalogs.SAME_IN_EVERY_LANGUAGE) <= 12
    assert set(i18n_catalogs.SAME_IN_LANGUAGE) <= set(LANGUAGES) - {"en"}
    assert sum(len(words) for words in i18n_catalogs.SAME_IN_LANGUAGE.values()) <= 10


def test_the_committed_catalogs_have_no_english_copies_or_broken_placeholders() -> None:
    # The full check (with the re-extracted template) runs in tests/functional/test_ui_i18n.py
    # and in `make lint`; this one needs no extraction.
    assert i18n_catalogs.check() == []
