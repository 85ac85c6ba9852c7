"""Measure files (YAML or JSON, one measure per file): read, validate, and create or update
the draft with the file's ``reference``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.errors import InvalidInput, pydantic_field_errors
from kervan.measures import messages, service
from kervan.measures.messages import INVALID_FIELDS
from kervan.measures.models import Measure
from kervan.measures.schemas import MeasureIn
from kervan.untrusted import MAX_CHARS, load_json, load_yaml


def example_path(name: str = "spring-2020.yaml") -> Path:
    """A measure shipped with Kervan as package data (the worked example)."""
    return Path(str(resources.files("kervan.measures").joinpath("examples", name)))


def read_measure_file(path: Path) -> MeasureIn:
    try:
        with path.open(encoding="utf-8") as stream:
            text = stream.read(MAX_CHARS + 1)  # a longer file is refused, not read whole
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
            code=messages.FILE_UNREADABLE,
            params={"problem": str(getattr(exc, "strerror", None) or exc)},
        ) from exc
    try:
        data: Any = load_json(text) if path.suffix == ".json" else load_yaml(text)
    except (yaml.YAMLError, ValueError) as exc:
        problem = " ".join(str(exc).split())[:300]
        raise InvalidInput(
            f"{path} is not valid YAML/JSON: {problem}",
            code=messages.FILE_NOT_YAML,
            params={"problem": problem},
        ) from exc
    return parse_measure_data(data, source=str(path))


def parse_measure_data(data: Any, *, source: str = "measure") -> MeasureIn:
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{source}: expected a mapping of measure fields", code=messages.NOT_A_MAPPING
        )
    try:
        return MeasureIn.model_validate(data)
    except ValidationError as exc:
        errors = pydantic_field_errors(exc, default="measure")
        raise InvalidInput(
            f"{source}: the measure has invalid fields", code=INVALID_FIELDS, errors=errors
        ) from exc


def load_measure(session: Session, principal: Principal, data: MeasureIn) -> Measure:
    """Create the draft, or update it if one with the same reference exists (still a draft or
    previewed; one in force or lifted is refused: its text is the law that was applied)."""
    existing = session.scalar(select(Measure.id).where(Measure.reference == data.reference))
    if existing is None:
        return service.create_measure(session, principal, data)
    return service.update_measure(session, principal, existing, data)
