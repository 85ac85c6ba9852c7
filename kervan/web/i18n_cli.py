"""``kervan i18n``: extract, update and check the UI's translations."""

from __future__ import annotations

import typer

from kervan.web import i18n_catalogs

app = typer.Typer(help="Translations of the officer UI.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="i18n")


@app.command("extract")
def extract() -> None:
    """Write messages.pot from the sources (Python and templates, as babel.cfg says)."""
    template = i18n_catalogs.extract_template()
    i18n_catalogs.write_catalog(template, i18n_catalogs.TEMPLATE)
    typer.echo(f"{len(template)} messages → {i18n_catalogs.TEMPLATE}")


@app.command("update")
def update() -> None:
    """Extract, then add new messages to every language's catalog and drop removed ones."""
    template = i18n_catalogs.extract_template()
    for path in i18n_catalogs.update_catalogs(template):
        typer.echo(f"updated {path}")


@app.command("check")
def check() -> None:
    """Fail on a message untranslated in ru or en, a placeholder that differs from its source
    in any catalog, a translation that is a copy of the English source (outside a short
    allow-list), or a messages.pot that no longer matches the sources."""
    problems = i18n_catalogs.check(i18n_catalogs.extract_template())
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("translations OK")
