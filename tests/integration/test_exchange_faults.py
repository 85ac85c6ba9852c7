"""Two nodes as separate OS processes on PostgreSQL, 10,000 envelopes, and everything going
wrong: the receiver killed mid-batch and restarted, receipts lost after the receiver committed,
batches duplicated and reordered, the sender's clock skewed, two workers at once.

Result required: nothing lost, nothing applied twice, the newest envelope per subject wins; the
envelopes the receiver must refuse are refused with a signed reason, and kept."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.demo.loadtest import Pair, fill_outbox, seed_register
from kervan.exchange import keys
from kervan.exchange.envelopes import open_receipt
from kervan.exchange.evidence import verify_message
from kervan.exchange.models import (
    ExchangeMessage,
    ExchangeRejection,
    NationalAbroadDocument,
    OutboxMessage,
    SubjectHead,
)
from kervan.exchange.transport import HttpTransport, TransportError
from kervan.exchange.trust import content_of, parse_content
from kervan.exchange.worker import Worker
from tests.integration.federation_support import count_rows, node_pair
from tests.unit.exchange.support import envelope, stay_body

ENVELOPES = 10_000
FUTURE = dt.timedelta(hours=1)  # beyond the receiver's tolerance: must be refused

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    yield from node_pair(tmp_path_factory, "faults")


class FaultyLine:
    """A real HTTP transport that sometimes first delivers a shuffled copy of the batch with
    duplicates (its receipts thrown away), and sometimes loses the receipts after the
    receiver committed; each fault happens at least once (the first batches)."""

    def __init__(self, seed: int):
        self.inner = HttpTransport(timeout=20)
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.lost = self.duplicated = 0

    def post_batch(self, endpoint: str, envelopes: list[str]) -> list[str]:
        with self.lock:
            # Random, and at least once each whatever the timing: a batch whose receipts were
            # to be lost may meet the receiver while it is down, and then nothing is lost.
            duplicate = self.rng.random() < 0.2 or self.duplicated == 0
            lose = self.rng.random() < 0.15 or self.lost == 0
            shuffled = envelopes + self.rng.sample(envelopes, k=len(envelopes) // 3)
            self.rng.shuffle(shuffled)
        if duplicate:
            self.duplicated += 1
            with contextlib.suppress(TransportError):
                self.inner.post_batch(endpoint, shuffled)
        receipts = self.inner.post_batch(endpoint, envelopes)
        if lose:
            self.lost += 1
            raise TransportError("connection dropped before the receipts were read")
        return receipts


def _count(url: str, model: type, *where: object) -> int:
    engine = make_engine(url)
    try:
        return count_rows(engine, model, *where)
    finally:
        engine.dispose()


def test_ten_thousand_envelopes_through_every_fault(pair: Pair, tmp_path: Path) -> None:
    targets = seed_register(pair.sender, 8_000)
    assert len(targets) > 500
    skew = {n: dt.timedelta(minutes=2) for n in range(0, ENVELOPES, 97)}
    skew.update({n: -dt.timedelta(minutes=2) for n in range(5, ENVELOPES, 89)})
    refused = set(range(11, ENVELOPES, 997))
    skew.update({n: FUTURE for n in refused})
    ids = fill_outbox(pair.sender, targets, ENVELOPES, skew=skew)

    line = FaultyLine(seed=5)
    engine = make_engine(pair.sender.database_url)
    factory = make_sessionmaker(engine)
    signing = pair.signers["KAZ"]
    # Two workers on one PostgreSQL database share the work without stepping on each other.
    workers = [Worker(pair.sender, factory, signing, line) for _ in range(2)]
    for worker in workers:
        worker.name = f"{worker.name}-{id(worker)}"
    stop = threading.Event()
    threads = [
        threading.Thread(target=w.run_forever, args=(stop, 0.05), daemon=True) for w in workers
    ]
    for thread in threads:
        thread.start()
    try:
        _kill_and_restart_mid_run(pair)
        _wait_until_settled(pair, deadline=time.monotonic() + 420)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert line.lost > 0 and line.duplicated > 0

    with factory() as session:
        statuses = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        assert statuses == {"delivered": ENVELOPES - len(refused), "rejected": len(refused)}
        rejected = set(
            session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "rejected"))
        )
        assert rejected == {ids[n] for n in refused}
        reasons = set(
            session.scalars(
                select(ExchangeMessage.receipt_reason).where(ExchangeMessage.id.in_(rejected))
            )
        )
        assert reasons == {"from-the-future"}
        for sample in random.Random(1).sample(ids, 20):
            evidence = verify_message(session, sample)
            assert evidence.proven == (sample not in rejected), evidence.as_dict()
    engine.dispose()

    receiver = make_engine(pair.receiver.database_url)
    with make_sessionmaker(receiver)() as session:
        received = set(session.scalars(select(ExchangeMessage.id)))
        assert received == set(ids) - rejected  # zero lost, and only what it should have
        applied = session.scalar(select(func.sum(SubjectHead.applied_count)))
        assert applied == len(received)  # each applied once, however often delivered
        newest_per_subject = {}
        for number, message_id in enumerate(ids):
            if message_id not in rejected:
                _, person_id = targets[number % len(targets)]
                newest_per_subject[str(person_id)] = max(
                    message_id, newest_per_subject.get(str(person_id), message_id)
                )
        heads = {h.subject_id: h.envelope_id for h in session.scalars(select(SubjectHead))}
        assert heads == newest_per_subject  # order per subject kept
        views = session.scalars(select(NationalAbroadDocument)).all()
        assert len(views) == len({d for d, _ in targets})
        assert session.scalar(select(func.count()).select_from(ExchangeRejection)) >= len(refused)
    receiver.dispose()


def _kill_and_restart_mid_run(pair: Pair) -> None:
    deadline = time.monotonic() + 120
    while _count(pair.receiver.database_url, ExchangeMessage) < 2_500:
        assert time.monotonic() < deadline, "deliveries did not start"
        time.sleep(0.05)
    pair.kill_receiver()
    time.sleep(1.0)
    pair.start_receiver()


def _wait_until_settled(pair: Pair, deadline: float) -> None:
    while _count(pair.sender.database_url, OutboxMessage, OutboxMessage.status == "pending"):
        assert time.monotonic() < deadline, "messages still pending at the deadline"
        time.sleep(0.2)


def test_forged_and_misaddressed_envelopes_are_refused_signed_and_kept(pair: Pair) -> None:
    signers = pair.signers
    trust = parse_content(content_of(pair.trust))
    good = envelope(signers["KAZ"])
    header, payload, signature = good.split(".")
    tampered = f"{header}.{payload[:-8]}{'A' * 8}.{signature}"
    stranger = keys.new_key("KGZ")
    impostor = keys.new_key("KAZ")
    cases = {
        "tampered": tampered,
        "unknown sender": envelope(stranger, body=stay_body(host="KGZ")),
        "wrong key": envelope(impostor),
        "elsewhere": envelope(signers["KAZ"], to="TUR", body=stay_body(nationality="TUR")),
        "too old": envelope(signers["KAZ"], created_at=utcnow() - dt.timedelta(days=30)),
        "not ours": envelope(signers["KAZ"], body=stay_body(nationality="TUR")),
    }
    before = _count(pair.receiver.database_url, ExchangeRejection)
    response = httpx.post(
        f"{pair.receiver_url}/api/v1/exchange/inbox",
        json={"envelopes": [*cases.values(), good, good]},
        timeout=20,
    )
    receipts = [open_receipt(r, trust) for r in response.json()["receipts"]]
    statuses = {name: r.status for name, r in zip(cases, receipts, strict=False)}
    assert set(statuses.values()) == {"rejected"}, statuses
    assert all(r.reason for r in receipts[: len(cases)])
    assert [r.status for r in receipts[-2:]] == ["accepted", "accepted"]
    assert receipts[-1].compact == receipts[-2].compact  # the replay got the same receipt
    replay = httpx.post(
        f"{pair.receiver_url}/api/v1/exchange/inbox", json={"envelopes": [good]}, timeout=20
    )
    assert replay.json()["receipts"] == [receipts[-1].compact]
    assert _count(pair.receiver.database_url, ExchangeRejection) == before + len(cases)
