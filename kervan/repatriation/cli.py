"""``kervan returns``: return requests (one, or a consulate's CSV/XLSX list), legs, the
allocation, pins and exclusions, cancellations, manifests and boarding at the gate — what a
consul or a gate does from a terminal, on the node's database (every change audited as "cli")."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from pathlib import Path

import typer

from kervan.accounts.roles import Principal, Role
from kervan.cli_support import cli_session, fail, load_settings

app = typer.Typer(
    help="Repatriation: return requests, legs, allocation, manifests, boarding.",
    no_args_is_help=True,
)
legs_app = typer.Typer(help="Transport legs: list, schedule (announced to the host).")
app.add_typer(legs_app, name="legs")
reception_app = typer.Typer(help="Reception places of the home regions, per day.")
app.add_typer(reception_app, name="reception")

MANIFEST_FORMATS = ("csv", "xlsx", "pdf", "edi")


def _as(role: Role, state: str) -> Principal:
    return Principal(user_id=None, username="cli", role=role, state=state)


def _leg_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        fail(f"{text!r} is not a leg id (see `kervan returns legs list`)")


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{name}: {text!r} is not a date (YYYY-MM-DD)")


@app.command("list")
def list_command(
    status: str | None = typer.Option(None, help="Only requests in this status"),
    limit: int = typer.Option(50, min=1, max=1000, help="How many"),
) -> None:
    """Requests in the order registered: reference, status, level, size, corridor, leg."""
    from kervan.repatriation.models import RequestStatus
    from kervan.repatriation.requests import list_requests

    try:
        wanted = RequestStatus(status) if status else None
    except ValueError:
        fail(f"status is one of {', '.join(s.value for s in RequestStatus)}")
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        for r in list_requests(session, principal, status=wanted, limit=limit):
            typer.echo(
                f"{r.reference}\t{r.status.value}\t{r.level}\t{r.size}\t"
                f"{r.origin}-{r.destination}\t{r.earliest_date}\t{r.leg_id or '-'}"
            )


@app.command("add")
def add_command(
    host_state: str = typer.Option(..., help="Where the person is (ISO 3166-1 alpha-3)"),
    origin: str = typer.Option(..., help="Host city or airport code they leave from"),
    destination: str = typer.Option(..., help="Home region they go to"),
    earliest: str = typer.Option(..., help="Earliest day they can travel, YYYY-MM-DD"),
    surname: str = typer.Option(..., help="Primary identifier, ICAO Latin"),
    given: str = typer.Option("", help="Secondary identifier, ICAO Latin"),
    birth_date: str = typer.Option(..., help="YYYY-MM-DD"),
    sex: str = typer.Option("X", help="F, M or X"),
    passport: str | None = typer.Option(None, help="Passport number (none: certificate needed)"),
    reason: list[str] = typer.Option([], help="A priority reason (repeat for several)"),
    consent: bool = typer.Option(False, "--consent", help="The person consents to sharing"),
) -> None:
    """Register one person's return request (a group comes from `import`)."""
    from kervan.repatriation.requests import create_request
    from kervan.repatriation.schemas import ReturnRequestCreate

    settings = load_settings()
    data = ReturnRequestCreate.model_validate(
        {
            "host_state": host_state,
            "origin": origin,
            "destination": destination,
            "earliest_date": _date(earliest, "earliest"),
            "document_status": "valid_passport" if passport else "return_certificate_needed",
            "priority_reasons": reason,
            "consent": consent,
            "travellers": [
                {
                    "primary_identifier": surname,
                    "secondary_identifier": given,
                    "birth_date": _date(birth_date, "birth-date"),
                    "sex": sex.upper(),
                    "passport_number": passport,
                    "passport_state": settings.state if passport else None,
                }
            ],
        }
    )
    with cli_session(settings) as session:
        made, _ = create_request(session, _as(Role.CONSULAR_OFFICER, settings.state), data)
        typer.echo(made.reference)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or XLSX"),
) -> None:
    """Requests from a spreadsheet, one row per traveller (columns: docs/repatriation.md).
    Any refused row stops the whole file; each is reported with its row number."""
    from kervan.repatriation.models import Channel
    from kervan.repatriation.requests import create_request
    from kervan.repatriation.transfer import plan_import, rows_of

    try:
        plan = plan_import(rows_of(file.read_bytes(), file.name))
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        fail(f"{file.name}: {exc}")
    if plan.problems:
        for problem in plan.problems:
            typer.echo(str(problem), err=True)
        fail(f"{len(plan.problems)} problem(s) in {file.name}; nothing was stored")
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        for data in plan.requests:
            create_request(session, principal, data, channel=Channel.CONSUL)
    people = sum(len(r.travellers) for r in plan.requests)
    typer.echo(f"imported {len(plan.requests)} requests ({people} people)")


