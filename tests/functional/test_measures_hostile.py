"""Measure files and scopes an attacker would send: the alias bomb (a few hundred bytes that
expand to gigabytes), YAML nested past any real measure, and a scope of 900 nested ``not``s.
Each is a clear refusal in the UI, the API and the CLI, fast, and never a server error."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role
from kervan.untrusted import MAX_DEPTH, RefusedYaml, load_json, load_yaml
from tests.functional.test_cli import kervan
from tests.functional.test_ui_measures_pages import MEASURE_FILE
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

# Six levels of nine aliases each: 9**6 = 531,441 "lol"s from 400 bytes; a seventh level was
# what blocked the node for seconds (~15x per level).
LEVELS = [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 7)]
ALIAS_BOMB = (
    MEASURE_FILE + "x0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "\n".join(LEVELS)
)


def _deep_not(levels: int) -> dict[str, Any]:
    scope: dict[str, Any] = {"nationality": ["UZB"]}
    for _ in range(levels):
        scope = {"not": scope}
    return scope


def test_the_bounded_loader_refuses_aliases_and_depth_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(RefusedYaml) as refused:
        load_yaml(ALIAS_BOMB)
    assert refused.value.reason == "alias"
    assert time.perf_counter() - started < 0.5
    with pytest.raises(RefusedYaml) as deep:
        load_yaml("a: " + "[" * 5_000 + "]" * 5_000)
    assert deep.value.reason == "depth"
    with pytest.raises(yaml.YAMLError):
        load_yaml("x" * 300_000)
    assert load_yaml("a: &x 1\nb: [1, 2]\n") == {"a": 1, "b": [1, 2]}  # an anchor alone is fine
    with pytest.raises(ValueError, match="nested"):
        load_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="nested"):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_the_alias_bomb_uploaded_in_the_ui_is_refused_quickly(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    token = csrf_from(client.get("/measures/new").text)
    started = time.perf_counter()
    refused = client.post(
        "/measures/new/file",
        data={"csrf_token": token},
        files={"file": ("bomb.yaml", ALIAS_BOMB, "text/yaml")},
    )
    assert time.perf_counter() - started < 2
    assert refused.status_code == 422
    assert "aliases (*name) are not accepted in a measure" in refused.text


def test_a_scope_of_900_nested_nots_is_a_422_with_its_path(officer_client: TestClient) -> None:
    body = yaml.safe_load(MEASURE_FILE)
    body = json.loads(json.dumps(body, default=str))
    body["scope"] = _deep_not(900)
    response = officer_client.post("/api/v1/measures", json=body)
    assert response.status_code == 422, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    assert "more than 32 levels deep" in response.text


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_the_cli_refuses_hostile_measure_files_in_one_line(
    tmp_path: Path, database_url: str, suffix: str
) -> None:
    if suffix == ".yaml":
        files = {"bomb": ALIAS_BOMB, "deep": "a: " + "[" * 5_000 + "]" * 5_000}
    else:
        body = json.loads(json.dumps(yaml.safe_load(MEASURE_FILE), default=str))
        files = {
            "deep": "[" * 50_000 + "]" * 50_000,
            "nots": json.dumps({**body, "scope": _deep_not(900)}),
        }
    for name, text in files.items():
        path = tmp_path / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        result = kervan("measures", "load", str(path), env={"KERVAN_DATABASE_URL": database_url})
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("kervan: error: ") and len(line) < 600, (name, line)
