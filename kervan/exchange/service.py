"""The exchange's operations, as the API, the pages and the CLI call them: receiving a batch,
answering and asking a peer, the consular view of nationals abroad, foreign measures, dead
letters, evidence and the trust list. Each checks what it needs (the trust list in force, the
caller's permission in the module it calls) and audits what it changes; routes only parse
and render. No web imports: the signing keys and the query transport are passed in."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Principal
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.errors import KervanError
from kervan.exchange import (
    consular,
    dead_letters,
    evidence,
    foreign_measures,
    inbox,
    messages,
    queries,
    trust,
    trust_store,
)
from kervan.exchange.envelopes import iso
from kervan.exchange.keys import KeySource, SigningKey
from kervan.exchange.limits import PayloadTooLarge
from kervan.exchange.trust import TrustList
from kervan.registry.codes import SECRETARIAT

# What routes and the CLI read as it is: the modules that own them check and audit.
search_nationals = consular.search
list_foreign_measures = foreign_measures.list_foreign
get_foreign_measure = foreign_measures.get_foreign
list_dead_letters = dead_letters.list_dead
dead_letters_by_peer = dead_letters.count_by_peer
read_evidence = evidence.read_evidence
verify_message = evidence.verify_message
trust_list_document = trust_store.current_document
current_trust_list = trust_store.current
install_trust_list = trust_store.install
asks_here = queries.asks_here


class NotConfigured(KervanError):
    status = 503
    type_slug = "exchange-not-configured"
    title = "The exchange is not configured on this node"


def trust_list_in_force(session: Session) -> TrustList:
    """The trust list in force; a node without one cannot receive, answer or sign."""
    listed = trust_store.current(session)
    if listed is None:
        raise NotConfigured("this node has no trust list yet", code=messages.NOT_CONFIGURED)
    return listed


def signing_key(keys: KeySource, listed: TrustList | None) -> SigningKey:
    """The key this node signs with now, chosen against ``listed`` (``keys.NodeKeys``), so a
    rotated key or a new list needs no restart."""
    try:
        return keys.for_signing(listed, utcnow())
    except KervanError as exc:
        raise NotConfigured(exc.detail, code=messages.NOT_CONFIGURED) from exc


def receive(
    session: Session, settings: Settings, keys: KeySource, envelopes: list[str], source: str
) -> list[str]:
    """A peer's batch through the inbox: one signed receipt per envelope, in order. The caller
    commits before any receipt leaves."""
    limit = settings.exchange_max_batch_envelopes
    if len(envelopes) > limit:
        raise PayloadTooLarge(
            f"at most {limit} envelopes in one request",
            limit=limit,
            code=messages.BATCH_TOO_LARGE,
            params={"limit": limit},
        )
    listed = trust_list_in_force(session)
    signing = signing_key(keys, listed)
    outcomes = inbox.receive_batch(session, settings, signing, envelopes, source=source)
    return [o.receipt for o in outcomes]


def answer_query(
    session: Session, settings: Settings, keys: KeySource, envelope: str, source: str
) -> dict[str, Any]:
    """A peer's signed query.request answered with a signed query.response."""
    signing = signing_key(keys, trust_list_in_force(session))
    return queries.answer(session, settings, signing, envelope, utcnow(), source=source)


def ask(
    session: Session,
    settings: Settings,
    keys: KeySource,
    principal: Principal,
    question: queries.Question,
    transport: queries.QueryTransport,
) -> dict[str, Any]:
    """Ask a host state about one of our nationals; only this state's consular officers may,
    which is checked before the signing key is loaded."""
    queries.require_own_consul(principal, settings.state)
    signing = signing_key(keys, trust_store.current(session))
    return queries.ask(session, settings, signing, principal, question, transport, utcnow())


