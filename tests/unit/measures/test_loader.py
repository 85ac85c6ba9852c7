"""Measure files (``kervan.measures.loader``): what a file may be, the one coded error for each
way it can be wrong, and loading as create-or-update by reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.errors import Conflict, InvalidInput
from kervan.measures import messages
from kervan.measures.loader import example_path, load_measure, parse_measure_data, read_measure_file
from kervan.measures.models import MeasureStatus
from kervan.untrusted import MAX_CHARS


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_path().read_text(encoding="utf-8"))
    return data


def _refused(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_measure_file(path)
    return caught.value


def test_the_shipped_example_reads_as_yaml_and_as_json(tmp_path: Path) -> None:
    from_yaml = read_measure_file(example_path())
    as_json = tmp_path / "measure.json"
    as_json.write_text(json.dumps(_example(), default=str), encoding="utf-8")
    # YAML reads dates inside the scope as dates, JSON as strings: equal once serialised.
    from_json = read_measure_file(as_json)
    assert from_json.model_dump(mode="json") == from_yaml.model_dump(mode="json")
    assert from_yaml.reference == "KAZ-2020-emergency"


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    error = _refused(tmp_path / "absent.yaml")
    assert error.code == messages.FILE_UNREADABLE
    assert error.params["problem"]


def test_a_file_not_in_utf8_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("reference: caf\xe9\n".encode("latin-1"))
    assert _refused(path).code == messages.FILE_UNREADABLE


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("broken.yaml", "reference: [unclosed\n"),
        ("broken.json", '{"reference": '),
        ("aliases.yaml", "a: &x [1]\nb: *x\n"),
        ("huge.yaml", "#" * (MAX_CHARS + 10)),
    ],
    ids=["yaml", "json", "aliases", "too-long"],
)
def test_text_that_is_not_one_plain_document_is_refused(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    error = _refused(path)
    assert error.code == messages.FILE_NOT_YAML
    assert "\n" not in error.params["problem"] and len(error.params["problem"]) <= 300


@pytest.mark.parametrize("data", [[], "text", 3, None])
def test_data_that_is_not_a_mapping_is_refused(data: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_measure_data(data, source="upload")
    assert caught.value.code == messages.NOT_A_MAPPING
    assert caught.value.detail.startswith("upload:")


def test_invalid_fields_are_all_reported_by_path() -> None:
    data = _example()
    del data["reference"]
    data["period"] = {"from": "not a date", "to": "2020-05-15"}
    with pytest.raises(InvalidInput) as caught:
        parse_measure_data(data)
    assert caught.value.code == messages.INVALID_FIELDS
    fields = {e.field for e in caught.value.errors}
    assert any("reference" in f for f in fields) and any("period" in f for f in fields)


def test_loading_twice_updates_the_draft_with_the_same_reference(
    session: Session, officer: Principal
) -> None:
    first = load_measure(session, officer, parse_measure_data(_example()))
    changed = _example()
    changed["title"]["en"] = "Changed title"
    second = load_measure(session, officer, parse_measure_data(changed))
    assert second.id == first.id
    assert second.title["en"] == "Changed title" and second.status is MeasureStatus.DRAFT


def test_a_measure_in_force_is_not_changed_by_loading(session: Session, officer: Principal) -> None:
    measure = load_measure(session, officer, parse_measure_data(_example()))
    measure.status = MeasureStatus.IN_FORCE
    session.flush()
    with pytest.raises(Conflict):
        load_measure(session, officer, parse_measure_data(_example()))
