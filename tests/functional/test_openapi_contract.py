"""The API against its own OpenAPI document, fuzzed by schemathesis with every check, as each
role: no request may make the node fail (5xx) or answer a status, content type or body the
document does not declare.

Part of the normal suite (``make test``), on SQLite, with a bounded number of examples per
operation so that it stays within a few minutes on a small machine; ``KERVAN_FUZZ_EXAMPLES``
raises the number for a longer run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import negative_data_rejection

from kervan.accounts.roles import Role
from kervan.web import public_intake
from tests.functional.conftest import NODE_STATE, ClientFactory
from tests.functional.exchange_support import exchange_node, node_settings
from tests.functional.register_data import document_body, person_body
from tests.functional.routes_support import authorization_per_role
from tests.unit.exchange.support import federation

EXAMPLES = int(os.environ.get("KERVAN_FUZZ_EXAMPLES", "8"))
# Every check, on valid and invalid data (the fuzzing phase, both generation modes). The
# coverage phase (every boundary value of every parameter, unbounded by ``max_examples``) and the
# stateful phase are left to longer runs: together they take the run past the few minutes the
# suite may spend here.
#
# Schema-valid input that breaks a rule the schema cannot state (a state code that exists, a
# cursor this node gave out, a file whose name says its format) is refused with a 422 problem:
# ``positive_data_acceptance`` takes that as an answer, and every other check runs as it is.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
            }
        },
    }
)
# Asking a peer node reaches out over the network, which tests do not have (the answer is a 502
# problem); tests/functional/test_exchange_* ask real peer nodes over a loopback instead.
# /readyz answers 503 by design while a node is not ready (schemathesis counts any 5xx as a
# server error); it takes no input, and tests/functional/test_ops_endpoints.py covers it.
READINESS = "/readyz"
NEEDS_A_PEER = ("POST", "/api/v1/exchange/queries")


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """SQLite only: the contract does not depend on the database, the run time does."""
    path = tmp_path / "kervan.db"
    shutil.copyfile(sqlite_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    """A node with keys and a trust list, so that the exchange's operations are live."""
    document, _, _ = federation(tmp_path / "keys")
    node = exchange_node(node_settings(NODE_STATE, database_url, tmp_path / "keys"), document)
    yield node
    node.state.engine.dispose()


@pytest.fixture
def authorizations(client_as: ClientFactory) -> dict[Role, str]:
    """One bearer token per role (the ``Authorization`` header of each)."""
    return authorization_per_role(client_as)


@pytest.fixture
def api_schema(
    app: FastAPI, client_as: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> schemathesis.BaseSchema:
    """The document, with a person and a document in the register for the fuzzer to find.

    The public forms' per-address limit (5 a minute) would answer most of the fuzzer's valid
    requests with 429, which is documented but tells nothing of the contract: it is lifted
    here, and tested where the forms are (``test_repatriation_api``, ``test_assistance_public``).
    """
    monkeypatch.setattr(public_intake.public_limit, "per_minute", 1_000_000)
    officer = client_as(Role.MIGRATION_OFFICER)
    person = officer.post("/api/v1/persons", json=person_body()).json()
    officer.post(f"/api/v1/persons/{person['id']}/stay-documents", json=document_body())
    loaded = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=CONFIG)
    return loaded.exclude(method=NEEDS_A_PEER[0], path=NEEDS_A_PEER[1])


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented_for_every_role(
    case: schemathesis.Case, authorizations: dict[Role, str]
) -> None:
    # A query string is text, so a "number" where a string is expected, or a list flattened to
    # one value, arrives as a valid string: negative_data_rejection would report operations
    # that only read their query as accepting invalid data. Bodies keep the check.
    excluded = [] if case.body is not NOT_SET else [negative_data_rejection]
    if case.operation.path == READINESS:
        return
    for authorization in authorizations.values():
        case.call_and_validate(headers={"Authorization": authorization}, excluded_checks=excluded)
