"""What each capability package adds to a node, installed in one explicit order.

Every capability package exposes ``install(app: Wiring)``; ``wire`` calls them in the order of
``PACKAGES`` (listeners run in that order too), and nothing registers itself by being imported.
The same wiring serves the web app (``app.web`` is the FastAPI app: routers, pages) and the
command line and the worker (``app.web`` is None: listeners and jobs only).

Listeners reach domain code through the session: a session factory made by ``session_factory``
carries the wiring in ``session.info``, so ``kervan.registry.hooks`` finds the listeners of the
node the session belongs to. A session without wiring has none, and the register works alone.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

    from kervan.config import Settings

# The order listeners run in: measures extend a new document before the exchange reports it,
# and benefits grant after the measure's own pass.
PACKAGES: tuple[str, ...] = (
    "kervan.accounts",
    "kervan.registry",
    "kervan.measures",
    "kervan.benefits",
    "kervan.border",
    "kervan.exchange",
    "kervan.diplomacy",
    "kervan.assistance",
    "kervan.repatriation",
    "kervan.reports",
)

# A background job: given the node's session factory, do one bounded step of work; True when
# it did something (the runner then asks again at once instead of idling).
Job = Callable[[sessionmaker[Session]], bool]


class Listeners:
    """Listeners by event name, in the order they were added."""

    def __init__(self) -> None:
        self._by_event: dict[str, list[Callable[..., None]]] = defaultdict(list)

    def on(self, event: str, listener: Callable[..., None]) -> None:
        if listener not in self._by_event[event]:
            self._by_event[event].append(listener)

    def emit(self, event: str, *args: Any) -> None:
        for listener in self._by_event.get(event, ()):
            listener(*args)

    def of(self, event: str) -> tuple[Callable[..., None], ...]:
        return tuple(self._by_event.get(event, ()))


@dataclass
class Wiring:
    """The ``app`` each package's ``install`` receives."""

    settings: Settings | None = None
    web: FastAPI | None = None
    listeners: Listeners = field(default_factory=Listeners)
    jobs: list[tuple[str, Job]] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)  # packages with a templates/ folder
    installed: list[str] = field(default_factory=list)

    def include_router(self, router: APIRouter) -> None:
        """A router of the web app (ignored when wiring the CLI or the worker)."""
        if self.web is not None:
            self.web.include_router(router)

    def add_job(self, name: str, job: Job) -> None:
        self.jobs.append((name, job))

    def add_templates(self, package: str) -> None:
        """A package whose ``templates/`` folder the pages render from."""
        if self.web is not None and package not in self.templates:
            self.templates.append(package)


def wire(
    settings: Settings | None = None,
    web: FastAPI | None = None,
    packages: Iterable[str] = PACKAGES,
) -> Wiring:
    app = Wiring(settings=settings, web=web)
    for name in packages:
        importlib.import_module(name).install(app)
        app.installed.append(name)
    return app


def session_factory(engine: Engine, wiring: Wiring | None) -> sessionmaker[Session]:
    """Sessions that carry the node's wiring (its listeners) in ``session.info``."""
    return sessionmaker(engine, expire_on_commit=False, info={"wiring": wiring})


def node_session_factory(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    """Sessions of a node wired with every capability (the CLI, the worker, the demo)."""
    return session_factory(engine, wire(settings))


def wiring_of(session: Session) -> Wiring | None:
    found = session.info.get("wiring")
    return found if isinstance(found, Wiring) else None


def emit(session: Session, event: str, *args: Any) -> None:
    """Call the listeners of ``event`` of the session's node, in install order."""
    wiring = wiring_of(session)
    if wiring is not None:
        wiring.listeners.emit(event, session, *args)
