"""Unit tests mirror the modules they test: a module with logic of its own (rules, parsers,
codecs, state machines, computations) has ``tests/unit/<package>/test_<module>.py`` that
imports it.

Every module under ``kervan/`` (but ``__init__.py`` files and the migrations) is in exactly
one of three lists, so a new module cannot go untested unnoticed:

- ``MIRRORED``: it has its mirrored unit test;
- ``TESTED_ELSEWHERE``: an older unit test covers it under another name (several modules in
  one property test, say);
- ``NO_UNIT_TEST``: it only declares (tables, shapes, codes), wires, renders pages or queries
  the database, and the reason names the suite that tests it. A module with logic listed here
  says so ("logic: no unit test yet"): that is a debt, not a category.

A listed module that is renamed or removed fails the check, as does a test file that no longer
imports what it claims to test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MIRRORED = (
    "kervan/cli_support.py",
    "kervan/config.py",
    "kervan/entry.py",
    "kervan/errors.py",
    "kervan/highs.py",
    "kervan/jobs.py",
    "kervan/messages.py",
    "kervan/plain_text.py",
    "kervan/spreadsheet.py",
    "kervan/untrusted.py",
    "kervan/uow.py",
    "kervan/whole_numbers.py",
    "kervan/wiring.py",
    "kervan/accounts/audit.py",
    "kervan/accounts/audit_labels.py",
    "kervan/accounts/audit_params.py",
    "kervan/accounts/audit_verify.py",
    "kervan/accounts/checkpoints.py",
    "kervan/accounts/passwords.py",
    "kervan/accounts/policy.py",
    "kervan/accounts/roles.py",
    "kervan/accounts/service.py",
    "kervan/accounts/throttle.py",
    "kervan/accounts/tokens.py",
    "kervan/assistance/fields.py",
    "kervan/assistance/labels.py",
    "kervan/assistance/merge.py",
    "kervan/assistance/public.py",
    "kervan/assistance/reporting.py",
    "kervan/assistance/service.py",
    "kervan/assistance/sla.py",
    "kervan/benefits/grants.py",
    "kervan/benefits/kind_texts.py",
    "kervan/benefits/measure_grants.py",
    "kervan/benefits/service.py",
    "kervan/benefits/terms.py",
    "kervan/border/exit_notes.py",
    "kervan/border/measures_link.py",
    "kervan/border/service.py",
    "kervan/border/waivers.py",
    "kervan/db/bulk.py",
    "kervan/db/filters.py",
    "kervan/db/ids.py",
    "kervan/demo/waiting.py",
    "kervan/diplomacy/accreditations.py",
    "kervan/diplomacy/airports.py",
    "kervan/diplomacy/base45.py",
    "kervan/diplomacy/cbor.py",
    "kervan/diplomacy/passes.py",
    "kervan/diplomacy/verification.py",
    "kervan/diplomacy/verifier.py",
    "kervan/exchange/apply.py",
    "kervan/exchange/compact.py",
    "kervan/exchange/consular.py",
    "kervan/exchange/dead_letters.py",
    "kervan/exchange/delivery.py",
    "kervan/exchange/envelopes.py",
    "kervan/exchange/evidence.py",
    "kervan/exchange/foreign_measures.py",
    "kervan/exchange/health.py",
    "kervan/exchange/lanes.py",
    "kervan/exchange/limits.py",
    "kervan/exchange/outbox.py",
    "kervan/exchange/queries.py",
    "kervan/exchange/render.py",
    "kervan/exchange/routing.py",
    "kervan/exchange/service.py",
    "kervan/exchange/transport.py",
    "kervan/exchange/trust_store.py",
    "kervan/exchange/worker.py",
    "kervan/identity/checkdigit.py",
    "kervan/identity/messages.py",
    "kervan/identity/mrz_build.py",
    "kervan/identity/mrz_dates.py",
    "kervan/identity/mrz_layout.py",
    "kervan/identity/problems.py",
    "kervan/identity/translit.py",
    "kervan/identity/translit_tables.py",
    "kervan/measures/apply_sql.py",
    "kervan/measures/explain.py",
    "kervan/measures/jobs.py",
    "kervan/measures/listeners.py",
    "kervan/measures/loader.py",
    "kervan/measures/preview.py",
    "kervan/measures/reach.py",
    "kervan/measures/scope.py",
    "kervan/measures/scope_count.py",
    "kervan/measures/scope_terms.py",
    "kervan/measures/service.py",
    "kervan/measures/texts.py",
    "kervan/measures/timeline.py",
    "kervan/ops/backup.py",
    "kervan/ops/logs.py",
    "kervan/ops/metrics.py",
    "kervan/ops/ports.py",
    "kervan/ops/readiness.py",
    "kervan/ops/request_ids.py",
    "kervan/ops/startup.py",
    "kervan/registry/codes.py",
    "kervan/registry/forms.py",
    "kervan/registry/naming.py",
    "kervan/registry/queries.py",
    "kervan/registry/search.py",
    "kervan/registry/service.py",
    "kervan/registry/stats.py",
    "kervan/registry/status.py",
    "kervan/repatriation/allocation_run.py",
    "kervan/repatriation/boarding.py",
    "kervan/repatriation/charts.py",
    "kervan/repatriation/completion.py",
    "kervan/repatriation/counts.py",
    "kervan/repatriation/envelopes.py",
    "kervan/repatriation/explain.py",
    "kervan/repatriation/fairness.py",
    "kervan/repatriation/forms.py",
    "kervan/repatriation/instance.py",
    "kervan/repatriation/legs.py",
    "kervan/repatriation/manifests.py",
    "kervan/repatriation/occupancy.py",
    "kervan/repatriation/priority.py",
    "kervan/repatriation/requests.py",
    "kervan/repatriation/solver.py",
    "kervan/repatriation/terms.py",
    "kervan/repatriation/transfer.py",
    "kervan/reports/council.py",
    "kervan/reports/envelopes.py",
    "kervan/reports/exports.py",
    "kervan/reports/jobs.py",
    "kervan/reports/labels.py",
    "kervan/reports/lp.py",
    "kervan/reports/pdf.py",
    "kervan/reports/period.py",
    "kervan/reports/queries.py",
    "kervan/reports/sdmx.py",
    "kervan/reports/sections.py",
    "kervan/reports/signature.py",
    "kervan/reports/suppression.py",
    "kervan/reports/tables.py",
    "kervan/web/authored.py",
    "kervan/web/compression.py",
    "kervan/web/deps.py",
    "kervan/web/forms.py",
    "kervan/web/i18n.py",
    "kervan/web/i18n_errors.py",
    "kervan/web/openapi.py",
    "kervan/web/pages.py",
    "kervan/web/pagination.py",
    "kervan/web/problems.py",
    "kervan/web/proxies.py",
    "kervan/web/public_intake.py",
    "kervan/web/templating.py",
    "kervan/registry/synthetic/draws.py",
    "kervan/registry/synthetic/search_cases.py",
    "kervan/registry/synthetic/stays.py",
    "kervan/registry/synthetic/violations.py",
    "kervan/registry/transfer/planner.py",
    "kervan/registry/transfer/reconcile.py",
    "kervan/registry/transfer/report.py",
    "kervan/registry/transfer/seen_before.py",
)

TESTED_ELSEWHERE = {
    # Its waves are tested without a database, in the import's integration tests.
    "kervan/registry/transfer/chunks.py": "tests/integration/test_import_set_based.py",
    "kervan/registry/synthetic/people.py": "tests/unit/registry/test_synthetic_variants.py",
    "kervan/registry/synthetic/hosts.py": "tests/unit/registry/test_synthetic_generator.py",
    "kervan/registry/transfer/columns.py": "tests/unit/registry/test_transfer_formats.py",
    "kervan/diplomacy/rendering.py": "tests/unit/diplomacy/test_pass_codec.py",
    "kervan/accounts/password_policy.py": "tests/unit/accounts/test_passwords.py",
    "kervan/accounts/sessions.py": "tests/unit/accounts/test_sign_in_rules.py",
    "kervan/accounts/audit_rows.py": "tests/unit/accounts/test_audit_export.py",
    "kervan/assistance/envelopes.py": "tests/unit/assistance/test_envelope_rules.py",
    "kervan/web/security.py": "tests/unit/accounts/test_security.py",
    "kervan/web/charts.py": "tests/unit/web/test_charts_and_texts.py",
    "kervan/web/i18n_catalogs.py": "tests/unit/test_i18n_catalogs.py",
    "kervan/web/rate_limits.py": "tests/unit/diplomacy/test_routing_and_limits.py",
    "kervan/benefits/eligibility.py": "tests/unit/benefits/test_eligibility_property.py",
    "kervan/benefits/views/eligibility_form.py": "tests/unit/benefits/test_eligibility_form.py",
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
    "kervan/registry/synthetic/generator.py": "tests/unit/registry/test_synthetic_generator.py",
    "kervan/registry/synthetic/numbers.py": "tests/unit/registry/test_synthetic_numbers.py",
    "kervan/registry/synthetic/regions.py": "tests/unit/registry/test_synthetic_regions.py",
    "kervan/registry/synthetic/variants.py": "tests/unit/registry/test_synthetic_variants.py",
    "kervan/registry/transfer/formats.py": "tests/unit/registry/test_transfer_formats.py",
    "kervan/registry/transfer/limits.py": "tests/unit/registry/test_transfer_limits.py",
    "kervan/registry/transfer/pipeline.py": "tests/unit/registry/test_transfer_pipeline.py",
    "kervan/registry/transfer/storage.py": "tests/unit/registry/test_transfer_storage.py",
    "kervan/registry/transfer/validation.py": "tests/unit/registry/test_transfer_validation.py",
    "kervan/reports/audit.py": "tests/unit/reports/test_suppression.py",
    "kervan/reports/system.py": "tests/unit/reports/test_suppression.py",
    "kervan/reports/report.py": "tests/integration/test_reports_register.py",
}

_SET_BASED = "tests/integration/test_import_set_based.py"
_FIRST_LOAD = "tests/integration/test_import_first_load.py"
_LOGIC = "logic: no unit test yet"
_MEASURE_PROPERTIES = "tests/integration/test_measures_properties.py"
_RETURN_FEDERATION = "tests/integration/test_repatriation_federation.py"

NO_UNIT_TEST = {
    "kervan/__main__.py": "entry wiring: tests/unit/test_entry.py",
    "kervan/cli.py": "CLI wiring: tests/functional/test_cli.py",
    # accounts
    "kervan/accounts/api.py": "HTTP wiring: tests/functional/test_accounts_api.py",
    "kervan/accounts/cli.py": "CLI wiring: tests/functional/test_cli.py",
    "kervan/accounts/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/accounts/models.py": "tables (models)",
    "kervan/accounts/schemas.py": "shapes (schemas)",
    "kervan/accounts/views.py": "pages: tests/functional/test_ui_accounts.py",
    # db
    "kervan/db/base.py": "declarations (base class, column types)",
    "kervan/db/check_migrations.py": "CI gate (alembic check): make check",
    "kervan/db/cli.py": "CLI wiring: tests/functional/test_cli.py",
    "kervan/db/engine.py": "database wiring: every database test",
    "kervan/db/metadata.py": "declarations (all tables)",
    "kervan/db/migrate.py": "migration wiring: tests/functional/test_ops_cli.py",
    # demo
    "kervan/demo/accounts.py": "demo code: tests/functional/test_accounts_sessions.py",
    "kervan/demo/serving.py": "demo wiring (a server in a thread): tests/browser/conftest.py",
    "kervan/demo/assistance.py": "demo code: tests/integration/test_assistance_demo.py",
    "kervan/demo/diplomacy.py": "demo code: tests/integration/test_diplomacy_demo.py",
    "kervan/demo/diplomacy_loadtest.py": "demo code: tests/functional/test_diplomacy_cli.py",
    "kervan/demo/example.py": "demo code: tests/unit/benefits/test_eligibility_form.py",
    "kervan/demo/federation.py": "demo code: tests/integration/test_federation_demo.py",
    "kervan/demo/loadtest.py": "demo code: tests/integration/test_exchange_faults.py",
    "kervan/demo/node.py": "demo code: tests/integration/test_federation_demo.py",
    "kervan/demo/repatriation.py": "demo code: tests/integration/test_repatriation_federation.py",
    "kervan/demo/reports.py": "demo code: tests/integration/test_federation_demo.py",
    "kervan/demo/serve_node.py": "demo code: tests/functional/test_exchange_install.py",
    "kervan/demo/trust_setup.py": "demo code: tests/functional/test_exchange_cli.py",
    # diplomacy
    "kervan/diplomacy/api.py": "HTTP wiring: tests/functional/test_diplomacy_api.py",
    "kervan/diplomacy/cli.py": "CLI wiring: tests/functional/test_diplomacy_cli.py",
    "kervan/diplomacy/error_codes.py": "message codes: tests/unit/test_messages.py",
    "kervan/diplomacy/jobs.py": "worker job wiring: tests/functional/test_diplomacy_api.py",
    "kervan/diplomacy/models.py": "tables (models)",
    "kervan/diplomacy/samples.py": "demo code: tests/browser/test_verifier.py",
    "kervan/diplomacy/schemas.py": "shapes (schemas)",
    "kervan/diplomacy/service.py": "service over HTTP: tests/functional/test_diplomacy_api.py",
    "kervan/diplomacy/verifier_pages.py": "pages: tests/browser/test_verifier.py",
    "kervan/diplomacy/views.py": "pages: tests/functional/test_ui_diplomacy.py",
    # exchange
    "kervan/exchange/api.py": "HTTP wiring: tests/functional/test_exchange_inbox.py",
    "kervan/exchange/cli.py": "CLI wiring: tests/functional/test_exchange_cli.py",
    "kervan/exchange/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/exchange/models.py": "tables (models)",
    "kervan/exchange/node.py": "wiring: tests/functional/test_exchange_install.py",
    "kervan/exchange/rekey.py": "queries: tests/functional/test_exchange_consular_search.py",
    "kervan/exchange/schemas.py": "shapes (schemas)",
    "kervan/exchange/views/ask.py": "pages: tests/functional/test_ui_exchange.py",
    "kervan/exchange/views/dead_letters.py": "pages: tests/functional/test_ui_exchange.py",
    "kervan/exchange/views/labels.py": "pages: tests/functional/test_ui_exchange.py",
    "kervan/exchange/views/nationals.py": "pages: tests/functional/test_ui_exchange.py",
    "kervan/exchange/views/pages.py": "pages: tests/functional/test_ui_exchange.py",
    "kervan/exchange/worker_cli.py": "CLI wiring: tests/functional/test_exchange_cli.py",
    # identity
    "kervan/identity/cli.py": "CLI wiring: tests/functional/test_cli.py",
    # ops
    "kervan/ops/cli.py": "CLI wiring: tests/functional/test_ops_cli.py",
    "kervan/ops/models.py": "tables (models)",
    "kervan/ops/serving.py": "CLI wiring: tests/functional/test_ops_cli.py",
    "kervan/ops/web.py": "HTTP wiring: tests/functional/test_ops_endpoints.py",
    # registry
    "kervan/registry/api.py": "HTTP wiring: tests/functional/test_register_api.py",
    "kervan/registry/cli.py": "CLI wiring: tests/functional/test_cli.py",
    "kervan/registry/enums.py": "declarations (enums)",
    "kervan/registry/hooks.py": "wiring (listeners): tests/integration/test_measures_apply.py",
    "kervan/registry/list_views.py": "pages: tests/functional/test_ui_register.py",
    "kervan/registry/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/registry/models.py": "tables (models)",
    "kervan/registry/rekey.py": "queries: tests/integration/test_name_words_triggers.py",
    "kervan/registry/schemas.py": "shapes (schemas)",
    "kervan/registry/views.py": "pages: tests/functional/test_ui_register.py",
    "kervan/registry/synthetic/loader.py": "queries: tests/integration/test_synthetic_load.py",
    "kervan/registry/transfer/api.py": "HTTP wiring: tests/functional/test_transfer_api.py",
    "kervan/registry/transfer/batches.py": f"queries: {_SET_BASED}",
    "kervan/registry/transfer/bulk_load.py": f"queries: {_FIRST_LOAD}",
    "kervan/registry/transfer/cli.py": "CLI wiring: tests/unit/registry/test_transfer_cli.py",
    "kervan/registry/transfer/connection_settings.py": f"SQLite settings: {_SET_BASED}",
    "kervan/registry/transfer/exporter.py": "queries: tests/integration/test_import_roundtrip.py",
    "kervan/registry/transfer/first_load.py": f"queries: {_FIRST_LOAD}",
    "kervan/registry/transfer/importer.py": "queries: tests/integration/test_import_process.py",
    "kervan/registry/transfer/models.py": "tables (models)",
    "kervan/registry/transfer/samples.py": "sample files: tests/functional/test_transfer_api.py",
    "kervan/registry/transfer/staging.py": f"queries: {_SET_BASED}",
    # web
    "kervan/web/api_docs.py": "HTTP wiring: tests/browser/test_api_docs.py",
    "kervan/web/app.py": "app factory wiring: tests/functional/test_policies.py",
    "kervan/web/cli.py": "CLI wiring: tests/functional/test_cli.py",
    "kervan/web/home.py": "pages: tests/functional/test_ui_home.py",
    "kervan/web/public_pages.py": "page wiring: tests/functional/test_assistance_public.py",
    "kervan/web/i18n_cli.py": "CLI wiring: tests/unit/test_i18n_catalogs.py",
    "kervan/web/i18n_terms.py": "declarations (labels): tests/functional/test_ui_i18n.py",
    # measures, benefits, border, repatriation, assistance and reports
    "kervan/measures/scope_explain.py": f"SQL explained, property-tested: {_MEASURE_PROPERTIES}",
    "kervan/measures/scope_sql.py": f"SQL of a scope, property-tested: {_MEASURE_PROPERTIES}",
    "kervan/measures/sqlparts.py": "SQL fragments: tests/unit/measures/test_apply_sql.py",
    "kervan/measures/views/forms.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/reports/charts.py": "charts (Altair specs): tests/browser/test_reports_ui.py",
    "kervan/reports/service.py": "service wiring: tests/functional/test_reports_cli.py",
    # their packages' declarations, wiring and pages
    "kervan/assistance/api.py": "HTTP wiring: tests/functional/test_assistance_api.py",
    "kervan/assistance/cli.py": "CLI wiring: tests/functional/test_assistance_cli.py",
    "kervan/assistance/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/assistance/models.py": "tables (models)",
    "kervan/assistance/schemas.py": "shapes (schemas)",
    "kervan/assistance/views.py": "pages: tests/browser/test_assistance_ui.py",
    "kervan/benefits/api.py": "HTTP wiring: tests/functional/test_benefits_api.py",
    "kervan/benefits/cli.py": "CLI wiring: tests/functional/test_benefits_cli.py",
    "kervan/benefits/enums.py": "declarations (enums)",
    "kervan/benefits/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/benefits/models.py": "tables (models)",
    "kervan/benefits/schemas.py": "shapes (schemas)",
    "kervan/benefits/views/eligibility.py": "pages: tests/functional/test_ui_measures_benefits.py",
    "kervan/benefits/views/pages.py": "pages: tests/functional/test_ui_measures_benefits.py",
    "kervan/border/api.py": "HTTP wiring: tests/functional/test_exit_check_api.py",
    "kervan/border/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/border/schemas.py": "shapes (schemas)",
    "kervan/border/views.py": "pages: tests/functional/test_ui_access.py",
    "kervan/measures/api.py": "HTTP wiring: tests/functional/test_measures_api.py",
    "kervan/measures/cli.py": "CLI wiring: tests/functional/test_cli.py",
    "kervan/measures/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/measures/models.py": "tables (models)",
    "kervan/measures/schemas.py": "shapes (schemas)",
    "kervan/measures/views/action_form.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/applies.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/explain.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/lifecycle.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/new_form.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/pages.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/preview_chart.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/scope_form.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/measures/views/texts.py": "pages: tests/functional/test_ui_measure_texts.py",
    "kervan/measures/views/timeline.py": "pages: tests/functional/test_ui_measures_pages.py",
    "kervan/repatriation/api.py": "HTTP wiring: tests/functional/test_repatriation_api.py",
    "kervan/repatriation/cli.py": "CLI wiring: tests/functional/test_repatriation_cli.py",
    "kervan/repatriation/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/repatriation/models.py": "tables (models)",
    "kervan/repatriation/public_views.py": "pages: tests/functional/test_ui_repatriation.py",
    "kervan/repatriation/schemas.py": "shapes (schemas)",
    "kervan/repatriation/views.py": "pages: tests/functional/test_ui_repatriation.py",
    "kervan/reports/api.py": "HTTP wiring: tests/functional/test_reports_exchange.py",
    "kervan/reports/cli.py": "CLI wiring: tests/functional/test_reports_cli.py",
    "kervan/reports/messages.py": "message codes: tests/unit/test_messages.py",
    "kervan/reports/models.py": "tables (models)",
    "kervan/reports/schemas.py": "shapes (schemas)",
    "kervan/reports/views.py": "pages: tests/browser/test_reports_ui.py",
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


def every_module() -> list[str]:
    """The modules the rule covers: all of ``kervan/`` but packages' ``__init__.py`` and the
    migrations (Alembic's own files, tested by ``alembic check`` and the upgrade tests)."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "kervan").rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts
    )


