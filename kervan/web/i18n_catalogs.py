"""The UI's message catalogs as files: extracting the template, updating each language, and the
checks CI runs (``kervan i18n check``).

The template (``messages.pot``) and the ``.po`` files are committed; the check re-extracts the
messages in memory and compares, so a message added to a template without ``kervan i18n
update`` fails the build instead of silently showing English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

import kervan
from kervan.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

SOURCE_ROOT = Path(kervan.__file__).resolve().parent.parent
MAPPING_FILE = SOURCE_ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / "messages.pot"
#: Catalogs that must translate every message; the others fall back to English where empty.
COMPLETE = ("ru", "en")
#: The language of the msgids: its catalog is the source text, copied by ``update_catalogs``.
SOURCE_LANGUAGE = "en"
PROJECT = "Kervan"

#: Messages any catalog may leave exactly as in English. Every other msgstr that equals its
#: msgid fails ``kervan i18n check``, because an English copy is what a broken update (or a
#: translator's paste) leaves behind, and a copy hides the message from "untranslated" counts.
#: Only what reads the same in every language belongs here: codes and abbreviations written in
#: Latin letters in all eight (MRZ, ICAO, API, file formats) and proper names. Strings with no
#: letters outside their placeholders ("%(count)s", "%(a)s – %(b)s") pass without a listing.
SAME_IN_EVERY_LANGUAGE = frozenset({"API", "CSV", "ICAO", "JSON", "Kervan", "MRZ", "XLSX", "YAML"})
#: Words one language happens to write exactly as English does (loanwords spelt the same way),
#: per language. Keep this short: a word listed here is never checked again in that language.
SAME_IN_LANGUAGE: dict[str, frozenset[str]] = {
    # "problem", "status": the standard Azerbaijani words
    "az": frozenset({"Problem", "Status", "status"}),
    "tr": frozenset({"Latin (ICAO)", "Transit"}),  # "Latin" (alphabet) and "transit" in Turkish
    "uz": frozenset({"Import"}),  # "import": the Uzbek noun (verb: "import qilish")
}

# A named placeholder, a literal "%%", or any other "%" (which is broken: the UI always applies
# "%" formatting to a message).
_FORMAT = re.compile(r"%\((?P<name>\w+)\)[sdif]|(?P<literal>%%)|(?P<bare>%)")

MessageKey = tuple[str, str | None]


def _key(message: Message) -> MessageKey:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return str(msgid), message.context


def extract_template(root: Path = SOURCE_ROOT, mapping_file: Path = MAPPING_FILE) -> Catalog:
    """Extract every message of the sources, as ``pybabel extract`` with ``babel.cfg`` would."""
    with mapping_file.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping_file))
    catalog = Catalog(project=PROJECT, version=kervan.__version__, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _shown(path: Path) -> str:
    """A catalog's path as a problem line names it: relative to the checkout where possible."""
    try:
        return str(path.relative_to(SOURCE_ROOT))
    except ValueError:
        return str(path)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalog(catalog: Catalog, path: Path, *, locations: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=False,
        include_previous=False,
        no_location=not locations,
    )
    path.write_bytes(buffer.getvalue())


def _stamp(catalog: Catalog, code: str | None) -> None:
    catalog.project, catalog.version = PROJECT, kervan.__version__
    catalog.copyright_holder = "Kervan contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Kervan contributors"
    catalog.language_team = LANGUAGES.get(code or "", "")
    catalog.fuzzy = False


