"""1,000 cases referred from KAZ to UZB and edited on both sides while the envelopes travel.
UZB is a separate OS process on PostgreSQL (``serve_node``), killed (SIGKILL) and restarted
mid-way; KAZ's node and both delivery workers run in the test's process. For every case the
two nodes end with the same changes, notes and heads; every pair of concurrent changes of the
contact (neither based on the other) is a conflict on both nodes, and no other case has one;
nothing is lost and nothing applied twice.

The officers of both states work at once (a thread each, one case per transaction, as they
save), on their node's database: at KAZ, half the cases right after the referral, the other
half once UZB accepted, from the page opened before; at UZB, from the page opened when the
case arrived. ``KERVAN_TEST_FEDERATION_CASES`` sets another size.

1,000 cases (the default) took 97 s plus 14 s of set-up at a load average of 2.0 to 4.5 on 2
cores, 300 s at 10 to 11 (docs/assistance.md, "Tests and figures")."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal, Role, system_principal
from kervan.assistance import service
from kervan.assistance.envelopes import SUBJECT
from kervan.assistance.models import Case, CaseChange, CaseConflict, CaseNote, Referral
from kervan.assistance.schemas import CaseCreate, FieldEdit
from kervan.assistance.sla import DEFAULT_SLA
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.demo.loadtest import Pair
from kervan.exchange.models import DeliveryLease, ExchangePeer, OutboxMessage
from kervan.exchange.transport import HttpTransport
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from kervan.wiring import node_session_factory
from tests.functional.assistance_support import case_body
from tests.functional.exchange_support import Loopback
from tests.integration.federation_support import count_rows, node_pair

CASES = int(os.environ.get("KERVAN_TEST_FEDERATION_CASES", "1000"))
NOTE_EVERY = 10
KAZ_ENDPOINT = "http://127.0.0.1:9"  # KAZ's on the pair's trust list: in the test's process
# A worker's rest when nothing is due, as in a node (``kervan serve``): polling faster took the
# officers' share of the test process (each poll is two queries) and shortened nothing.
IDLE = 0.2
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(300 + CASES // 2)]

Sessions = sessionmaker[Session]
CASE_MESSAGES = OutboxMessage.subject_type == SUBJECT


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    yield from node_pair(tmp_path_factory, "cases")


def _progress(pair: Pair, what: str) -> None:
    """A time line of the run beside the nodes' logs (where a slow run spent its time)."""
    with (pair.folder / "progress.log").open("a") as log:
        log.write(f"{utcnow().isoformat()} {what}\n")


def _heads(changes: list[CaseChange]) -> list[uuid.UUID]:
    return [h.id for h in service.heads_by_field(changes).get("contact", [])]


def _edit(session: Session, who: Principal, case_id: uuid.UUID, value: str, seen: list) -> None:
    edit = FieldEdit(field="contact", value=value, based_on=seen)
    service.edit(session, who, case_id, [edit], sla=DEFAULT_SLA, now=utcnow())
    if case_id.int % NOTE_EVERY == 0:  # notes merge too (not on every case: the test's time)
        service.add_note(session, who, case_id, f"{who.state} worked on it", utcnow())


def _changes_by_case(session: Session) -> dict[uuid.UUID, list[CaseChange]]:
    found: dict[uuid.UUID, list[CaseChange]] = {}
    for change in session.scalars(select(CaseChange).order_by(CaseChange.id)):
        found.setdefault(change.case_id, []).append(change)
    return found


def test_a_thousand_referred_cases_edited_on_both_sides_through_a_restart(pair: Pair) -> None:
    kaz_engine, uzb_engine = (
        make_engine(pair.sender.database_url),
        make_engine(pair.receiver.database_url),
    )
    kaz = node_session_factory(kaz_engine, pair.sender)
    uzb = node_session_factory(uzb_engine, pair.receiver)
    kaz_officer = system_principal("KAZ", "migration.kaz")
    ids: list[uuid.UUID] = []
    with unit_of_work(kaz) as session:
        for number in range(CASES):
            case, _ = service.create_case(
                session,
                kaz_officer,
                CaseCreate.model_validate(case_body(full_name=f"Person {number}")),
                node_state="KAZ",
                sla=DEFAULT_SLA,
                now=utcnow(),
            )
            service.refer(session, kaz_officer, case.id, "wages", utcnow())
            ids.append(case.id)
    _progress(pair, "referred")
    early, late = ids[::2], ids[1::2]
    with unit_of_work(kaz) as session:  # right after the referral: based on nothing changed
        for case_id in early:
            _edit(session, kaz_officer, case_id, f"kaz {case_id}", [])
    _progress(pair, "early edits")
    kaz_app = create_app(pair.sender)
    stop = threading.Event()
    with TestClient(kaz_app) as to_kaz:
        workers = [
            Worker(pair.sender, kaz, pair.signers["KAZ"], HttpTransport(timeout=20)),
            Worker(pair.receiver, uzb, pair.signers["UZB"], Loopback({KAZ_ENDPOINT: to_kaz})),
        ]
        threads = [
            threading.Thread(target=w.run_forever, args=(stop, IDLE), daemon=True) for w in workers
        ]
        for thread in threads:
            thread.start()
        try:
            _work_both_sides(pair, kaz, uzb, kaz_officer, set(late))
            _progress(pair, "officers done")
            _wait_until_delivered(kaz_engine, uzb_engine)
            _progress(pair, "delivered")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
    kaz_app.state.engine.dispose()

    with kaz() as at_kaz, uzb() as at_uzb:
        kaz_changes, uzb_changes = _changes_by_case(at_kaz), _changes_by_case(at_uzb)
        for engine, changes in ((kaz_engine, kaz_changes), (uzb_engine, uzb_changes)):
            assert sum(len(c) for c in changes.values()) == 2 * CASES
            notes = 2 * sum(1 for i in ids if i.int % NOTE_EVERY == 0)
            assert count_rows(engine, CaseNote) == notes
        expected: set[uuid.UUID] = set()
        for case_id in ids:
            changes = kaz_changes[case_id]
            assert [c.id for c in changes] == [c.id for c in uzb_changes[case_id]]
            first, second = changes
            if first.id not in second.base_ids and second.id not in first.base_ids:
                expected.add(case_id)
            assert _heads(changes) == _heads(uzb_changes[case_id])
        assert set(late) <= expected  # both edited from the page opened before the other's change
        for session in (at_kaz, at_uzb):
            conflicts = set(session.scalars(select(CaseConflict.case_id)))
            assert conflicts == expected  # every concurrent edit surfaced, and only those
            flagged = set(session.scalars(select(Case.id).where(Case.conflicts > 0)))
            assert flagged == expected
        accepted = set(at_kaz.scalars(select(Case.id).where(Case.referral == Referral.ACCEPTED)))
        assert accepted == set(ids)
    kaz_engine.dispose()
    uzb_engine.dispose()


