"""The exchange is part of every node: the app factory installs its routes and, with
``KERVAN_EXCHANGE_WORKER``, its worker (what ``kervan serve`` runs); installing it again, as
``python -m kervan.demo.serve_node`` does, adds nothing; and register changes made from the
command line write the outbox as the app's do. The role × route matrix of ``test_policies``
walks these routes on the factory's app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.demo.serve_node import make_app
from kervan.exchange import keys
from kervan.exchange.models import OutboxMessage
from kervan.exchange.trust_store import install
from kervan.registry.models import StayDocument
from kervan.registry.transfer.samples import sample_rows, write_rows
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.functional.cli_support import kervan_here as kervan
from tests.functional.routes_support import served_routes
from tests.unit.exchange.support import federation

EXCHANGE_ROUTES = {
    "/api/v1/exchange/inbox",
    "/api/v1/exchange/query",
    "/api/v1/exchange/nationals-abroad/{host_state}/{document_id}",
    "/api/v1/exchange/foreign-measures",
    "/api/v1/exchange/foreign-measures/{issuing_state}/{reference}",
}


def _api_routes(app: FastAPI) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(
        (r.path, tuple(sorted(r.methods))) for r in served_routes(app) if isinstance(r, APIRoute)
    )


def test_the_app_factory_serves_the_exchange_once(app: FastAPI, settings: Settings) -> None:
    routes = _api_routes(app)
    assert {path for path, _ in routes} >= EXCHANGE_ROUTES
    assert len(routes) == len(set(routes))  # each capability installed once
    served = make_app(settings)
    try:
        assert _api_routes(served) == routes
    finally:
        served.state.engine.dispose()


def test_serve_runs_the_worker_only_when_asked(settings: Settings, tmp_path: Path) -> None:
    keys.generate(tmp_path / "keys", "KAZ")
    enabled = create_app(
        settings.model_copy(update={"exchange_worker": True, "keys_dir": tmp_path / "keys"})
    )
    with TestClient(enabled):
        thread, stop, runner = enabled.state.jobs
        assert thread.is_alive() and not stop.is_set()
        assert [name for name, _ in runner.jobs] == [
            "audit.checkpoint",
            "measures.apply_requested",
            "exchange.deliver",
            "diplomacy.decision_deadline",
            "reports.weekly",
        ]
    assert stop.is_set() and not thread.is_alive()
    enabled.state.engine.dispose()
    disabled = create_app(settings)
    with TestClient(disabled):
        assert getattr(disabled.state, "jobs", None) is None
    disabled.state.engine.dispose()


def test_an_import_from_the_command_line_writes_the_outbox(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    document, _, _ = federation(tmp_path / "keys")  # OTS, KAZ, UZB, TUR
    with unit_of_work(factory) as session:
        install(session, document, utcnow(), bootstrap=True)
    rows = tmp_path / "register.csv"
    write_rows(rows, sample_rows(120, seed=11, host_state="KAZ"), "csv")
    env = {"KERVAN_DATABASE_URL": database_url, "KERVAN_STATE": "KAZ"}
    result = kervan("import", str(rows), env=env)
    assert result.returncode == 0, result.stderr
    with factory() as session:
        imported = session.execute(select(StayDocument.id, StayDocument.nationality)).all()
        queued = list(session.scalars(select(OutboxMessage)))
    engine.dispose()
    assert len(imported) == 120
    to_home_states = {(str(i), n) for i, n in imported if n in {"UZB", "TUR"}}
    assert to_home_states  # the sample has nationals of nodes on the trust list
    assert len(to_home_states) < len(imported)  # and nationals of states without a node
    assert {m.type for m in queued} == {"stay.issued"}
    assert sorted((m.body["documents"][0]["document_id"], m.to_state) for m in queued) == sorted(
        to_home_states
    )