def lists_naming(module: str) -> list[str]:
    lists = {"MIRRORED": MIRRORED, "TESTED_ELSEWHERE": TESTED_ELSEWHERE}
    named = [name for name, listed in lists.items() if module in listed]
    return named + ["NO_UNIT_TEST"] * (module in NO_UNIT_TEST)


@pytest.mark.parametrize("module", every_module())
def test_every_module_is_classified_once(module: str) -> None:
    named = lists_naming(module)
    assert named, (
        f"{module} is in no list of tests/unit/test_layout.py: give it {mirror_of(module)} and "
        "add it to MIRRORED, name its unit test in TESTED_ELSEWHERE, or say in NO_UNIT_TEST "
        "why it needs none (and which suite tests it)"
    )
    assert len(named) == 1, f"{module} is in {' and '.join(named)}: keep it in one"


@pytest.mark.parametrize("module", sorted(NO_UNIT_TEST))
def test_a_module_without_a_unit_test_exists_and_says_why(module: str) -> None:
    assert (ROOT / module).is_file(), f"{module} moved: update tests/unit/test_layout.py"
    reason = NO_UNIT_TEST[module]
    assert reason.strip(), f"{module}: say why it has no unit test"
    for test_file in re.findall(r"tests/[\w/]+\.py", reason):
        assert (ROOT / test_file).is_file(), f"{module}: {test_file} does not exist"


def test_a_module_without_a_unit_test_has_none() -> None:
    """A mirror written later moves its module to MIRRORED, or the list goes stale."""
    stale = [
        module
        for module in NO_UNIT_TEST
        if (ROOT / mirror_of(module)).is_file() and imports(mirror_of(module), module)
    ]
    assert not stale, f"these have their mirrored unit test now; move them to MIRRORED: {stale}"