def _work_both_sides(pair: Pair, kaz: Sessions, uzb: Sessions, kaz_officer, late: set) -> None:  # type: ignore[no-untyped-def]
    """UZB's consul accepts each case as it arrives and edits it from the page opened then;
    KAZ's officer edits the late half from the page opened at the referral, once KAZ hears of
    the acceptance. Both at once; UZB's node is killed and restarted when about half the cases
    are done there."""
    deadline = time.monotonic() + 120 + CASES // 2
    halfway = threading.Event()
    with ThreadPoolExecutor(2) as officers:
        at_uzb = officers.submit(_uzb_consul, uzb, deadline, halfway)
        at_kaz = officers.submit(_kaz_officer, kaz, kaz_officer, late, deadline)
        while not halfway.wait(0.5):
            if at_uzb.done():
                at_uzb.result()  # its error, if it stopped before halfway
        pair.kill_receiver()  # SIGKILL: a batch may be half applied (and rolled back)
        _progress(pair, "UZB killed")
        pair.start_receiver()
        _progress(pair, "UZB restarted")
        at_uzb.result(), at_kaz.result()


def _until_done(deadline: float, work: Callable[[], bool]) -> None:
    """``work`` in rounds, resting only when a round found nothing to do."""
    while not work():
        assert time.monotonic() < deadline, "the officers' work did not finish"
        time.sleep(0.05)


def _uzb_consul(uzb: Sessions, deadline: float, halfway: threading.Event) -> None:
    consul = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")
    done: set[uuid.UUID] = set()

    def one_round() -> bool:
        with uzb() as session:
            arrived = session.scalars(
                select(Case.id).where(Case.referral == Referral.PENDING).limit(100)
            ).all()
        for case_id in arrived:
            with unit_of_work(uzb) as session:
                seen = _heads(service.changes_of(session, case_id))  # the page as opened
                service.decide_referral(
                    session, consul, case_id, accept=True, reason="", now=utcnow()
                )
                _edit(session, consul, case_id, f"uzb {case_id}", seen)
            done.add(case_id)
            if len(done) >= CASES // 2:
                halfway.set()
        return len(done) == CASES

    _until_done(deadline, one_round)


def _kaz_officer(kaz: Sessions, officer: Principal, late: set, deadline: float) -> None:
    done: set[uuid.UUID] = set()

    def one_round() -> bool:
        with kaz() as session:
            heard = set(session.scalars(select(Case.id).where(Case.referral == Referral.ACCEPTED)))
        for case_id in sorted(heard & late - done):
            with unit_of_work(kaz) as session:
                _edit(session, officer, case_id, f"kaz {case_id}", [])
            done.add(case_id)
        return done == late

    _until_done(deadline, one_round)


def _wait_until_delivered(*engines: Engine) -> None:
    """Until neither outbox holds a case's message pending; then every one is delivered (none
    refused, none dead). (The nodes' other jobs write to the secretariat, not running here.)"""
    settle = time.monotonic() + 200
    pending = (OutboxMessage.status == "pending", CASE_MESSAGES)
    while any(count_rows(e, OutboxMessage, *pending) for e in engines):
        assert time.monotonic() < settle, [_outbox_state(e) for e in engines]
        time.sleep(0.1)
    for engine in engines:
        with engine.connect() as connection:
            statuses = set(
                connection.scalars(select(OutboxMessage.status).where(CASE_MESSAGES).distinct())
            )
        assert statuses == {"delivered"}, _outbox_state(engine)


def _outbox_state(engine: Engine) -> dict[str, object]:
    """What a failure shows: the outbox by peer, status and attempts, the peers' health."""
    with engine.connect() as connection:
        messages = connection.execute(
            select(
                OutboxMessage.to_state,
                OutboxMessage.status,
                OutboxMessage.attempts,
                func.count(),
                func.max(OutboxMessage.last_error),
            ).group_by(OutboxMessage.to_state, OutboxMessage.status, OutboxMessage.attempts)
        ).all()
        peers = connection.execute(select(ExchangePeer.__table__)).all()
        leases = connection.execute(select(DeliveryLease.__table__)).all()
    return {"outbox": messages, "peers": peers, "leases": leases, "at": utcnow()}
