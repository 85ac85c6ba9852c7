"""The unit of work: one transaction per request, CLI command or job.

Services flush; this boundary commits once, or rolls back and still keeps the audit entries that
describe the failure (denials and look-ups out of scope must leave a trace)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit


def commit_now(session: Session) -> None:
    """Commit the request's transaction before the response leaves, where a reply must never
    claim what is not yet durable (the inbox's receipts). Explicit in the route, because when
    FastAPI runs the exit of a ``yield`` dependency — before or after the response is sent —
    has changed between releases (0.118); the boundary's own commit then finds nothing to do."""
    session.commit()


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        with session.begin():
            yield session
    except BaseException:
        pending = audit.take_pending(session)
        if pending:
            with factory() as trace_session, trace_session.begin():
                for principal, action, fields in pending:
                    audit.record(trace_session, principal, action, **fields)
        raise
    finally:
        session.close()
