"""An officer saving a case while the inbox applies a batch of ``case.updated`` for it, on
PostgreSQL, in both orders: neither deadlocks, the later one waits for the earlier one's commit,
and the two changes end as a conflict (neither saw the other).

Why no deadlock is possible: an officer's save locks one case (its row, ``FOR UPDATE`` in
``merge_changes``, or first a key-share lock when a note's row is inserted) and then the audit
log's head; the inbox locks the cases of its batch one after another and never the audit head.
Neither waits for something the other holds while holding what the other waits for. (A
transaction that saved *several* cases in an order other than the batch's could deadlock with
it; no officer path does — the federation test once did, 50 cases per transaction.)"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal, system_principal
from kervan.assistance import envelopes, service
from kervan.assistance.models import Case, CaseChange, CaseConflict
from kervan.assistance.schemas import CaseCreate, FieldEdit
from kervan.assistance.sla import DEFAULT_SLA
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.db.ids import uuid7
from kervan.db.metadata import metadata
from kervan.exchange import apply
from kervan.exchange.envelopes import Envelope, iso
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory
from tests.functional.assistance_support import case_body

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(60)]
WAIT = 20.0  # seconds: far more than either transaction needs, so a hang fails, not hangs

Officer = Callable[[Session, Principal, uuid.UUID], None]


@pytest.fixture
def kaz(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    envelopes.install()  # the message types' apply steps, as the node's wiring does
    engine = make_engine(postgres_url)
    yield node_session_factory(engine, Settings(state="KAZ", database_url=postgres_url))
    with engine.begin() as connection:  # the database is shared by the session's tests
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


def _referred_cases(kaz: sessionmaker[Session], officer: Principal, count: int) -> list[Case]:
    with unit_of_work(kaz) as session:
        found = []
        for number in range(count):
            body = CaseCreate.model_validate(case_body(full_name=f"Person {number}"))
            case, _ = service.create_case(
                session, officer, body, node_state="KAZ", sla=DEFAULT_SLA, now=utcnow()
            )
            found.append(service.refer(session, officer, case.id, "wages", utcnow()))
        session.expunge_all()
    return found


def _updated(case: Case, value: str) -> Envelope:
    """A ``case.updated`` from UZB changing the contact from nothing (as verified by the inbox)."""
    change = {
        "id": str(uuid7()),
        "field": "contact",
        "value": value,
        "bases": [],
        "author": "consul.uzb",
        "state": "UZB",
        "at": iso(utcnow()),
    }
    body = envelopes.head_of(case) | {"changes": [change], "notes": [], "aid": []}
    return Envelope(
        id=uuid7(),
        type=envelopes.UPDATED,
        schema=1,
        from_state="UZB",
        to_state="KAZ",
        created_at=utcnow(),
        subject_type=envelopes.SUBJECT,
        subject_id=str(case.id),
        body=body,
        kid="UZB:test",
        compact="",
        sha256="",
    )


def _edit(session: Session, officer: Principal, case_id: uuid.UUID) -> None:
    edit = FieldEdit(field="contact", value="+7 700 officer", based_on=[])
    service.edit(session, officer, case_id, [edit], sla=DEFAULT_SLA, now=utcnow())
    service.add_note(session, officer, case_id, "called", utcnow())


def _note_then_edit(session: Session, officer: Principal, case_id: uuid.UUID) -> None:
    # The note's row first: a key-share lock on the case, later made stronger by the edit.
    service.add_note(session, officer, case_id, "called", utcnow())
    _edit(session, officer, case_id)


def _waiting_on_a_lock(kaz: sessionmaker[Session], pid: int) -> bool:
    with kaz() as session:
        query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
        return session.scalar(query, {"pid": pid}) == "Lock"


def _someone_waits_on_a_lock(kaz: sessionmaker[Session]) -> bool:
    with kaz() as session:  # a new transaction: pg_stat_activity is read once per transaction
        query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return bool(session.scalar(query))


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the other transaction never got to its lock"
        time.sleep(0.02)


class Inbox(threading.Thread):
    """The inbox's batch in a thread of its own: the apply step, in one transaction."""

    def __init__(self, kaz: sessionmaker[Session], batch: list[Envelope]):
        super().__init__(daemon=True)
        self.kaz, self.batch = kaz, batch
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.started_batch = threading.Event()

    def run(self) -> None:
        try:
            with unit_of_work(self.kaz) as session:
                self.pid = session.scalar(text("SELECT pg_backend_pid()"))
                self.started_batch.set()
                apply.apply_batch(session, self.batch, utcnow())
        except BaseException as exc:  # shown by the test, not lost in the thread
            self.error = exc
            self.started_batch.set()


