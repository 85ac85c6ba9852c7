"""``kervan users`` and ``kervan audit``: the node administrator's commands."""

from __future__ import annotations

import getpass
import json

import typer

from kervan.accounts import audit, service
from kervan.accounts.roles import Role, system_principal
from kervan.cli_support import cli_session, fail, load_settings
from kervan.db.base import utcnow

app = typer.Typer(help="Officers' accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def _password(given: str | None) -> str:
    if given:
        return given
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        fail("the passwords differ")
    return first


@app.command("add")
def add_user(
    username: str,
    role: Role = typer.Option(..., help="admin, migration_officer, consular_officer, ..."),
    state: str = typer.Option(..., help="ISO 3166-1 alpha-3 state the user acts for"),
    full_name: str = typer.Option("", help="Name shown in the UI and the audit log"),
    password: str | None = typer.Option(
        None, envvar="KERVAN_NEW_PASSWORD", help="Prompted for when omitted"
    ),
) -> None:
    """Create an account."""
    from kervan.ops.serving import refuse_unless_ready

    settings = load_settings()
    refuse_unless_ready(settings)  # the database is this node's, so the node's state is right
    with cli_session(settings) as session:
        user = service.create_user(
            session,
            system_principal(settings.state, "cli"),
            username=username,
            password=_password(password),
            role=role,
            state=state.upper(),
            full_name=full_name,
        )
        typer.echo(f"created {user.username} ({user.role.value}, {user.state})")


@app.command("list")
def list_users() -> None:
    """List accounts."""
    with cli_session(load_settings()) as session:
        for user in service.list_users(session):
            status = "active" if user.is_active else "disabled"
            if user.locked_until is not None and user.locked_until > utcnow():
                # Said here so the operator knows why an officer cannot sign in.
                status += f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
            typer.echo(f"{user.username}\t{user.role.value}\t{user.state}\t{status}")


@app.command("disable")
def disable_user(username: str) -> None:
    """Disable an account (it can no longer sign in or use its tokens)."""
    settings = load_settings()
    with cli_session(settings) as session:
        service.set_active(session, system_principal(settings.state, "cli"), username, False)
        typer.echo(f"disabled {username}")


@app.command("enable")
def enable_user(username: str) -> None:
    """Enable a disabled account again."""
    settings = load_settings()
    with cli_session(settings) as session:
        service.set_active(session, system_principal(settings.state, "cli"), username, True)
        typer.echo(f"enabled {username}")


@app.command("reset-password")
def reset_password(
    username: str,
    password: str | None = typer.Option(None, envvar="KERVAN_NEW_PASSWORD"),
) -> None:
    """Set a new password and lift any lockout."""
    settings = load_settings()
    with cli_session(settings) as session:
        service.reset_password(
            session, system_principal(settings.state, "cli"), username, _password(password)
        )
        typer.echo(f"password of {username} reset")


@audit_app.command("verify")
def verify_audit(as_json: bool = typer.Option(False, "--json")) -> None:
    """Check the audit log's hash chain; name the first entry altered, inserted or removed."""
    with cli_session(load_settings()) as session:
        report = audit.verify_chain(session)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "intact": report.intact,
                    "entries": report.entries_checked,
                    "first_bad_seq": report.first_bad_seq,
                    "problem": report.problem,
                    "last_hash": report.last_hash,
                }
            )
        )
    if report.intact:
        if not as_json:
            typer.echo(f"audit chain intact: {report.entries_checked} entries")
        return
    fail(f"audit chain broken at entry {report.first_bad_seq}: {report.problem}")
