"""kervan/wiring.py: packages install in the listed order, listeners run in install order and
once each, and a session without wiring has no listeners."""

from __future__ import annotations

import sys
import types
from typing import Any

from sqlalchemy import create_engine

from kervan.wiring import PACKAGES, Listeners, Wiring, emit, session_factory, wire, wiring_of


def test_listeners_run_in_the_order_added_and_once_each() -> None:
    calls: list[tuple[str, Any]] = []
    listeners = Listeners()
    first = lambda x: calls.append(("first", x))  # noqa: E731
    second = lambda x: calls.append(("second", x))  # noqa: E731
    listeners.on("e", first)
    listeners.on("e", second)
    listeners.on("e", first)  # a package wired twice adds it once
    listeners.emit("e", 1)
    listeners.emit("other", 2)
    assert calls == [("first", 1), ("second", 1)]
    assert listeners.of("e") == (first, second) and listeners.of("none") == ()


def test_wire_installs_each_package_in_order_without_a_web_app() -> None:
    order: list[str] = []
    for name in ("kervan_test_a", "kervan_test_b"):
        module = types.ModuleType(name)
        module.install = lambda app, name=name: order.append(name)  # type: ignore[attr-defined]
        sys.modules[name] = module
    try:
        app = wire(packages=["kervan_test_b", "kervan_test_a"])
    finally:
        del sys.modules["kervan_test_a"], sys.modules["kervan_test_b"]
    assert order == ["kervan_test_b", "kervan_test_a"] == app.installed
    app.include_router(object())  # type: ignore[arg-type]  # ignored without a web app
    app.add_templates("kervan.x")
    assert app.templates == []


def test_every_capability_is_listed_once_accounts_first() -> None:
    assert len(set(PACKAGES)) == len(PACKAGES) and PACKAGES[0] == "kervan.accounts"
    assert PACKAGES.index("kervan.measures") < PACKAGES.index("kervan.benefits")
    assert PACKAGES.index("kervan.measures") < PACKAGES.index("kervan.exchange")


def test_emit_reaches_the_listeners_of_the_sessions_node_only() -> None:
    engine = create_engine("sqlite://")
    seen: list[Any] = []
    wiring = Wiring()
    wiring.listeners.on("changed", lambda session, value: seen.append(value))
    with session_factory(engine, wiring)() as session:
        assert wiring_of(session) is wiring
        emit(session, "changed", 42)
    with session_factory(engine, None)() as alone:
        assert wiring_of(alone) is None
        emit(alone, "changed", 43)
    assert seen == [42]