def update_catalogs(template: Catalog, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Write the template and bring every language's catalog in line with it. A new message is
    added untranslated (empty) to every catalog but English, which gets the source text as its
    translation, so its catalog is complete by construction."""
    _stamp(template, None)
    write_catalog(template, locale_dir / TEMPLATE.name)
    changed = []
    for code in LANGUAGES:
        path = po_path(code, locale_dir)
        catalog = (
            read_catalog(path, code) if path.exists() else Catalog(locale=code, project=PROJECT)
        )
        # Babel's ``Catalog.update`` adds a new message by inserting the template's own Message
        # object, not a copy: filling English in place would then fill the same objects in
        # every catalog updated after it. Each catalog gets messages of its own.
        catalog.update(_own_messages(template), no_fuzzy_matching=True)
        if code == SOURCE_LANGUAGE:
            for message in catalog:
                if message.id and not any(_strings(message)):
                    message.string = _source_text(message, catalog.num_plurals)
        catalog.obsolete.clear()  # a removed message has no place in a committed catalog
        _stamp(catalog, code)
        # Source locations live in messages.pot only: in eight catalogs they would turn every
        # moved line of code into a diff of eight files.
        write_catalog(catalog, path, locations=False)
        changed.append(str(path))
    return changed


def _own_messages(template: Catalog) -> Catalog:
    """The template with a fresh copy of every message, for one catalog's update to keep."""
    fresh = Catalog(
        project=template.project,
        version=template.version,
        creation_date=template.creation_date,
        fuzzy=False,
    )
    fresh.header_comment = template.header_comment
    for message in template:
        if message.id:
            fresh[message.id] = message.clone()
    return fresh


def _source_text(message: Message, num_plurals: int) -> str | tuple[str, ...]:
    """The msgstr of a message in the source language: its msgid, or its forms for a plural."""
    if isinstance(message.id, tuple | list):
        ids = [str(i) for i in message.id]
        return tuple(ids[min(n, len(ids) - 1)] for n in range(num_plurals))
    return str(message.id)


def _formats(text: str) -> tuple[set[str], bool]:
    names, broken = set(), False
    for match in _FORMAT.finditer(text):
        if match.group("name"):
            names.add(match.group("name"))
        elif match.group("bare"):
            broken = True
    return names, broken


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [str(s) for s in message.string]
    return [str(message.string or "")]


def _ids(message: Message) -> list[str]:
    return (
        [str(i) for i in message.id] if isinstance(message.id, tuple | list) else [str(message.id)]
    )


def placeholder_problems(code: str, message: Message) -> list[str]:
    expected: set[str] = set()
    for source in _ids(message):
        names, broken = _formats(source)
        expected |= names
        if broken:
            return [f"{code}: msgid {source!r} has a bare '%' (write '%%')"]
    problems = []
    for text in _strings(message):
        if not text:
            continue
        names, broken = _formats(text)
        if broken:
            problems.append(f"{code}: {_key(message)[0]!r}: bare '%' in the translation")
        elif names != expected:
            problems.append(
                f"{code}: {_key(message)[0]!r}: placeholders {sorted(names)} differ from the "
                f"source's {sorted(expected)}"
            )
    return problems


def _letters(text: str) -> bool:
    """Whether a text has a letter outside its placeholders (and "%%")."""
    return any(ch.isalpha() for ch in _FORMAT.sub("", text))


def allowed_same(code: str, msgid: str) -> bool:
    """Whether a translation may be identical to its English source (see the lists above)."""
    return (
        not _letters(msgid)
        or msgid in SAME_IN_EVERY_LANGUAGE
        or msgid in SAME_IN_LANGUAGE.get(code, frozenset())
    )


def copy_problems(code: str, message: Message, where: str | None = None) -> list[str]:
    """A translation that is the English source again, in a catalog other than English."""
    if code == SOURCE_LANGUAGE or not message.id or message.fuzzy:
        return []
    msgid = _key(message)[0]
    sources = set(_ids(message))
    copied = [text for text in _strings(message) if text and text in sources]
    if not copied or allowed_same(code, msgid):
        return []
    return [
        f"{where or code}: {msgid!r} is a copy of the English source, not a translation "
        "(translate it; the few allowed are listed in kervan/web/i18n_catalogs.py)"
    ]


def _keys(catalog: Iterable[Message]) -> set[MessageKey]:
    return {_key(m) for m in catalog if m.id}


def check(template: Catalog | None = None, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every problem with the catalogs, one line each; an empty list when all is well."""
    problems: list[str] = []
    template_path = locale_dir / TEMPLATE.name
    committed = read_catalog(template_path) if template_path.exists() else Catalog()
    if not template_path.exists():
        problems.append(f"{template_path}: missing; run `kervan i18n update`")
    if template is not None:
        fresh, stored = _keys(template), _keys(committed)
        for msgid, _context in sorted(fresh - stored, key=str):
            problems.append(
                f"messages.pot is stale: {msgid!r} is in the sources but not in it "
                "(run `kervan i18n update`)"
            )
        for msgid, _context in sorted(stored - fresh, key=str):
            problems.append(
                f"messages.pot is stale: {msgid!r} is no longer in the sources "
                "(run `kervan i18n update`)"
            )
    wanted = _keys(committed)
    for code in LANGUAGES:
        path = po_path(code, locale_dir)
        if not path.exists():
            problems.append(f"{code}: {path} is missing")
            continue
        catalog = read_catalog(path, code)
        translated = {_key(m) for m in catalog if m.id and all(_strings(m)) and not m.fuzzy}
        if code in COMPLETE:
            for msgid, _context in sorted(wanted - translated, key=str):
                problems.append(f"{code}: {msgid!r} is not translated")
        for message in catalog:
            if message.id and not message.fuzzy:
                problems.extend(placeholder_problems(code, message))
                problems.extend(copy_problems(code, message, _shown(path)))
    return problems
