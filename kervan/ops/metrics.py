"""Prometheus metrics of one node. Request counts and latency are counted as requests are
served (per process: with several workers, set PROMETHEUS_MULTIPROC_DIR, see docs/operate.md);
everything kept in the database — outbox backlog, deliveries, refusals, dead letters, measures'
reach, sign-in failures — is read from it when scraped, so every process reports the same."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from kervan.accounts.models import AuditEntry
from kervan.db.base import utcnow
from kervan.exchange.dead_letters import DEAD_STATUSES
from kervan.exchange.models import ExchangeMessage, ExchangeRejection, OutboxMessage
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus

#: Longest refusal reason kept as a label (reasons are the node's own fixed sentences).
REASON_LABEL_LENGTH = 60


class NodeMetrics:
    """The metrics of one app (its own registry: several apps in one process stay apart)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "kervan_http_requests",
            "HTTP requests served, by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kervan_http_request_duration_seconds",
            "Time to serve a request, by route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(DatabaseCollector(engine))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def exposition(self) -> bytes:
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            from prometheus_client import multiprocess

            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)
            return generate_latest(merged) + generate_latest(self._database_only())
        return generate_latest(self.registry)

    def _database_only(self) -> CollectorRegistry:
        only = CollectorRegistry()
        for collector in list(self.registry._collector_to_names):
            if isinstance(collector, DatabaseCollector):
                only.register(collector)
        return only


class DatabaseCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> list[Metric]:
        return []  # read at scrape time only

    def collect(self) -> Iterator[Metric]:
        yield from _pool(self.engine)
        with self.engine.connect() as connection:
            now = utcnow()
            yield from _outbox(connection, now)
            yield from _exchange(connection)
            yield from _measures(connection)
            failures = connection.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "auth.sign_in", AuditEntry.outcome == "failed")
            )
            yield CounterMetricFamily(
                "kervan_signin_failures", "Failed sign-ins (from the audit log)", failures or 0
            )
            connection.rollback()


def _pool(engine: Engine) -> Iterator[Metric]:
    pool: Any = engine.pool
    for name, reading in (
        ("size", "size"),
        ("checked_out", "checkedout"),
        ("overflow", "overflow"),
    ):
        if callable(getattr(pool, reading, None)):
            value = getattr(pool, reading)()
            yield GaugeMetricFamily(f"kervan_db_pool_{name}", f"Database pool: {name}", value)


def _outbox(connection: Any, now: dt.datetime) -> Iterator[Metric]:
    backlog = GaugeMetricFamily(
        "kervan_outbox_pending", "Messages waiting to be sent", labels=["peer"]
    )
    oldest = GaugeMetricFamily(
        "kervan_outbox_oldest_pending_age_seconds",
        "Age of the oldest waiting message",
        labels=["peer"],
    )
    by_status = GaugeMetricFamily(
        "kervan_outbox_messages", "Outbox messages by status", labels=["peer", "status"]
    )
    dead = GaugeMetricFamily(
        "kervan_dead_letters", "Messages refused or failed too often", labels=["peer"]
    )
    rows = connection.execute(
        select(
            OutboxMessage.to_state,
            OutboxMessage.status,
            func.count(),
            func.min(OutboxMessage.created_at),
        ).group_by(OutboxMessage.to_state, OutboxMessage.status)
    ).all()
    dead_counts: dict[str, int] = {}
    for peer, status, count, first in rows:
        by_status.add_metric([peer, status], count)
        if status == "pending":
            backlog.add_metric([peer], count)
            first = first if first.tzinfo else first.replace(tzinfo=dt.UTC)
            oldest.add_metric([peer], max((now - first).total_seconds(), 0.0))
        if status in DEAD_STATUSES:
            dead_counts[peer] = dead_counts.get(peer, 0) + count
    for peer, count in dead_counts.items():
        dead.add_metric([peer], count)
    yield from (backlog, oldest, by_status, dead)


def _exchange(connection: Any) -> Iterator[Metric]:
    deliveries = CounterMetricFamily(
        "kervan_exchange_messages",
        "Envelopes in the message log, by direction, peer and receipt",
        labels=["direction", "peer", "receipt"],
    )
    for direction, to_state, from_state, receipt, count in connection.execute(
        select(
            ExchangeMessage.direction,
            ExchangeMessage.to_state,
            ExchangeMessage.from_state,
            ExchangeMessage.receipt_status,
            func.count(),
        ).group_by(
            ExchangeMessage.direction,
            ExchangeMessage.to_state,
            ExchangeMessage.from_state,
            ExchangeMessage.receipt_status,
        )
    ).all():
        other = to_state if direction == "out" else from_state
        deliveries.add_metric([direction, other, receipt or "none"], count)
    refusals = CounterMetricFamily(
        "kervan_exchange_refusals",
        "Envelopes this node refused, by sender and reason",
        labels=["peer", "reason"],
    )
    for sender, reason, count in connection.execute(
        select(ExchangeRejection.claimed_from, ExchangeRejection.reason, func.count())
        .group_by(ExchangeRejection.claimed_from, ExchangeRejection.reason)
        .limit(100)
    ).all():
        refusals.add_metric([sender or "unknown", reason[:REASON_LABEL_LENGTH]], count)
    yield from (deliveries, refusals)


def _measures(connection: Any) -> Iterator[Metric]:
    reached = GaugeMetricFamily(
        "kervan_measure_documents_reached",
        "Stay documents a measure in force has changed",
        labels=["measure"],
    )
    pending = GaugeMetricFamily(
        "kervan_measure_apply_unfinished",
        "1 while a measure in force is being applied in chunks",
        labels=["measure"],
    )
    for reference, measure_id, through in connection.execute(
        select(Measure.reference, Measure.id, Measure.applied_through).where(
            Measure.status == MeasureStatus.IN_FORCE
        )
    ).all():
        count = connection.scalar(
            select(func.count())
            .select_from(MeasureEffect)
            .where(MeasureEffect.measure_id == measure_id)
        )
        reached.add_metric([reference], count or 0)
        pending.add_metric([reference], 0 if through is None else 1)
    yield from (reached, pending)