def ask_from_page(
    session: Session,
    settings: Settings,
    keys: KeySource,
    principal: Principal,
    question: queries.Question,
    transport: queries.QueryTransport,
) -> tuple[dict[str, Any] | None, KervanError | None]:
    """``ask`` for a page that shows why a question failed rather than raising it (a caller
    who may not ask is still refused, before anything is tried). A failed question leaves
    nothing in the message log (its savepoint is undone) but stays in the audit log, which
    this request commits."""
    queries.require_own_consul(principal, settings.state)
    try:
        with session.begin_nested():
            return ask(session, settings, keys, principal, question, transport), None
    except KervanError as exc:
        for actor, action, fields in audit.take_pending(session):
            audit.record(session, actor, action, **fields)
        return None, exc


@dataclass(frozen=True, slots=True)
class NationalAbroadRecord:
    """One document of a national abroad, the signed envelope and receipt, and the waivers
    the host state reported for the same person."""

    item: consular.NationalAbroad
    envelope: str
    receipt: str | None
    waivers: list[consular.WaiverAbroad]


def national_abroad(
    session: Session,
    principal: Principal,
    own_state: str,
    host_state: str,
    document_id: uuid.UUID,
) -> NationalAbroadRecord:
    item, envelope, receipt = consular.detail(
        session, principal, own_state, host_state, document_id
    )
    waivers = consular.waivers_of(session, principal, own_state, item.host_state, item.person_id)
    return NationalAbroadRecord(item, envelope, receipt, waivers)


def national_abroad_evidence(
    session: Session,
    principal: Principal,
    own_state: str,
    host_state: str,
    document_id: uuid.UUID,
) -> tuple[consular.NationalAbroad, evidence.Evidence]:
    """The proof of the envelope that reported a national's document (read in scope first)."""
    item, _, _ = consular.detail(session, principal, own_state, host_state, document_id)
    return item, evidence.verify_message(session, item.envelope_id)


def peer_states(session: Session, own_state: str) -> list[str]:
    """The member states on the trust list other than this one (the secretariat holds no
    register to search or ask)."""
    listed = trust_store.current(session)
    if listed is None:
        return []
    return sorted(s for s in listed.nodes if s not in (own_state, SECRETARIAT))


def retry_dead_letters(
    session: Session,
    principal: Principal,
    ids: list[uuid.UUID] | None = None,
    peer: str | None = None,
) -> int:
    """Queue dead letters again (``dead_letters.retry``) and audit it; how many."""
    count = dead_letters.retry(session, principal, ids, peer)
    audit.record(
        session,
        principal,
        "exchange.dead_letters.retry",
        details={"count": count, "peer": peer or "", "ids": [str(i) for i in ids or []]},
    )
    return count


# ----------------------------------------------------------------------------------------------
# The trust list's documents (``kervan trust``)


def draft_trust_list(
    version: int,
    threshold: int | None,
    node_entries: Iterable[tuple[str, str, dict[str, Any]]],
    based_on: dict[str, Any] | None = None,
    revoke: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """An unsigned trust list: ``based_on``'s nodes (and threshold, else 3), each
    ``(state, endpoint, key entry)`` added or replacing the key of the same kid, the kids of
    ``revoke`` marked revoked from now. Checked as a list would be before it is returned."""
    nodes: dict[str, dict[str, Any]] = {}
    kept_threshold = 3
    if based_on is not None:
        base = trust.content_of(based_on)
        kept_threshold = base["threshold"]
        for n in base["nodes"]:
            nodes[n["state"]] = n
    for state, endpoint, new_key in node_entries:
        entry = nodes.setdefault(state, {"state": state, "endpoint": endpoint, "keys": []})
        entry["endpoint"] = endpoint
        entry["keys"] = [k for k in entry["keys"] if k["jwk"]["kid"] != new_key["jwk"]["kid"]]
        entry["keys"].append(new_key)
    stamp = iso(now or utcnow())
    revoked = set(revoke)
    for entry in nodes.values():
        for key in entry["keys"]:
            if key["jwk"]["kid"] in revoked:
                key["revoked_at"] = stamp
    content = {
        "version": version,
        "issued_at": stamp,
        "threshold": threshold or kept_threshold,
        "nodes": sorted(nodes.values(), key=lambda n: n["state"]),
    }
    trust.parse_content(content)
    return content