@legs_app.command("list")
def legs_list_command() -> None:
    """Legs: id, label, host, corridor, departure, status, seats, held, taken, free."""
    from kervan.repatriation.legs import list_legs

    settings = load_settings()
    with cli_session(settings) as session:
        for leg in list_legs(session, _as(Role.CONSULAR_OFFICER, settings.state)):
            typer.echo(
                f"{leg.id}\t{leg.label}\t{leg.host_state}\t{leg.origin}-{leg.destination}\t"
                f"{leg.departs_at:%Y-%m-%d %H:%M}Z\t{leg.status.value}\t{leg.seats}\t"
                f"{leg.held_seats}\t{leg.taken}\t{leg.free}"
            )


@legs_app.command("add")
def legs_add_command(
    host_state: str = typer.Option(..., help="The state the leg leaves from"),
    mode: str = typer.Option("flight", help="flight, train or bus"),
    operator: str = typer.Option(..., help="Carrier"),
    number: str = typer.Option(..., help="Flight, train or bus number"),
    origin: str = typer.Option(..., help="City or airport code"),
    origin_name: str = typer.Option(..., help="Its name"),
    destination: str = typer.Option(..., help="Home region code"),
    destination_name: str = typer.Option(..., help="Its name"),
    departs: str = typer.Option(..., help="Departure, ISO 8601 with its offset"),
    arrives: str = typer.Option(..., help="Arrival, ISO 8601 with its offset"),
    seats: int = typer.Option(..., help="Seats"),
    held: int = typer.Option(0, help="Seats held back for officials and medical escorts"),
) -> None:
    """Schedule a leg; it is announced to the host state at once (prints its id)."""
    from kervan.repatriation.legs import schedule_leg
    from kervan.repatriation.schemas import LegCreate

    data = LegCreate.model_validate(
        {
            "host_state": host_state,
            "mode": mode,
            "operator": operator,
            "number": number,
            "origin": origin,
            "origin_name": origin_name,
            "destination": destination,
            "destination_name": destination_name,
            "departs_at": departs,
            "arrives_at": arrives,
            "seats": seats,
            "held_seats": held,
        }
    )
    settings = load_settings()
    with cli_session(settings) as session:
        leg = schedule_leg(session, _as(Role.CONSULAR_OFFICER, settings.state), data)
        typer.echo(f"{leg.id}\tannounced to {leg.host_state}")


@legs_app.command("decide")
def legs_decide_command(
    leg: str = typer.Argument(..., help="The leg's id"),
    agree: bool = typer.Option(..., "--agree/--refuse", help="Agree to the leg or refuse it"),
    reason: str = typer.Option("", help="Why (for a refusal)"),
) -> None:
    """On the host state's node: agree or refuse an announced leg."""
    from kervan.repatriation.legs import decide_leg
    from kervan.repatriation.schemas import LegDecision

    settings = load_settings()
    decision = LegDecision(agree=agree, reason=reason)
    with cli_session(settings) as session:
        principal = _as(Role.MIGRATION_OFFICER, settings.state)
        decided = decide_leg(session, principal, _leg_id(leg), decision)
        typer.echo(decided.status.value)


@reception_app.command("list")
def reception_list_command(
    since: str | None = typer.Option(None, "--from", help="From this day, YYYY-MM-DD (today)"),
) -> None:
    """Places per destination and day: day, destination, places, people arriving with a seat."""
    from kervan.repatriation.legs import list_reception

    first = _date(since, "from") if since else dt.date.today()
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        for r in list_reception(session, principal, first):
            typer.echo(f"{r.day}\t{r.destination}\t{r.places}\t{r.arriving}")


@reception_app.command("set")
def reception_set_command(
    destination: str = typer.Argument(..., help="Home region code, e.g. TAS"),
    day: str = typer.Argument(..., help="YYYY-MM-DD"),
    places: int = typer.Argument(..., min=0, max=100_000, help="People it can receive that day"),
) -> None:
    """Set how many people a destination can receive on a day (the next allocation counts it)."""
    from pydantic import ValidationError

    from kervan.repatriation.legs import set_reception
    from kervan.repatriation.schemas import ReceptionIn

    try:
        data = ReceptionIn(destination=destination.upper(), day=_date(day, "day"), places=places)
    except ValidationError:
        fail(f"destination: {destination!r} is not a place code (2 to 40 letters or digits)")
    settings = load_settings()
    with cli_session(settings) as session:
        set_reception(session, _as(Role.CONSULAR_OFFICER, settings.state), data)
    typer.echo(f"{data.destination} {data.day}: {data.places}")


