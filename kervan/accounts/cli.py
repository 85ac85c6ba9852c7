"""``kervan users`` and ``kervan audit``: the node administrator's commands."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer

from kervan.accounts import audit_verify, checkpoints, service
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
    """Disable an account: end its sessions and revoke its API tokens."""
    settings = load_settings()
    with cli_session(settings) as session:
        change = service.set_active(
            session, system_principal(settings.state, "cli"), username, False
        )
        typer.echo(f"disabled {username}; {_withdrawn(change)}")


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
    """Set a new password, lift any lockout, end the sessions and revoke the API tokens."""
    settings = load_settings()
    with cli_session(settings) as session:
        change = service.reset_password(
            session, system_principal(settings.state, "cli"), username, _password(password)
        )
        typer.echo(f"password of {username} reset; {_withdrawn(change)}")


def _withdrawn(change: service.AccountChange) -> str:
    return (
        f"{change.sessions_ended} sessions ended, {change.tokens_revoked} API tokens revoked "
        "(enabling the account again does not restore them)"
    )


@audit_app.command("verify")
def verify_audit(
    as_json: bool = typer.Option(False, "--json"),
    against: list[Path] = typer.Option(
        [],
        "--against",
        help="A file of signed checkpoints (one per line, as `kervan audit checkpoints` "
        "writes them) to hold the chain against; may be repeated",
    ),
) -> None:
    """Check the audit log's hash chain, its head and its signed checkpoints; list every entry
    altered, inserted, removed or unreadable, and say how many entries the latest checkpoint
    vouches for. Exits 1 when anything is wrong."""
    settings = load_settings()
    keys, outside = checkpoints.node_sources(settings)
    for path in against:
        try:
            given = checkpoints.tokens_in(checkpoints.read_file(path))
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        if not given:
            fail(f"{path} holds no checkpoint")
        outside.extend(given)
    with cli_session(settings) as session:
        good, refused = checkpoints.known(session, keys, outside)
        report = audit_verify.verify_chain(session, good, refused)
    if as_json:
        typer.echo(json.dumps(_report_json(report)))
    elif report.intact:
        typer.echo(f"audit chain intact: {report.entries_checked} entries; {_promise(report)}")
    for problem in report.problems[1:] if not as_json else ():
        typer.echo(f"  entry {problem.seq}: {problem.problem}", err=True)
    for reason in report.refused_checkpoints if not as_json else ():
        typer.echo(f"  checkpoint refused: {reason}", err=True)
    if report.intact:
        return
    if report.first_bad_seq is None:
        fail(f"audit checkpoint refused: {report.refused_checkpoints[0]}")
    more = report.problem_count - 1
    also = f" (and {more} more problems, listed above)" if more else ""
    fail(f"audit chain broken at entry {report.first_bad_seq}: {report.problem}{also}")


def _promise(report: audit_verify.ChainReport) -> str:
    if report.checkpoint is None:
        return "no signed checkpoint to hold it against (run `kervan audit checkpoint`)"
    at = report.checkpoint.at.isoformat(timespec="seconds")
    return f"the latest checkpoint ({at}) vouches for {report.checkpoint.seq} of them"


def _report_json(report: audit_verify.ChainReport) -> dict[str, object]:
    return {
        "intact": report.intact,
        "entries": report.entries_checked,
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem,
        "last_hash": report.last_hash,
        "problems": [{"seq": p.seq, "problem": p.problem} for p in report.problems],
        "problem_count": report.problem_count,
        "checkpoint": None
        if report.checkpoint is None
        else {"seq": report.checkpoint.seq, "at": report.checkpoint.at.isoformat()},
        "refused_checkpoints": list(report.refused_checkpoints),
    }


@audit_app.command("checkpoint")
def make_checkpoint(
    out: Path | None = typer.Option(None, help="Append the checkpoint to this file"),
) -> None:
    """Sign a checkpoint of the audit chain now with the node's key (the worker makes one
    every KERVAN_AUDIT_CHECKPOINT_MINUTES); print it, or append it to --out."""
    settings = load_settings()
    signing = checkpoints.signing_key_or_none(settings)
    if signing is None:
        fail("no signing key: run `kervan keys generate` (or set KERVAN_SIGNING_KEY)")
    with cli_session(settings) as session:
        checkpoint = checkpoints.write_checkpoint(session, signing, utcnow())
    checkpoints.keep_outside(checkpoint, settings.audit_checkpoint_dir)
    if out is None:
        typer.echo(checkpoint.token)
        return
    with out.open("a", encoding="utf-8") as handle:
        handle.write(checkpoint.token + "\n")
    typer.echo(f"checkpoint of {checkpoint.seq} entries appended to {out}")


@audit_app.command("checkpoints")
def export_checkpoints(
    out: Path | None = typer.Option(None, help="Write them to this file instead"),
) -> None:
    """Every signed checkpoint stored, oldest first, one per line: the file
    `kervan audit verify --against` reads."""
    with cli_session(load_settings()) as session:
        tokens = [row.token for row in reversed(checkpoints.stored_tokens(session))]
    text = "".join(token + "\n" for token in tokens)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{len(tokens)} checkpoints written to {out}")
