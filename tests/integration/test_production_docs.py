"""The production guide of docs/start.md and the production checklist of docs/operate.md, run
command by command as one shell script against a scratch PostgreSQL server, so the docs cannot
drift from what the node does.

The only changes made to the documented commands are these substitutions, listed here so a
reader can check them: the names ``kervan_uzb`` (role and database) become a unique scratch
name; ``db.example`` becomes the test server's host; port 8000 becomes a free port;
``/var/backups/kervan`` a temporary folder; ``make install && source .venv/bin/activate`` the
already installed ``.venv``; and ``kervan serve`` runs in the background while the checklist
follows it. The superuser connection comes from ``PGHOST``/``PGUSER`` as the guide says; the
admin's password (prompted for in the guide) from ``KERVAN_NEW_PASSWORD``, as operate.md
documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from kervan.demo.serving import free_port

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PG_ENV = "KERVAN_TEST_DATABASE_URL"


def documented_block(page: str, marker: str) -> str:
    """The shell code between ``<!-- {marker}:start -->`` and ``:end``, fences removed."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}:start -->(.*?)<!-- {marker}:end -->", text, re.S)
    assert found, f"{page} has no {marker} section"
    blocks = re.findall(r"```sh\n(.*?)```", found[1], re.S)
    return "\n".join(textwrap.dedent(b) for b in blocks)


def script(name: str, host: str, port: int, backups: Path) -> str:
    guide = documented_block("start.md", "production-guide")
    checklist = documented_block("operate.md", "production-checklist")
    serve = re.search(r"^kervan serve .*$", guide, re.M)
    assert serve, "the guide no longer starts the node with `kervan serve`"
    background = (
        f"{serve[0].split('#')[0].strip()} > serve.log 2>&1 &\n"
        "SERVE_PID=$!\n"
        "trap 'kill $SERVE_PID 2>/dev/null || true' EXIT\n"
        "for _ in $(seq 120); do curl -fsS http://127.0.0.1:8000/healthz >/dev/null 2>&1 "
        "&& break; sleep 0.5; done\n"
    )
    guide = guide.replace(serve[0], background)
    body = "set -euo pipefail\n" + guide + "\necho '--- checklist'\n" + checklist
    body = body.replace("make install && source .venv/bin/activate", "")
    body = body.replace("/var/backups/kervan", str(backups))
    body = body.replace("db.example", host).replace("8000", str(port))
    return body.replace("kervan_uzb", name)


def test_the_production_guide_and_checklist_work_as_written(tmp_path: Path) -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"needs {PG_ENV}")
    server = make_url(base)
    name = f"kervan_guide_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PGHOST": server.host or "127.0.0.1",
        "PGPORT": str(server.port or 5432),
        "PGUSER": server.username or "postgres",
        "KERVAN_NEW_PASSWORD": "correct horse battery staple",
    }
    for key in ("KERVAN_STATE", "KERVAN_DATABASE_URL", "KERVAN_ENVIRONMENT", "KERVAN_SECRET_KEY"):
        env.pop(key, None)
    port = free_port()
    text = script(name, server.host or "127.0.0.1", port, tmp_path / "backups")
    try:
        done = subprocess.run(
            ["bash", "-c", text],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        log = (tmp_path / "serve.log").read_text() if (tmp_path / "serve.log").exists() else ""
        assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{log}"
    finally:
        for statement in (
            f"DROP DATABASE IF EXISTS {name}_drill WITH (FORCE)",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"DROP ROLE IF EXISTS {name}",
        ):
            subprocess.run(["psql", "-q", "-c", statement], env=env, check=False)
    out = done.stdout
    assert "database at revision head" in out
    assert "created admin (admin, UZB)" in out
    checks = out.split("--- checklist", 1)[1]
    assert '"status":"ok"' in checks  # /healthz
    assert '"migrations":{"ok":true' in checks and '"keys":{"ok":true' in checks
    assert '"trust_list":{"ok":false' in checks  # not in a federation yet: /readyz says so
    assert "audit chain intact" in checks
    assert "backup written to" in checks and "restored" in checks
    assert '"request_id"' in log  # the node logged JSON lines with request ids