@app.command("allocate")
def allocate_command() -> None:
    """Allocate seats again (confirmed seats stay); prints the summary and the explanations."""
    from sqlalchemy import func, select

    from kervan.repatriation.allocation_run import run_allocation
    from kervan.repatriation.models import ReturnRequest

    settings = load_settings()
    with cli_session(settings) as session:
        summary = run_allocation(session, _as(Role.CONSULAR_OFFICER, settings.state))
        explained = Counter(
            dict(
                session.execute(
                    select(ReturnRequest.explanation_code, func.count())
                    .where(ReturnRequest.home_state == settings.state)
                    .where(ReturnRequest.explanation_code.is_not(None))
                    .group_by(ReturnRequest.explanation_code)
                ).all()
            )
        )
    typer.echo(
        f"seated {summary.seated} requests ({summary.people_seated} people), "
        f"waiting {summary.waiting}, in {summary.seconds} s"
    )
    for code, count in sorted(explained.items()):
        typer.echo(f"{code}\t{count}")


@app.command("pin")
def pin_command(
    reference: str = typer.Argument(..., help="The request's reference"),
    leg: str = typer.Argument(..., help="The leg's id"),
    reason: str = typer.Option(..., help="Why (kept in the audit log)"),
) -> None:
    """Seat a request on a leg by an officer's decision."""
    from kervan.repatriation.requests import pin
    from kervan.web.public_intake import normalise_reference

    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        done = pin(session, principal, normalise_reference(reference), _leg_id(leg), reason)
        typer.echo(f"{done.reference}\t{done.status.value}")


def _decide(reference: str, reason: str, action: str) -> None:
    from kervan.repatriation import requests
    from kervan.web.public_intake import normalise_reference

    if len(reason.strip()) < 3:
        fail("give a reason of at least 3 characters")
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        ref = normalise_reference(reference)
        if action == "exclude":
            done = requests.exclude(session, principal, ref, reason)
        else:
            done = requests.cancel(session, principal, ref, reason, no_show=action == "no-show")
        typer.echo(f"{done.reference}\t{done.status.value}")


@app.command("exclude")
def exclude_command(
    reference: str = typer.Argument(..., help="The request's reference"),
    reason: str = typer.Option(..., help="Why (kept in the audit log)"),
) -> None:
    """Keep a request out of the allocation."""
    _decide(reference, reason, "exclude")


@app.command("cancel")
def cancel_command(
    reference: str = typer.Argument(..., help="The request's reference"),
    reason: str = typer.Option(..., help="Why (kept in the audit log)"),
    no_show: bool = typer.Option(False, "--no-show", help="The person did not come to the gate"),
) -> None:
    """The person no longer travels (or did not show): the seat goes to the waiting list."""
    _decide(reference, reason, "no-show" if no_show else "cancel")


@app.command("manifest")
def manifest_command(
    leg: str = typer.Argument(..., help="The leg's id"),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx, pdf or edi (PAXLST)"),
    out: Path = typer.Option(..., help="File to write"),
) -> None:
    """Write a leg's manifest (confirmed and boarded passengers)."""
    from kervan.repatriation import manifests
    from kervan.repatriation.requests import get_leg
    from kervan.web.i18n import Translator

    if fmt not in MANIFEST_FORMATS:
        fail(f"format is one of {', '.join(MANIFEST_FORMATS)}")
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.CONSULAR_OFFICER, settings.state)
        found = get_leg(session, _leg_id(leg), settings.state)
        rows = manifests.passengers(session, principal, found)
        if fmt == "csv":
            content = manifests.as_csv(rows)
        elif fmt == "xlsx":
            content = manifests.as_xlsx(found, rows)
        elif fmt == "pdf":
            content = manifests.as_pdf(found, rows, Translator("en").gettext)
        else:
            paxlst = manifests.as_paxlst(
                found, rows, sender=found.home_state, recipient=found.host_state
            )
            content = paxlst.encode()
    out.write_bytes(content)
    typer.echo(f"{len(rows)} passengers written to {out}")


@app.command("board")
def board_command(
    leg: str = typer.Argument(..., help="The leg's id"),
    mrz: list[str] = typer.Option(..., help="An MRZ line as read (give each line)"),
) -> None:
    """At the gate (host state's node): board a passenger by their passport's MRZ."""
    from kervan.repatriation.boarding import board

    if not 2 <= len(mrz) <= 3:
        fail("give the MRZ's 2 or 3 lines, each with --mrz")
    settings = load_settings()
    with cli_session(settings) as session:
        principal = _as(Role.BORDER_OFFICER, settings.state)
        done = board(session, principal, _leg_id(leg), mrz, today=dt.date.today())
    state = "already boarded" if done.already_boarded else "boarded"
    typer.echo(
        f"{done.primary_identifier} {done.secondary_identifier}\t{state}\t"
        f"{done.stays_closed} stay(s) closed"
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="returns")