def _both_kept_as_a_conflict(kaz: sessionmaker[Session], target: uuid.UUID) -> None:
    with kaz() as session:
        values = set(session.scalars(select(CaseChange.value).where(CaseChange.case_id == target)))
        assert values == {"+7 700 officer", "+7 700 from UZB"}
        assert session.scalar(select(CaseConflict.field).where(CaseConflict.case_id == target))
        assert session.get_one(Case, target).conflicts == 1


# The two ways an officer's save takes its locks (the case's row first, or a note's row first).
EITHER_SAVE = pytest.mark.parametrize("officer_saves", [_edit, _note_then_edit])
OFFICER = system_principal("KAZ", "migration.kaz")


@pytest.fixture
def two_cases(kaz: sessionmaker[Session]) -> tuple[Case, Case]:
    """Two cases KAZ referred to UZB, committed: the one the officer saves and another."""
    first, second = _referred_cases(kaz, OFFICER, 2)
    return first, second


@EITHER_SAVE
def test_the_inbox_waits_for_an_officer_saving_the_case(
    kaz: sessionmaker[Session], officer_saves: Officer, two_cases: tuple[Case, Case]
) -> None:
    other, target = two_cases
    inbox = Inbox(kaz, [_updated(other, "+7 700 other"), _updated(target, "+7 700 from UZB")])
    with unit_of_work(kaz) as saving:
        officer_saves(saving, OFFICER, target.id)  # the case locked, not committed yet
        inbox.start()
        assert inbox.started_batch.wait(WAIT)
        assert inbox.pid is not None, inbox.error
        _until(lambda: _waiting_on_a_lock(kaz, inbox.pid))  # holds the other case, waits
        service.add_note(saving, OFFICER, target.id, "and wrote", utcnow())  # more of the save
    inbox.join(WAIT)
    assert not inbox.is_alive() and inbox.error is None, inbox.error
    _both_kept_as_a_conflict(kaz, target.id)


@EITHER_SAVE
def test_an_officer_saving_waits_for_the_inbox_batch(
    kaz: sessionmaker[Session], officer_saves: Officer, two_cases: tuple[Case, Case]
) -> None:
    target, other = two_cases
    holding = threading.Event()
    release = threading.Event()

    def first_part_of_batch(session: Session, envelope: Envelope, now: object) -> None:
        envelopes.apply_updated(session, envelope, utcnow())
        if envelope.body["case_id"] == str(target.id):
            holding.set()
            assert release.wait(WAIT)  # the batch goes on with its other envelopes later

    apply.on_envelope(envelopes.UPDATED, first_part_of_batch)
    try:
        inbox = Inbox(kaz, [_updated(target, "+7 700 from UZB"), _updated(other, "+7 700 x")])
        inbox.start()
        assert holding.wait(WAIT), inbox.error
        saved = threading.Event()

        def officer_at_work() -> None:
            with unit_of_work(kaz) as session:
                officer_saves(session, OFFICER, target.id)
            saved.set()

        at_work = threading.Thread(target=officer_at_work, daemon=True)
        at_work.start()
        _until(lambda: _someone_waits_on_a_lock(kaz))  # the officer, on the case
        release.set()
        inbox.join(WAIT)
        at_work.join(WAIT)
        assert inbox.error is None, inbox.error
        assert saved.is_set()
    finally:
        apply.on_envelope(envelopes.UPDATED, envelopes.apply_updated)
    _both_kept_as_a_conflict(kaz, target.id)
