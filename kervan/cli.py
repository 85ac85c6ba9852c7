"""The ``kervan`` command. Each context adds its own sub-commands; this module wires them and
turns domain errors into one readable line on stderr and a non-zero exit."""

from __future__ import annotations

import sys
from typing import Any

import typer
from pydantic import ValidationError

from kervan.accounts.cli import app as users_app
from kervan.accounts.cli import audit_app
from kervan.assistance.cli import register as register_assistance
from kervan.benefits.cli import register as register_benefits
from kervan.db.cli import app as db_app
from kervan.diplomacy.cli import register as register_diplomacy
from kervan.errors import KervanError
from kervan.exchange.cli import register as register_exchange
from kervan.identity.cli import register as register_identity
from kervan.measures.cli import register as register_measures
from kervan.ops.cli import register as register_ops
from kervan.registry.cli import register as register_registry
from kervan.repatriation.cli import register as register_repatriation
from kervan.reports.cli import register as register_reports
from kervan.web.cli import register as register_web
from kervan.web.i18n_cli import register as register_i18n

app = typer.Typer(
    help="Kervan: a migration services node of the council of states.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
register_identity(app)
register_registry(app)
register_web(app)
register_ops(app)  # backup, restore
register_i18n(app)
register_benefits(app)
register_measures(app)
register_exchange(app)
register_diplomacy(app)
register_assistance(app)
register_reports(app)
register_repatriation(app)


def main(argv: list[str] | None = None) -> Any:
    # Outside Typer's own handling here: an Exit raised now would print a traceback, so the one
    # line is written and the process ends directly.
    try:
        return app(argv, standalone_mode=True)
    except KervanError as exc:
        message = exc.detail + "".join(f"; {e.field}: {e.message}" for e in exc.errors)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    print(f"kervan: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())
