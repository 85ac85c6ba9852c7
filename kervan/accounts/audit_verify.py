"""Verifying the audit log: the hash chain inside the database, and signed checkpoints outside it.

The chain shows an entry altered, inserted or removed anywhere but at the end; ``audit_head``
shows the end cut off — unless it was cut too. Checkpoints close that gap: a checkpoint signed
by the node's key (which is never in the database) says "the chain had N entries, the last one
hashing to H", so a chain that is shorter, or that no longer hashes to H at entry N, is caught
even when the log and its head were both rewritten or wiped.

A verification walks the whole chain and reports every problem it meets (the first ones in
full), rather than stopping at the first: an entry that cannot even be read is one more problem,
and the entries after it are still checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kervan.accounts.audit_rows import (
    GENESIS_HASH,
    StoredEntry,
    entry_digest,
    hashed_fields,
    raw_select,
    stored_entry,
)
from kervan.accounts.checkpoints import Checkpoint
from kervan.accounts.models import AuditEntry, AuditHead

# Problems listed in full; beyond these only counted (a renumbered log could list millions).
LISTED_PROBLEMS = 100


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    # The hash of the last entry checked: an operator who notes it elsewhere (a ticket, a
    # printout) can later tell that even a fully recomputed chain is not the one they saw.
    last_hash: str = GENESIS_HASH
    problems: tuple[ChainProblem, ...] = ()
    problem_count: int = 0
    # The latest checkpoint the chain was held against: how many entries it promised.
    checkpoint: Checkpoint | None = None
    # Checkpoints whose signature did not verify (a forged or altered one, another key's).
    refused_checkpoints: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.first_bad_seq is None and not self.refused_checkpoints


@dataclass
class _Walk:
    """The state of one walk along the chain."""

    wanted: set[int]
    expected_seq: int = 1
    prev_hash: str = GENESIS_HASH
    before_prev: str = GENESIS_HASH
    checked: int = 0
    last_seq: int = 0
    hashes_at: dict[int, str] = field(default_factory=dict)
    problems: list[ChainProblem] = field(default_factory=list)
    count: int = 0

    def note(self, seq: int, problem: str) -> None:
        self.count += 1
        if len(self.problems) < LISTED_PROBLEMS:
            self.problems.append(ChainProblem(seq, problem))

    def step(self, entry: StoredEntry) -> None:
        self.checked += 1
        if entry.seq != self.expected_seq:
            self._gap(entry)
        if entry.malformed:
            self.note(entry.seq, f"entry {entry.seq} cannot be read: {_unreadable(entry)}")
        elif entry.prev_hash != self.prev_hash:
            if self.checked > 1 and entry.prev_hash == self.before_prev:
                # It follows the entry before the previous one: the previous one was slipped
                # in (and the later entries renumbered to make room).
                self.note(entry.seq - 1, f"entry {entry.seq - 1} was inserted")
            else:
                self.note(
                    entry.seq,
                    f"entry {entry.seq} does not follow entry {entry.seq - 1}: "
                    "an entry before it was removed or inserted",
                )
        elif entry_digest(entry.prev_hash, hashed_fields(entry)) != entry.entry_hash:
            self.note(entry.seq, f"entry {entry.seq} was altered")
        # Go on from this entry as it stands, so that one problem is reported once.
        self.before_prev, self.prev_hash = self.prev_hash, entry.entry_hash
        self.expected_seq, self.last_seq = entry.seq + 1, entry.seq
        if entry.seq in self.wanted:
            self.hashes_at[entry.seq] = entry.entry_hash

    def _gap(self, entry: StoredEntry) -> None:
        first = self.expected_seq
        if entry.seq == first + 1:
            self.note(first, f"entry {first} was removed")
        elif entry.seq > first:
            self.note(first, f"entries {first}–{entry.seq - 1} were removed")
        else:
            self.note(first, f"entry {first} was inserted")
        self.prev_hash = entry.prev_hash  # its own link, so the gap is not reported twice


def _unreadable(entry: StoredEntry) -> str:
    return ", ".join(f"{name} is {entry.raw[name]}" for name in entry.malformed)


def _stored_entries(session: Session) -> Iterator[StoredEntry]:
    rows = session.execute(raw_select().order_by(AuditEntry.seq).execution_options(yield_per=2000))
    for row in rows:
        yield stored_entry(row)


def _check_head(session: Session, walk: _Walk) -> None:
    head = session.get(AuditHead, 1)
    if head is None or (head.last_seq, head.last_hash) == (walk.last_seq, walk.prev_hash):
        return
    if head.last_seq < walk.last_seq:
        walk.note(
            head.last_seq + 1,
            f"entry {head.last_seq + 1} was inserted after the chain's recorded head "
            f"(entry {head.last_seq})",
        )
    elif head.last_seq > walk.last_seq:
        walk.note(
            walk.last_seq + 1,
            f"the chain ends at entry {walk.last_seq} but its head records entry "
            f"{head.last_seq}: entry {walk.last_seq + 1} and any after it were removed",
        )
    else:
        walk.note(walk.last_seq, f"entry {walk.last_seq} was altered or the chain's head was")


def _check_against(walk: _Walk, checkpoint: Checkpoint) -> None:
    promised, when = checkpoint.seq, checkpoint.at.isoformat(timespec="seconds")
    if promised > walk.last_seq:
        shown = "the log is empty" if walk.last_seq == 0 else f"it ends at entry {walk.last_seq}"
        walk.note(
            walk.last_seq + 1,
            f"the checkpoint of {when} vouches for {promised} entries but {shown}: "
            f"entries {walk.last_seq + 1}–{promised} were removed",
        )
    elif walk.hashes_at.get(promised, checkpoint.entry_hash) != checkpoint.entry_hash:
        walk.note(
            promised,
            f"entry {promised} is not the one the checkpoint of {when} vouches for: "
            "the chain up to it was rewritten",
        )


def verify_chain(
    session: Session, checkpoints: Sequence[Checkpoint] = (), refused: Sequence[str] = ()
) -> ChainReport:
    """Walk the chain in order and hold it against its head and the checkpoints given (whose
    signatures the caller has verified); report every entry altered, inserted, removed or
    unreadable, and every promise of a checkpoint the chain no longer keeps."""
    walk = _Walk(wanted={c.seq for c in checkpoints})
    for entry in _stored_entries(session):
        walk.step(entry)
    _check_head(session, walk)
    for checkpoint in sorted(checkpoints, key=lambda c: c.seq):
        _check_against(walk, checkpoint)
    first = min(walk.problems, key=lambda p: p.seq) if walk.problems else None
    return ChainReport(
        walk.checked,
        first.seq if first else None,
        first.problem if first else "",
        walk.prev_hash,
        problems=tuple(sorted(walk.problems, key=lambda p: p.seq)),
        problem_count=walk.count,
        checkpoint=max(checkpoints, key=lambda c: c.seq) if checkpoints else None,
        refused_checkpoints=tuple(refused),
    )
