"""The new-measure form of the officer UI: from form fields or a whole YAML file to the
``MeasureIn`` the measures service takes, with every problem tied to the field to correct.

The service and the loader report problems by their path in a measure file
(``legal_basis.date``, ``scope.all[1].nationality[0]``); ``field_for_path`` says which form
field each path belongs to, so the error is shown next to it, with its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from kervan.errors import CodedValueError, KervanError
from kervan.measures.loader import example_path, parse_measure_data
from kervan.measures.schemas import MeasureIn
from kervan.untrusted import MAX_CHARS, MAX_DEPTH, RefusedYaml, load_yaml
from kervan.web.forms import parse_date
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_errors import FormErrors, coded_text, error_message, field_message

# The fields of the form, in the order a measure file writes them.
FIELDS = (
    "reference",
    "legal_act",
    "legal_number",
    "legal_date",
    "legal_link",
    "title",
    "summary",
    "period_from",
    "period_to",
    "scope",
    "actions",
)
_PATH_FIELDS = {
    "legal_basis.act": "legal_act",
    "legal_basis.number": "legal_number",
    "legal_basis.date": "legal_date",
    "legal_basis.link": "legal_link",
    "period.from": "period_from",
    "period.start": "period_from",
    "period.to": "period_to",
    "period.end": "period_to",
}
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# YAML a measure file may not use (kervan.untrusted), said in the officer's language.
_REFUSED_YAML = {
    "alias": N_("aliases (*name) are not accepted in a measure"),
    "depth": N_("lists and mappings nested more than %(depth)s levels deep"),
}
MAX_YAML = MAX_CHARS  # characters: a measure file is a page of text, not a data set


@dataclass
class Problems:
    """A form's errors (one message per field, in the officer's language) and, for the YAML
    fields, every problem the scope language found with its path."""

    errors: FormErrors = field(default_factory=FormErrors)
    paths: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.errors)


def field_for_path(path: str) -> str:
    """The form field a path in a measure file is edited in; ``_`` for the form as a whole."""
    if path in _PATH_FIELDS:
        return _PATH_FIELDS[path]
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    return head if head in FIELDS else "_"


@cache
def example_sections() -> dict[str, str]:
    """The worked example's top-level values as written, comments included (they explain it),
    to prefill the scope and actions fields."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in example_path().read_text(encoding="utf-8").splitlines():
        key = re.match(r"^([a-z_]+):(.*)$", line)
        if key:
            current = key.group(1)
            rest = key.group(2).strip()
            sections[current] = [rest] if rest else []
        elif current and (line.startswith(" ") or not line.strip()):
            sections[current].append(line)
    return {name: _dedent(lines) for name, lines in sections.items()}


def _dedent(lines: list[str]) -> str:
    indents = [len(s) - len(s.lstrip()) for s in lines if s.strip() and s.startswith(" ")]
    cut = min(indents, default=0)
    return "\n".join(s[cut:] if s.startswith(" ") else s for s in lines).strip() + "\n"


def _yaml(tr: Translator, problems: Problems, name: str, text: str) -> Any:
    try:
        return load_yaml(text, max_chars=MAX_YAML) if text.strip() else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = str(getattr(exc, "problem", "") or exc)
        if isinstance(exc, RefusedYaml):
            problem = tr.gettext(_REFUSED_YAML[exc.reason], depth=MAX_DEPTH)
        problems.errors[name] = tr.gettext(
            "This is not valid YAML (line %(line)s: %(problem)s).", line=line, problem=problem
        )
        return None


def load_scope_text(tr: Translator, problems: Problems, text: str) -> Any:
    """The advanced scope field's YAML (its problems on that field)."""
    return _yaml(tr, problems, "scope", text)


def _date(tr: Translator, problems: Problems, name: str, raw: str) -> str:
    try:
        return str(parse_date(raw).isoformat())
    except CodedValueError as exc:
        problems.errors[name] = coded_text(tr, exc.code, exc.params, str(exc))
        return ""


def measure_from_fields(
    tr: Translator, values: dict[str, str], *, state: str
) -> tuple[MeasureIn | None, Problems]:
    """The measure the form describes, or the problems found, each on its field. The title and
    summary are in the officer's language; a file may give them in several."""
    problems = Problems()
    if not _REFERENCE.match(values["reference"].strip()):
        problems.errors["reference"] = tr.gettext(
            "Enter a reference of letters, digits, dots, dashes and underscores, "
            "such as KAZ-2020-emergency."
        )
    if not values["legal_act"].strip():
        problems.errors["legal_act"] = tr.gettext("Name the legal act the measure is based on.")
    if not values["title"].strip():
        problems.errors["title"] = tr.gettext("Give the measure a title.")
    dates = {n: _date(tr, problems, n, values[n]) for n in ("legal_date", "period_from")}
    dates["period_to"] = _date(tr, problems, "period_to", values["period_to"])
    scope = _yaml(tr, problems, "scope", values["scope"])
    actions = _yaml(tr, problems, "actions", values["actions"])
    if problems:
        return None, problems
    summary = values["summary"].strip()
    data = {
        "reference": values["reference"].strip(),
        "issuing_state": state,
        "legal_basis": {
            "act": values["legal_act"].strip(),
            "number": values["legal_number"].strip(),
            "date": dates["legal_date"],
            "link": values["legal_link"].strip(),
        },
        "title": {tr.code: values["title"].strip()},
        "summary": {tr.code: summary} if summary else {},
        "period": {"from": dates["period_from"], "to": dates["period_to"]},
        "scope": scope,
        "actions": actions,
    }
    return parse(tr, data)


def measure_from_yaml(tr: Translator, text: str) -> tuple[MeasureIn | None, Problems]:
    """A whole measure file, pasted or uploaded; its problems are all shown on that field."""
    problems = Problems()
    if len(text) > MAX_YAML:
        problems.errors["document"] = tr.gettext("The file is too large for a measure.")
        return None, problems
    data = _yaml(tr, problems, "document", text)
    if problems:
        return None, problems
    measure, found = parse(tr, data)
    return measure, on_document(tr, found)


def on_document(tr: Translator, found: Problems) -> Problems:
    """The file form has one field: every problem goes to it, its path saying where it is."""
    merged = Problems()
    paths = [p for ps in found.paths.values() for p in ps]
    if paths:
        merged.paths["document"] = paths
        merged.errors["document"] = _count_message(tr, len(paths))
    if "_" in found.errors:
        merged.errors["_"] = found.errors["_"]
        merged.errors.setdefault("document", found.errors["_"])
    return merged


def _count_message(tr: Translator, count: int) -> str:
    return tr.ngettext(
        "%(num)s problem; each is shown with where it is.",
        "%(num)s problems; each is shown with where it is.",
        count,
    )


def parse(tr: Translator, data: Any) -> tuple[MeasureIn | None, Problems]:
    try:
        return parse_measure_data(data, source="measure"), Problems()
    except KervanError as exc:
        return None, problems_from_error(tr, exc)


def problems_from_error(tr: Translator, exc: KervanError) -> Problems:
    """A refused measure (by the loader's schema or the service's scope language): each problem
    on its field with its path; a problem without a field goes to the form as a whole."""
    problems = Problems()
    for error in exc.errors:
        name = field_for_path(error.field)
        problems.paths.setdefault(name, []).append((error.field, field_message(tr, error)))
    for name, found in problems.paths.items():
        problems.errors[name] = _count_message(tr, len(found))
    if not exc.errors or "_" in problems.paths:
        problems.errors["_"] = error_message(tr, exc)
    return problems
