"""The message types of the exchange: their JSON Schemas (package data) and who may receive
them. The same routing rule is applied by the sender, which writes the outbox, and by the
receiver, which refuses what it should not have been sent (data minimisation)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from kervan.registry.codes import SECRETARIAT

ENVELOPE = "envelope"
RECEIPT = "receipt"


def _personal_to_home_state(payload: dict[str, Any], receiver: str) -> str | None:
    """Events about a person go to the state of that person's nationality, and nowhere else."""
    if receiver == SECRETARIAT:
        return "the secretariat receives aggregates only, not events about persons"
    nationality = payload["body"]["person"]["nationality"]
    if nationality != receiver:
        return f"the person is a national of {nationality}, not of {receiver}"
    for document in payload["body"].get("documents", []):
        if document["host_state"] != payload["from"]:
            return f"{payload['from']} reports a document of host state {document['host_state']}"
    return None


def _own_measure(payload: dict[str, Any], receiver: str) -> str | None:
    """Anyone may receive a measure (no personal data), but only from the state that issued it:
    a node cannot announce, or overwrite, another state's measure."""
    issuer = payload["body"]["measure"]["issuing_state"]
    if issuer != payload["from"]:
        return f"{payload['from']} announces a measure of {issuer}"
    return None


def _between_members(payload: dict[str, Any], receiver: str) -> str | None:
    if SECRETARIAT in (receiver, payload["from"]):
        return "peer queries are between member states only"
    return None


def _response_about_own_national(payload: dict[str, Any], receiver: str) -> str | None:
    problem = _between_members(payload, receiver)
    if problem:
        return problem
    person = payload["body"].get("person")
    if person is not None and person["nationality"] != receiver:
        return f"the person is a national of {person['nationality']}, not of {receiver}"
    return None


Recipients = Callable[[dict[str, Any], str], str | None]


@dataclass(frozen=True, slots=True)
class MessageType:
    name: str
    versions: tuple[int, ...]
    # Returns why ``receiver`` may not receive this payload (None when it may).
    may_receive: Recipients
    # Delivered through the inbox; the query types travel only through the query endpoint,
    # where they are rate-limited and audited with their purpose.
    via_inbox: bool = True


MESSAGE_TYPES: dict[str, MessageType] = {
    t.name: t
    for t in (
        MessageType("stay.issued", (1,), _personal_to_home_state),
        MessageType("stay.extended", (1,), _personal_to_home_state),
        MessageType("stay.revoked", (1,), _personal_to_home_state),
        MessageType("violation.waived", (1,), _personal_to_home_state),
        MessageType("measure.announced", (1,), _own_measure),
        MessageType("query.request", (1,), _between_members, via_inbox=False),
        MessageType("query.response", (1,), _response_about_own_national, via_inbox=False),
    )
}


def register(message_type: MessageType) -> None:
    """Another context's message type (its schema file lives in ``kervan/exchange/
    envelope_schemas/`` like every other, so the published list stays in one place).
    Idempotent."""
    MESSAGE_TYPES[message_type.name] = message_type


def schema_names() -> list[tuple[str, int]]:
    """Every published schema: the envelope, the receipt and each type's body."""
    names = [(ENVELOPE, 1), (RECEIPT, 1)]
    names += [(t.name, v) for t in MESSAGE_TYPES.values() for v in t.versions]
    return names


@cache
def schema_text(name: str, version: int) -> str | None:
    if (name, version) not in schema_names():
        return None
    folder = resources.files("kervan.exchange.envelope_schemas")
    return (folder / f"{name}.v{version}.json").read_text()


@cache
def validator(name: str, version: int) -> Any:
    """A compiled validator (jsonschema-rs): every envelope is checked twice, and the pure-Python
    ``jsonschema`` took about 160 µs a check against about 1 µs here — more than the signature."""
    text = schema_text(name, version)
    if text is None:
        return None
    # Formats are checked: "2031-02-30" matches a date's pattern but is no date.
    return jsonschema_rs.Draft202012Validator(json.loads(text), validate_formats=True)


def schema_problem(name: str, version: int, instance: Any) -> str | None:
    """The first way ``instance`` breaks the schema, as one line (None when it conforms)."""
    check = validator(name, version)
    if check is None:
        return f"no schema {name} version {version}"
    if check.is_valid(instance):
        return None
    error = next(iter(check.iter_errors(instance)))
    where = "/".join(str(p) for p in error.instance_path) or "(root)"
    return f"{name} v{version} at {where[:100]}: {error.message}"[:300]
