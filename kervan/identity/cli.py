"""``kervan mrz parse`` and ``kervan translit``: identity tools for officers and scripts."""

from __future__ import annotations

import json

import typer

from kervan.cli_support import fail
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.translit import to_mrz, to_national_latin

mrz_app = typer.Typer(help="Machine readable zones (ICAO 9303).", no_args_is_help=True)


@mrz_app.command("parse")
def parse_command(lines: list[str] = typer.Argument(..., help="The MRZ lines, in order")) -> None:
    """Parse and check an MRZ; print its fields as JSON (exit 1 with the reason if invalid)."""
    try:
        mrz = parse_mrz(lines)
    except MRZError as exc:
        fail(f"invalid MRZ: {exc}")
    typer.echo(json.dumps(mrz.to_dict(), ensure_ascii=False, indent=2))


def translit_command(
    name: str = typer.Argument(..., help="A name in any script"),
    lang: str | None = typer.Option(
        None, help="Print the national Latin form for uz, kk, az, tr, ru, ky or tg instead"
    ),
) -> None:
    """Print a name's ICAO 9303 MRZ form (or its national Latin form with --lang)."""
    typer.echo(to_national_latin(name, lang) if lang else to_mrz(name))


def register(app: typer.Typer) -> None:
    app.add_typer(mrz_app, name="mrz")
    app.command("translit")(translit_command)
