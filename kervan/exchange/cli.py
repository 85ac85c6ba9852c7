"""``kervan keys``, ``kervan trust`` and ``kervan exchange``: the node's keys, the signed trust
list and the message log, from the command line."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import typer

from kervan.cli_support import cli_session, fail, load_settings
from kervan.db.base import utcnow
from kervan.errors import KervanError
from kervan.exchange import keys as node_keys
from kervan.exchange import service, trust
from kervan.exchange.envelopes import iso

keys_app = typer.Typer(help="This node's Ed25519 signing keys (JWK files, mode 0600).")
trust_app = typer.Typer(help="The trust list: draft, co-sign, verify, install, show.")
exchange_app = typer.Typer(help="The message log and deliveries to other nodes.")


def register(app: typer.Typer) -> None:
    from kervan.exchange.worker_cli import register_worker

    app.add_typer(keys_app, name="keys")
    app.add_typer(trust_app, name="trust")
    app.add_typer(exchange_app, name="exchange")
    register_worker(app, exchange_app)


def _keys_dir(directory: Path | None) -> Path:
    return directory or node_keys.keys_dir(load_settings())


# ----------------------------------------------------------------------------------------------
# keys


@keys_app.command("generate")
def keys_generate(
    state: str | None = typer.Option(None, help="State of the key (default: the node's)"),
    directory: Path | None = typer.Option(None, "--dir", help="Keys folder (default: setting)"),
) -> None:
    """Make a new key and use it from now on. Prints its kid; the private half stays in its
    0600 file."""
    settings = load_settings()
    signing = node_keys.generate(_keys_dir(directory), (state or settings.state).upper())
    typer.echo(signing.kid)


@keys_app.command("rotate")
def keys_rotate(
    directory: Path | None = typer.Option(None, "--dir", help="Keys folder (default: setting)"),
) -> None:
    """Make a new current key; publish it (``keys export``) in a new trust list version, and
    give the old one a valid_until there."""
    settings = load_settings()
    signing, previous = node_keys.rotate(_keys_dir(directory), settings.state)
    typer.echo(f"{signing.kid} (was {previous or 'none'})")


@keys_app.command("export")
def keys_export(
    kid: str | None = typer.Option(None, help="Key to export (default: the current one)"),
    directory: Path | None = typer.Option(None, "--dir", help="Keys folder (default: setting)"),
    valid_days: int = typer.Option(730, min=1, help="Validity to propose in the trust list"),
) -> None:
    """Print the public key as a trust-list key entry (never the private part)."""
    folder = _keys_dir(directory)
    chosen = kid or node_keys.current_kid(folder)
    if chosen is None:
        fail(f"no key in {folder}; run `kervan keys generate`")
    now = utcnow()
    entry = {
        "jwk": node_keys.load_key(folder, chosen).public_jwk(),
        "valid_from": iso(now),
        "valid_until": iso(now + dt.timedelta(days=valid_days)),
    }
    typer.echo(json.dumps(entry, indent=2))


# ----------------------------------------------------------------------------------------------
# trust


def _read_document(path: Path) -> dict[str, Any]:
    try:
        return trust.load_document(path.read_text())
    except (OSError, ValueError, KeyError) as exc:
        fail(f"cannot read trust list {path}: {exc}")


@trust_app.command("draft")
def trust_draft(
    version: int = typer.Option(..., min=1, help="Version number (newer than the one in force)"),
    threshold: int | None = typer.Option(
        None, min=1, help="Member states that must co-sign the next one (default: kept, or 3)"
    ),
    node: list[str] = typer.Option(
        [], help="STATE=ENDPOINT=KEYFILE (a `keys export` output); repeat"
    ),
    based_on: Path | None = typer.Option(None, help="Start from this (signed or draft) list"),
    revoke: list[str] = typer.Option([], help="kid to mark revoked from now; repeat"),
    output: Path = typer.Option(Path("trust-draft.json"), help="Where to write the draft"),
) -> None:
    """Write an unsigned trust list; then `kervan trust sign` it on each signing node."""
    entries = []
    for spec in node:
        state, endpoint, keyfile = spec.split("=", 2)
        entries.append((state, endpoint, json.loads(Path(keyfile).read_text())))
    base = _read_document(based_on) if based_on is not None else None
    try:
        content = service.draft_trust_list(version, threshold, entries, base, revoke)
    except KervanError as exc:
        fail(exc.detail)
    output.write_text(json.dumps(content, indent=2) + "\n")
    typer.echo(
        f"wrote {output}: version {version}, {len(content['nodes'])} nodes, "
        f"threshold {content['threshold']}"
    )


@trust_app.command("sign")
def trust_sign(
    path: Path = typer.Argument(..., help="A draft or a list signed by others"),
    output: Path | None = typer.Option(None, help="Where to write (default: in place)"),
    directory: Path | None = typer.Option(None, "--dir", help="Keys folder (default: setting)"),
) -> None:
    """Add this node's signature (co-signing: the others' are kept)."""
    settings = load_settings()
    folder = _keys_dir(directory)
    signing = node_keys.load_signing_key(settings.model_copy(update={"keys_dir": folder}))
    signed = trust.sign(_read_document(path), signing)
    (output or path).write_text(json.dumps(signed, indent=2) + "\n")
    typer.echo(f"signed by {signing.kid}; {len(signed['signatures'])} signatures")


@trust_app.command("verify")
def trust_verify(
    path: Path = typer.Argument(..., help="A signed trust list"),
    against: Path | None = typer.Option(
        None, help="The list in force to check against (default: this node's)"
    ),
    bootstrap: bool = typer.Option(False, help="Check a first list against itself"),
) -> None:
    """Say whether this node would accept the list, and why (every signature explained)."""
    document = _read_document(path)
    reference: trust.TrustList | None = None
    if against is not None:
        reference = trust.parse_content(trust.content_of(_read_document(against)))
    elif not bootstrap:
        with cli_session(load_settings()) as session:
            reference = service.current_trust_list(session)
        if reference is None:
            fail("this node has no trust list: use --against FILE or --bootstrap")
    decision = trust.verify(document, reference, utcnow())
    typer.echo(decision.explain())
    if not decision.accepted:
        raise typer.Exit(1)


@trust_app.command("install")
def trust_install(
    path: Path = typer.Argument(..., help="A signed trust list"),
    bootstrap: bool = typer.Option(
        False, help="First list of this node: checked against itself (verify it out of band)"
    ),
) -> None:
    """Accept a new trust list version on this node if it verifies."""
    with cli_session(load_settings()) as session:
        decision = service.install_trust_list(
            session, _read_document(path), utcnow(), bootstrap=bootstrap
        )
    typer.echo(decision.explain())


@trust_app.command("show")
def trust_show(
    path: Path | None = typer.Argument(None, help="A trust list file (default: this node's)"),
) -> None:
    """Print the nodes, endpoints and keys of a trust list."""
    if path is not None:
        document = _read_document(path)
    else:
        with cli_session(load_settings()) as session:
            document = service.trust_list_document(session)
    content = trust.content_of(document)
    typer.echo(
        f"version {content['version']}, issued {content['issued_at']}, threshold "
        f"{content['threshold']}, {len(document['signatures'])} signatures"
    )
    for n in content["nodes"]:
        typer.echo(f"{n['state']}  {n['endpoint']}")
        for k in n["keys"]:
            status = f"revoked {k['revoked_at']}" if k.get("revoked_at") else "active"
            typer.echo(
                f"    {k['jwk']['kid']}  {k['valid_from']} → {k.get('valid_until') or '∞'}  "
                f"{status}"
            )


# ----------------------------------------------------------------------------------------------
# exchange


@exchange_app.command("verify")
def exchange_verify(
    message_id: str = typer.Argument(..., help="Envelope id (from the message log)"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output"),
) -> None:
    """Prove from the stored signed copies who sent what, when, and that it was received."""
    try:
        wanted = uuid.UUID(message_id)
    except ValueError:
        fail(f"{message_id!r} is not an envelope id")
    with cli_session(load_settings()) as session:
        found = service.verify_message(session, wanted)
    if as_json:
        typer.echo(json.dumps(found.as_dict(), indent=2))
    else:
        for name, value in found.facts.items():
            typer.echo(f"{name}: {json.dumps(value, ensure_ascii=False)}")
        for name, ok, detail, *_ in found.checks:
            typer.echo(f"[{'ok' if ok else 'FAIL'}] {name}: {detail}")
        typer.echo("proven" if found.proven else "NOT proven")
    if not found.proven:
        raise typer.Exit(1)
