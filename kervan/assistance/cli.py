"""``kervan cases``: the queue, one case by reference, the SLA counts, and the counts by need
and status for a period (what the reports read)."""

from __future__ import annotations

import datetime as dt

import typer

from kervan.accounts.roles import system_principal
from kervan.cli_support import cli_session, fail, load_settings
from kervan.db.base import utcnow

app = typer.Typer(help="Assistance cases: queue, a case, SLA and counts.", no_args_is_help=True)


@app.command("queue")
def queue_command(
    assigned_to: str | None = typer.Option(None, help="Only this officer's cases"),
    team: str | None = typer.Option(None, help="Only this team's cases"),
    breached: bool = typer.Option(False, help="Only cases past their due time"),
    limit: int = typer.Option(50, min=1, max=500, help="How many"),
) -> None:
    """Open cases by time to breach: reference, due time, urgency, status, needs."""
    from kervan.assistance import service

    settings = load_settings()
    wanted = service.QueueFilter(assigned_to=assigned_to, team=team, breached_only=breached)
    with cli_session(settings) as session:
        principal = system_principal(settings.state, "cli")
        found, _ = service.queue(session, principal, wanted, now=utcnow(), limit=limit)
        for case in found:
            typer.echo(
                f"{case.reference}\t{case.due_at:%Y-%m-%d %H:%M}Z\t{case.urgency.value}\t"
                f"{case.status.value}\t{case.needs}\t{case.assigned_to or '-'}"
            )


@app.command("show")
def show_command(reference: str = typer.Argument(..., help="The case reference")) -> None:
    """One case (the read is audited)."""
    from kervan.assistance import service

    settings = load_settings()
    with cli_session(settings) as session:
        case = service.by_reference(session, system_principal(settings.state, "cli"), reference)
        for name in ("reference", "status", "urgency", "full_name", "nationality", "host_state"):
            typer.echo(f"{name}: {getattr(getattr(case, name), 'value', getattr(case, name))}")
        typer.echo(f"needs: {case.needs}\ndue_at: {case.due_at.isoformat()}")
        typer.echo(f"referral: {case.referral.value} {case.partner_state or ''}".rstrip())
        typer.echo(f"conflicts: {case.conflicts}")


@app.command("sla")
def sla_command() -> None:
    """Open cases, those due soon, and those in breach of the SLA."""
    from kervan.assistance import service

    settings = load_settings()
    with cli_session(settings) as session:
        counts = service.sla_counts(session, system_principal(settings.state, "cli"), utcnow())
    for name, value in counts.items():
        typer.echo(f"{name}: {value}")


@app.command("counts")
def counts_command(
    start: str = typer.Argument(..., help="First day, YYYY-MM-DD"),
    end: str = typer.Argument(..., help="Last day, YYYY-MM-DD"),
) -> None:
    """Cases opened in the period by need and status (tab-separated)."""
    from kervan.assistance.reporting import counts_by_need_and_status, period

    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        fail("dates are YYYY-MM-DD")
    if last < first:
        fail("the period ends before it begins")
    settings = load_settings()
    with cli_session(settings) as session:
        found = counts_by_need_and_status(session, *period(first, last))
    for row in found:
        typer.echo(f"{row.need}\t{row.status}\t{row.cases}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="cases")
