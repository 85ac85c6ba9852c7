"""Unit tests mirror the modules they test: a module with logic of its own (rules, parsers,
codecs, the wiring) has ``tests/unit/<package>/test_<module>.py`` that imports it.

``MIRRORED`` lists such modules; ``TESTED_ELSEWHERE`` names the older test files that cover a
module under another name (several modules in one property test, say). A module listed here
that is renamed or removed fails the check, as does a test file that no longer imports what
it claims to test. Modules that only wire, declare tables or shapes, render pages or talk to
the database (``models.py``, ``schemas.py``, ``api.py``, ``views``, ``cli.py``) are tested by
the functional and integration suites instead and are not listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MIRRORED = (
    "kervan/errors.py",
    "kervan/uow.py",
    "kervan/untrusted.py",
    "kervan/plain_text.py",
    "kervan/spreadsheet.py",
    "kervan/jobs.py",
    "kervan/wiring.py",
    "kervan/messages.py",
    "kervan/accounts/audit_labels.py",
    "kervan/accounts/audit_params.py",
    "kervan/accounts/passwords.py",
    "kervan/accounts/policy.py",
    "kervan/accounts/roles.py",
    "kervan/border/exit_notes.py",
    "kervan/db/bulk.py",
    "kervan/db/filters.py",
    "kervan/db/ids.py",
    "kervan/diplomacy/airports.py",
    "kervan/diplomacy/verification.py",
    "kervan/exchange/compact.py",
    "kervan/exchange/envelopes.py",
    "kervan/exchange/queries.py",
    "kervan/exchange/service.py",
    "kervan/exchange/transport.py",
    "kervan/identity/checkdigit.py",
    "kervan/identity/messages.py",
    "kervan/identity/mrz_build.py",
    "kervan/identity/mrz_dates.py",
    "kervan/identity/translit.py",
    "kervan/identity/translit_tables.py",
    "kervan/measures/scope.py",
    "kervan/measures/scope_terms.py",
    "kervan/ops/logs.py",
    "kervan/ops/ports.py",
    "kervan/ops/request_ids.py",
    "kervan/registry/codes.py",
    "kervan/registry/forms.py",
    "kervan/registry/naming.py",
    "kervan/web/forms.py",
    "kervan/web/i18n_errors.py",
    "kervan/web/pagination.py",
    "kervan/web/proxies.py",
    "kervan/web/public_intake.py",
    # unit-b
    "kervan/measures/reach.py",
    "kervan/measures/apply_sql.py",
    "kervan/measures/timeline.py",
    "kervan/measures/loader.py",
    "kervan/benefits/grants.py",
    "kervan/benefits/measure_grants.py",
    "kervan/border/waivers.py",
    "kervan/border/measures_link.py",
    "kervan/repatriation/allocation_run.py",
    "kervan/repatriation/requests.py",
    "kervan/repatriation/legs.py",
    "kervan/repatriation/explain.py",
    "kervan/repatriation/boarding.py",
    "kervan/repatriation/manifests.py",
    "kervan/measures/texts.py",
    "kervan/measures/listeners.py",
    "kervan/measures/jobs.py",
    "kervan/measures/explain.py",
    "kervan/measures/scope_count.py",
    "kervan/measures/service.py",
    "kervan/measures/preview.py",
    "kervan/reports/signature.py",
    "kervan/reports/period.py",
    "kervan/assistance/merge.py",
    "kervan/repatriation/fairness.py",
    "kervan/repatriation/instance.py",
    "kervan/repatriation/terms.py",
    "kervan/benefits/terms.py",
    "kervan/assistance/labels.py",
    "kervan/benefits/kind_texts.py",
    "kervan/repatriation/occupancy.py",
    "kervan/reports/sdmx.py",
    "kervan/repatriation/completion.py",
    "kervan/border/service.py",
    "kervan/repatriation/counts.py",
    "kervan/benefits/service.py",
)

TESTED_ELSEWHERE = {
    "kervan/accounts/password_policy.py": "tests/unit/accounts/test_passwords.py",
    "kervan/accounts/sessions.py": "tests/unit/accounts/test_sign_in_rules.py",
    "kervan/accounts/audit_rows.py": "tests/unit/accounts/test_audit_export.py",
    "kervan/web/security.py": "tests/unit/accounts/test_security.py",
    "kervan/web/charts.py": "tests/unit/web/test_charts_and_texts.py",
    "kervan/web/rate_limits.py": "tests/unit/diplomacy/test_routing_and_limits.py",
    "kervan/benefits/eligibility.py": "tests/unit/benefits/test_eligibility_property.py",
    "kervan/diplomacy/codec.py": "tests/unit/diplomacy/test_pass_codec.py",
    "kervan/diplomacy/messages.py": "tests/unit/diplomacy/test_routing_and_limits.py",
    "kervan/exchange/keys.py": "tests/unit/exchange/test_keys_and_trust.py",
    "kervan/exchange/trust.py": "tests/unit/exchange/test_keys_and_trust.py",
    "kervan/exchange/message_types.py": "tests/unit/exchange/test_envelopes.py",
    "kervan/exchange/inbox.py": "tests/unit/exchange/test_hostile_envelopes.py",
    "kervan/identity/mrz.py": "tests/unit/identity/test_mrz_parse.py",
    "kervan/identity/names.py": "tests/unit/identity/test_names_keys.py",
    "kervan/identity/name_match.py": "tests/unit/identity/test_names_match.py",
    "kervan/identity/readings.py": "tests/unit/identity/test_name_match_parts.py",
    "kervan/measures/actions.py": "tests/unit/measures/test_scope.py",
    "kervan/registry/numbers.py": "tests/unit/registry/test_register_parsers.py",
    "kervan/registry/name_words.py": "tests/unit/registry/test_name_words_trigrams.py",
}


def mirror_of(module: str) -> str:
    """``kervan/a/b.py`` is tested in ``tests/unit/a/test_b.py``."""
    parts = Path(module).relative_to("kervan").parts
    return str(Path("tests/unit", *parts[:-1], f"test_{parts[-1]}"))


def _imported_names(text: str, source: str) -> set[str]:
    """The names ``text`` imports ``from <source> import …`` (one line or parenthesised)."""
    found: set[str] = set()
    for match in re.finditer(rf"from {re.escape(source)} import (\([^)]*\)|[^\n]*)", text):
        found |= set(re.findall(r"\b\w+\b", match.group(1)))
    return found


def imports(test_file: str, module: str) -> bool:
    """Whether the test file imports the module: by its dotted name, ``from <package> import
    <module>``, or a name the package re-exports from it (``from kervan.identity import
    parse_mrz``)."""
    text = (ROOT / test_file).read_text()
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    if re.search(rf"\b{re.escape(dotted)}\b", text):
        return True
    from_package = _imported_names(text, package)
    init = ROOT / package.replace(".", "/") / "__init__.py"
    exported = _imported_names(init.read_text(), dotted) if init.is_file() else set()
    return name in from_package or bool(from_package & exported)


@pytest.mark.parametrize("module", MIRRORED)
def test_a_module_with_logic_has_its_mirrored_unit_test(module: str) -> None:
    assert (ROOT / module).is_file(), f"{module} moved: update tests/unit/test_layout.py"
    test_file = mirror_of(module)
    assert (ROOT / test_file).is_file(), f"{module} has no {test_file}"
    assert imports(test_file, module), f"{test_file} does not import {module}"


@pytest.mark.parametrize(("module", "test_file"), sorted(TESTED_ELSEWHERE.items()))
def test_a_module_tested_under_another_name_is_imported_there(module: str, test_file: str) -> None:
    assert (ROOT / module).is_file(), f"{module} moved: update tests/unit/test_layout.py"
    assert imports(test_file, module), f"{test_file} does not import {module}"
    assert mirror_of(module) != test_file and module not in MIRRORED
