"""How long each kind of sign-in attempt takes, with the node's real argon2id parameters, as a
ratio to a successful sign-in measured in the same run: a locked account, a wrong password, an
unknown user name and a locked unknown name should all cost about the same, so that time does
not tell which names have accounts.

    .venv/bin/python -m bench.signin_bench [--attempts 15]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.common import add_record_argument, fresh_sqlite, machine, update_doc_section
from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.uow import unit_of_work
from kervan.web.app import create_app

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery staple"


def _attempt(client: TestClient, username: str, password: str) -> float:
    token = _TOKEN.search(client.get("/sign-in").text)
    assert token
    start = time.perf_counter()
    response = client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token[1]},
        follow_redirects=False,
    )
    elapsed = time.perf_counter() - start
    assert response.status_code in (303, 401), response.status_code
    client.cookies.clear()  # each attempt from a fresh browser
    return elapsed


def _median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


def run(attempts: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="kervan-signin-bench-"))
    url = fresh_sqlite(folder, "signin")
    settings = Settings(
        database_url=url,
        secret_key="bench secret key, long enough",
        signin_lockout_threshold=3,
        signin_address_max_failures=100_000,
    )
    app = create_app(settings)
    names = [f"officer.{n}" for n in range(attempts)] + ["locked.officer"]
    with unit_of_work(app.state.session_factory) as session:
        for name in names:
            create_user(
                session,
                system_principal("KAZ"),
                username=name,
                password=PASSWORD,
                role=Role.MIGRATION_OFFICER,
                state="KAZ",
            )
    kinds: dict[str, Callable[[int], tuple[str, str]]] = {
        "right password (baseline)": lambda n: (f"officer.{n}", PASSWORD),
        "wrong password": lambda n: (f"officer.{n}", "a wrong guess"),
        "locked account": lambda n: ("locked.officer", "a wrong guess"),
        "unknown name": lambda n: (f"nobody.{n}", "a wrong guess"),
        "locked unknown name": lambda n: ("locked.nobody", "a wrong guess"),
    }
    with TestClient(app) as client:
        for name in ("locked.officer", "locked.nobody"):
            for _ in range(settings.signin_lockout_threshold):
                _attempt(client, name, "a wrong guess")
        medians = {
            kind: _median_ms([_attempt(client, *who(n)) for n in range(attempts)])
            for kind, who in kinds.items()
        }
    app.state.engine.dispose()
    baseline = medians["right password (baseline)"]
    return {
        "attempts": attempts,
        "median_ms": medians,
        "ratio": {kind: round(ms / baseline, 2) for kind, ms in medians.items()},
        "load": os.getloadavg()[0],
        "machine": machine(),
    }


def render(results: dict[str, Any]) -> str:
    result = results["sqlite"]
    rows = "\n".join(
        f"| {kind} | {ms} ms | {result['ratio'][kind]}x |"
        for kind, ms in result["median_ms"].items()
    )
    m = result["machine"]
    return (
        "## Sign-in time by outcome (`bench/signin_bench.py`)\n\n"
        "Median of "
        f"{result['attempts']} attempts per kind over HTTP (the UI's sign-in form), argon2id "
        "with the node's real parameters, SQLite; ratio to a successful sign-in in the same "
        "run. Each kind costs one password hash, so none stands out (before: a locked account "
        "answered without hashing, 40–80 ms against 0.4–1.6 s).\n\n"
        "| attempt | median | ratio to baseline |\n| --- | ---: | ---: |\n"
        f"{rows}\n\n"
        f"{m['cpus']} cores shared with other work (load average {result['load']:.1f} when "
        f"measured), Python {m['python']}, {m['date']}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=15)
    add_record_argument(parser)
    args = parser.parse_args()
    result = run(args.attempts)
    for kind, ratio in result["ratio"].items():
        print(f"{kind}: {result['median_ms'][kind]} ms ({ratio}x baseline)")
    if args.record:
        update_doc_section("signin-bench", render, "sqlite", result)


if __name__ == "__main__":
    main()
