"""kervan/ops/metrics.py: what a scrape reads from the database — the outbox per peer and
status, the age of the oldest waiting message, dead letters (dead and rejected together),
failed sign-ins — and the requests counted by route template, in the app's own registry."""

from __future__ import annotations

import datetime as dt
import uuid

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit
from kervan.db.base import utcnow
from kervan.exchange import outbox
from kervan.ops.metrics import NodeMetrics
from kervan.uow import unit_of_work


def _samples(metrics: NodeMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.exposition().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _message(session: Session, peer: str, status: str, age: dt.timedelta) -> None:
    message = outbox.add(session, "x", peer, ("person", uuid.uuid4()), {}, at=utcnow() - age)
    message.status = status


def test_a_scrape_reads_the_outbox_and_the_dead_letters_per_peer(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    with unit_of_work(session_factory) as session:
        _message(session, "UZB", "pending", dt.timedelta(hours=1))
        _message(session, "UZB", "pending", dt.timedelta(minutes=1))
        _message(session, "UZB", "dead", dt.timedelta(0))
        _message(session, "UZB", "rejected", dt.timedelta(0))
        _message(session, "TUR", "delivered", dt.timedelta(0))
    samples = _samples(NodeMetrics(engine))
    assert samples[("kervan_outbox_pending", (("peer", "UZB"),))] == 2
    age = samples[("kervan_outbox_oldest_pending_age_seconds", (("peer", "UZB"),))]
    assert 3600 <= age < 3700
    assert samples[("kervan_dead_letters", (("peer", "UZB"),))] == 2
    assert ("kervan_dead_letters", (("peer", "TUR"),)) not in samples
    by_status = ("kervan_outbox_messages", (("peer", "TUR"), ("status", "delivered")))
    assert samples[by_status] == 1


def test_failed_sign_ins_are_counted_from_the_audit_log(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    with unit_of_work(session_factory) as session:
        for outcome in ("failed", "failed", "ok"):
            audit.record(session, audit.Anonymous("x"), "auth.sign_in", outcome=outcome)
    assert _samples(NodeMetrics(engine))[("kervan_signin_failures_total", ())] == 2


def test_requests_are_counted_per_app_by_route_template(engine: Engine) -> None:
    first, second = NodeMetrics(engine), NodeMetrics(engine)  # two apps in one process
    first.observe("GET", "/api/v1/persons/{person_id}", 200, 0.02)
    first.observe("GET", "/api/v1/persons/{person_id}", 200, 0.03)
    labels = (("method", "GET"), ("route", "/api/v1/persons/{person_id}"), ("status", "200"))
    assert _samples(first)[("kervan_http_requests_total", labels)] == 2
    assert ("kervan_http_requests_total", labels) not in _samples(second)
